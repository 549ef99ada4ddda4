// Arch configs: the shipped files load, and every kind of mistake names file, line and key.
#include <gtest/gtest.h>

#include "base/input_error.h"
#include "sim/bismo/bismo_config.h"
#include "sim/bitfusion/bitfusion_config.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"
#include "tests/unit/test_helpers.h"

namespace haqsim {
namespace {

TEST(ArchConfig, ShippedConfigsLoad) {
  ArchConfig edge = load_arch_config("arch-configs/bismo-edge.yaml");
  ASSERT_EQ(edge.type, "bismo");
  EXPECT_EQ(bismo_config(edge).dm, 8);
  EXPECT_EQ(bismo_config(edge).dn, 8);
  EXPECT_EQ(bismo_config(edge).dk, 256);
  EXPECT_EQ(edge.dram.bytes_per_cycle(), 32);
  EXPECT_EQ(edge.batch, 1);
  EXPECT_LE(bismo_config(edge).estimated_bram36(), bismo_config(edge).device_bram36);
  EXPECT_LE(bismo_config(edge).estimated_luts(), bismo_config(edge).device_luts);

  ArchConfig cloud = load_arch_config("arch-configs/bismo-cloud.yaml");
  EXPECT_EQ(bismo_config(cloud).dm, 16);
  EXPECT_EQ(cloud.batch, 16);
  EXPECT_EQ(cloud.dram.bytes_per_cycle(), 128);
  EXPECT_LE(bismo_config(cloud).estimated_bram36(), bismo_config(cloud).device_bram36);

  ArchConfig bf = load_arch_config("arch-configs/bitfusion.yaml");
  ASSERT_EQ(bf.type, "bitfusion");
  EXPECT_EQ(bitfusion_config(bf).rows * bitfusion_config(bf).cols, 512);
  EXPECT_DOUBLE_EQ(bf.clock_mhz, 500);
  EXPECT_NEAR(bitfusion_config(bf).estimated_area_mm2(), 2.14, 1e-9);
}

// Loads the edge config with one line replaced (or appended), expecting an error whose message
// contains every fragment.
void expect_error(const std::string& from, const std::string& to,
                  const std::vector<std::string>& fragments) {
  std::string text = read_text("arch-configs/bismo-edge.yaml");
  if (!from.empty()) {
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  } else {
    text += to;
  }
  try {
    parse_arch_config(YamlInput::load_string(text, "edited.yaml"), text);
    FAIL() << "accepted: " << to;
  } catch (const InputError& e) {
    for (const auto& f : fragments) {
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos)
          << "message '" << e.what() << "' lacks '" << f << "'";
    }
  }
}

// Integers read as YAML 1.2's core schema says: a leading zero is still decimal (C's strtol
// would read "010" as octal 8), 0x is hex, 0o is octal; anything else is refused.
TEST(YamlInput, IntegersFollowYamlCoreSchema) {
  const YamlInput y = YamlInput::load_string(
      "a: 010\nb: 0x10\nc: 0o10\nd: -7\ne: +12\nf: 08x\ng: 1e3\nh: 0o9\ni: 0x\nj: "
      "99999999999999999999\nk: [010, 0x1f]\n",
      "ints.yaml");
  EXPECT_EQ(y.integer("a", 0, 100), 10);
  EXPECT_EQ(y.integer("b", 0, 100), 16);
  EXPECT_EQ(y.integer("c", 0, 100), 8);
  EXPECT_EQ(y.integer("d", -100, 100), -7);
  EXPECT_EQ(y.integer("e", 0, 100), 12);
  for (const char* bad : {"f", "g", "h", "i", "j"}) {
    try {
      y.integer(bad, -100, 100);
      FAIL() << bad << " accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("ints.yaml:"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("an integer"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(y.integer_list("k", 0, 100), (std::vector<int64_t>{10, 31}));
}

TEST(ArchConfig, ZeroArrayDimension) {
  expect_error("  dm: 8 ", "  dm: 0 ", {"edited.yaml:", "bismo.dm", "[1, 4096]", "'0'"});
}
TEST(ArchConfig, NonPowerOfTwoDk) {
  expect_error("  dk: 256", "  dk: 100", {"bismo.dk", "power of two", "100"});
}
TEST(ArchConfig, NegativeClock) {
  expect_error("clock_mhz: 200", "clock_mhz: -5", {"clock_mhz", "'-5'", "(0,"});
}
TEST(ArchConfig, UnknownKey) {
  expect_error("  dn: 8 ", "  dn: 8\n  dx: 3\n ", {"bismo.dx", "unknown key"});
}
TEST(ArchConfig, MissingKey) {
  expect_error("  rhs_depth: 1024", "", {"bismo.rhs_depth", "required key", "missing"});
}
TEST(ArchConfig, WrongType) {
  expect_error("batch: 1 ", "batch: [1, 2] ", {"batch", "a sequence"});
}
TEST(ArchConfig, UnknownType) {
  expect_error("type: bismo", "type: eyeriss", {"type", "bismo|bitfusion", "eyeriss"});
}
TEST(ArchConfig, SyntaxErrorNamesLine) {
  expect_error("", "bismo: [unclosed\n", {"edited.yaml:", "valid YAML"});
}
TEST(ArchConfig, LineNumberPointsAtTheValue) {
  std::string text = read_text("arch-configs/bismo-edge.yaml");
  const std::size_t at = text.find("  dm: 8");
  ASSERT_NE(at, std::string::npos) << "arch-configs/bismo-edge.yaml (run from the repository)";
  int line = 1;
  for (std::size_t i = 0; i < at; ++i) line += text[i] == '\n';
  expect_error("  dm: 8 ", "  dm: -1 ", {"edited.yaml:" + std::to_string(line) + ":"});
}
TEST(ArchConfig, MissingFile) {
  try {
    load_arch_config("no/such/file.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/file.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace haqsim
