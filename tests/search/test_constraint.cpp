// Budgets from the command line, and the framed files the cache and checkpoints trust.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/checksummed_file.h"
#include "base/input_error.h"
#include "search/constraint.h"
#include "search/uniform_baseline.h"
#include "tests/test_temp_dir.h"

namespace haqsim::search {
namespace {

TEST(Budget, RatiosAbsoluteValuesAndBaselines) {
  // A cost that scales with the bits, so each baseline is told apart.
  auto uniform = [](int bits) { return PolicyCost{1.25 * bits, 0.25 * bits, 0.5 * bits}; };
  Budget b = parse_budget(ConstraintKind::kLatency, "0.6");
  EXPECT_TRUE(b.relative);
  EXPECT_DOUBLE_EQ(b.resolve(uniform), 6.0);  // of the 8-bit policy's 10 ms
  b = parse_budget(ConstraintKind::kLatency, "12ms");
  EXPECT_FALSE(b.relative);
  EXPECT_DOUBLE_EQ(b.resolve(uniform), 12.0);
  EXPECT_DOUBLE_EQ(parse_budget(ConstraintKind::kEnergy, "1.5 mJ").resolve(uniform), 1.5);
  EXPECT_DOUBLE_EQ(parse_budget(ConstraintKind::kSize, "0.5").resolve(uniform), 2.0);
  EXPECT_DOUBLE_EQ(parse_budget(ConstraintKind::kSize, "2MB").resolve(uniform), 2.0);
  b = parse_budget(ConstraintKind::kEnergy, "3bit");
  EXPECT_EQ(b.uniform_bits, 3);
  EXPECT_DOUBLE_EQ(b.resolve(uniform), 0.75);
  EXPECT_EQ(b.describe(), "fixed 3-bit energy");
}

TEST(Budget, TheBaselineKeepsPinnedLayersAndUnderSizeTheActivations) {
  EnvironmentOptions env;  // first and last pinned at 8, max 8
  const Policy latency = uniform_baseline(env, 4, 3, ConstraintKind::kLatency);
  EXPECT_EQ(latency.layers[0].wbits, 8);
  EXPECT_EQ(latency.layers[1].wbits, 3);
  EXPECT_EQ(latency.layers[1].abits, 3);
  EXPECT_EQ(latency.layers[3].abits, 8);
  env.max_bits = 6;
  const Policy size = uniform_baseline(env, 4, 2, ConstraintKind::kSize);
  EXPECT_EQ(size.layers[2].wbits, 2);
  EXPECT_EQ(size.layers[2].abits, 6);  // a size budget counts weights only
  env.pin_first_last = false;
  EXPECT_EQ(uniform_baseline(env, 4, 2, ConstraintKind::kSize).layers[0].wbits, 2);
}

TEST(Budget, BadTargetsNameTheOption) {
  for (const char* bad : {"", "fast", "-1", "0", "12mJ", "3ms", "nan", "9bit", "2.5bit", "0bit"}) {
    const ConstraintKind kind =
        std::string(bad) == "3ms" ? ConstraintKind::kSize : ConstraintKind::kLatency;
    try {
      parse_budget(kind, bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--target"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("found"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_constraint("speed"), InputError);
}

class Framed : public ::testing::Test {
 protected:
  std::string path = (haqsim_test_temp_dir() / "haqsim_framed_test.bin").string();
  void TearDown() override { std::filesystem::remove(path); }
  std::string raw() {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void put(const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }
};

TEST_F(Framed, RoundTripsBinaryBodies) {
  std::string body("line\ncrc32 fake\0binary", 22);
  write_checksummed(path, "test-magic", 3, body);
  EXPECT_EQ(read_checksummed(path, "test-magic", 3), body);
}

TEST_F(Framed, DetectsEveryKindOfDamage) {
  write_checksummed(path, "test-magic", 3, "payload payload payload\n");
  const std::string good = raw();
  auto expect_untrusted = [&](const std::string& bytes, const char* why,
                              const char* magic = "test-magic", int version = 3) {
    put(bytes);
    try {
      read_checksummed(path, magic, version);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const UntrustedFile& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  };
  std::string flipped = good;
  flipped[20] ^= 0x01;
  expect_untrusted(flipped, "a flipped bit");
  expect_untrusted(good.substr(0, good.size() - 10), "a truncated trailer");
  expect_untrusted(good.substr(0, 15) + good.substr(20), "bytes missing from the body");
  expect_untrusted(good, "another format", "other-magic");
  expect_untrusted(good, "another version", "test-magic", 4);
  expect_untrusted("", "an empty file");
}

}  // namespace
}  // namespace haqsim::search
