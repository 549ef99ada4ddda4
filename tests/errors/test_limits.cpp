// Absurd but well-formed inputs: the smallest arrays, gigabyte buffers, 4096-channel layers,
// 1x1 inputs. Each either simulates (exit 0, a report with every layer) or is refused with a
// message naming what is too large or too small (exit 2) — never a hang, a crash or an
// out-of-memory kill. Each run is bounded in time (timeout) and its peak memory is checked.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/cli_runner.h"
#include "tests/errors/malformed_inputs.h"
#include "tests/test_temp_dir.h"

namespace haqsim::testing {
namespace {

namespace fs = std::filesystem;

// No case may need more than this much resident memory (the machine is shared).
constexpr long kMaxResidentMb = 3072;
constexpr int kTimeoutSeconds = 300;

class Limits : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_limits_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An arch config derived from a shipped one with "key: value" lines replaced.
  std::string config(const std::string& base,
                     const std::vector<std::pair<std::string, std::string>>& edits) {
    std::string text = repository_file("arch-configs/" + base + ".yaml");
    for (const auto& [from, to] : edits) {
      const size_t at = text.find(from);
      if (at == std::string::npos) throw std::runtime_error("not in config: " + from);
      text.replace(at, from.size(), to);
    }
    const fs::path path = dir_ / "arch.yaml";
    std::ofstream(path) << text;
    return path.string();
  }

  CommandResult simulate(const std::string& args) {
    const CommandResult r = run_haqsim_bounded("simulate " + args + " --quiet --out " + out());
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    EXPECT_LT(usage.ru_maxrss / 1024, kMaxResidentMb) << "peak resident memory of " << args;
    return r;
  }
  static CommandResult run_haqsim_bounded(const std::string& args) {
    // `timeout` turns a hang into exit code 124 instead of a stuck test.
    const std::string bin = haqsim_binary();
    setenv("HAQSIM_BIN", ("timeout " + std::to_string(kTimeoutSeconds) + " " + bin).c_str(), 1);
    const CommandResult r = run_haqsim(args);
    setenv("HAQSIM_BIN", bin.c_str(), 1);
    return r;
  }
  std::string out() const { return (dir_ / "out").string(); }
  int layers_reported() const {
    std::ifstream in(dir_ / "out" / "summary.json");
    if (!in) return -1;
    return nlohmann::json::parse(in)["layers"].get<int>();
  }

  fs::path dir_;
};

void expect_refused(const CommandResult& r, const std::vector<std::string>& fragments) {
  EXPECT_EQ(r.exit_code, 2) << r.output;
  for (const auto& f : fragments) EXPECT_NE(r.output.find(f), std::string::npos) << r.output;
}

// The smallest BISMO array the config allows: 1 x 8 x 1 DPUs (Dk is packed in bytes) with
// 16-word buffers (one word of each of 8 bit planes per half).
const std::vector<std::pair<std::string, std::string>> kSmallestBismo = {
    {"dm: 8 ", "dm: 1 "},
    {"dn: 8 ", "dn: 1 "},
    {"dk: 256", "dk: 8"},
    {"lhs_depth: 1024", "lhs_depth: 16"},
    {"rhs_depth: 1024", "rhs_depth: 16"},
    {"result_depth: 2", "result_depth: 1"}};

TEST_F(Limits, SmallestBismoArraySimulates) {
  const std::string arch = config("bismo-edge", kSmallestBismo);
  auto r = simulate("--arch " + arch + " --model mobilenet_v1 --bits 8");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(layers_reported(), 28);
  r = simulate("--arch " + arch +
               " --model mobilenet_v1 --bits 8 --backend systemc --resolution 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(layers_reported(), 28);
}

TEST_F(Limits, OneBitDotProductsAreRefused) {
  expect_refused(
      simulate("--arch " + config("bismo-edge", {{"dk: 256", "dk: 1"}}) + " --model mobilenet_v1"),
      {"key 'bismo.dk'", "found '1'"});
}

TEST_F(Limits, BuffersTooShallowForEightBitOperandsAreRefused) {
  expect_refused(simulate("--arch " + config("bismo-edge", {{"lhs_depth: 1024", "lhs_depth: 2"}}) +
                          " --model mobilenet_v1"),
                 {"key 'bismo.lhs_depth'", "[16, ", "found '2'"});
}

TEST_F(Limits, GigabyteBismoBuffers) {
  const std::string arch = config("bismo-edge", {{"lhs_depth: 1024", "lhs_depth: 4194304"},
                                                 {"rhs_depth: 1024", "rhs_depth: 4194304"}});
  // Analytic: any buffer size is a few numbers.
  auto r = simulate("--arch " + arch + " --model mobilenet_v1 --bits 8");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(layers_reported(), 28);
  // Cycle-accurate: every buffer word lives in host memory, so 2 GiB is refused up front.
  expect_refused(simulate("--arch " + arch + " --model mobilenet_v1 --backend systemc"),
                 {"key 'bismo.lhs_depth'", "1024 MiB", "--backend analytic"});
}

TEST_F(Limits, GigabyteBitFusionBuffersSimulate) {
  const std::string arch = config("bitfusion", {{"wbuf_bytes: 65536", "wbuf_bytes: 1073741824"},
                                                {"ibuf_bytes: 32768", "ibuf_bytes: 1073741824"},
                                                {"obuf_bytes: 16384", "obuf_bytes: 1073741824"}});
  for (const char* backend : {"analytic", "systemc"}) {
    auto r =
        simulate("--arch " + arch + " --model mobilenet_v1 --resolution 8 --backend " + backend);
    ASSERT_EQ(r.exit_code, 0) << backend << r.output;
    EXPECT_EQ(layers_reported(), 28);
  }
}

TEST_F(Limits, SmallestBitFusionArraySimulatesAndTinyBuffersAreRefused) {
  auto r = simulate("--arch " +
                    config("bitfusion", {{"rows: 16 ", "rows: 1 "}, {"cols: 32 ", "cols: 1 "}}) +
                    " --model mobilenet_v1 --resolution 8 --backend systemc");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(layers_reported(), 28);
  expect_refused(
      simulate("--arch " + config("bitfusion", {{"wbuf_bytes: 65536", "wbuf_bytes: 16"}}) +
               " --model mobilenet_v1"),
      {"key 'bitfusion.wbuf_bytes'", "conv1", "expected a buffer of at least 1728 bytes",
       "found 16 bytes"});
}

TEST_F(Limits, FourThousandChannelLayersSimulate) {
  // --width 4: MobileNet-V1's last layers have 4096 channels.
  for (const char* arch : {"bismo-edge", "bitfusion"}) {
    const std::string path = std::string("arch-configs/") + arch + ".yaml";
    auto r = simulate("--arch " + path + " --model mobilenet_v1 --width 4");
    ASSERT_EQ(r.exit_code, 0) << arch << r.output;
    EXPECT_EQ(layers_reported(), 28);
    r = simulate("--arch " + path +
                 " --model mobilenet_v1 --width 4 --resolution 8 --backend systemc");
    ASSERT_EQ(r.exit_code, 0) << arch << r.output;
    EXPECT_EQ(layers_reported(), 28);
  }
}

TEST_F(Limits, ResolutionOneSimulates) {
  for (const char* arch : {"bismo-edge", "bitfusion"}) {
    for (auto [model, layers] : {std::pair{"mobilenet_v1", 28}, std::pair{"mobilenet_v2", 53},
                                 std::pair{"resnet50", 54}}) {
      auto r = simulate(std::string("--arch arch-configs/") + arch + ".yaml --model " + model +
                        " --resolution 1 --backend systemc");
      ASSERT_EQ(r.exit_code, 0) << arch << " " << model << r.output;
      EXPECT_EQ(layers_reported(), layers) << arch << " " << model;
    }
  }
}

}  // namespace
}  // namespace haqsim::testing
