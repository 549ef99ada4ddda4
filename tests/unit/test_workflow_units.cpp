// Units of the architect workflows: grid enumeration and shards, and cutting a VCD window.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/input_error.h"
#include "sim/bismo/bismo_config.h"
#include "sim/common/vcd_window_filter.h"
#include "tests/test_temp_dir.h"
#include "tools/app/sweep_grid.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SweepGrid, EnumeratesLikeNestedLoopsLastKeyFastest) {
  const SweepGrid grid = SweepGrid::load("arch-configs/grids/bismo-edge-array.yaml");
  ASSERT_EQ(grid.size(), 27);
  ASSERT_EQ(grid.parameters().size(), 3u);
  EXPECT_EQ(grid.parameters()[0].key, "bismo.dm");
  EXPECT_EQ(grid.values_at(0), (std::vector<std::string>{"4", "4", "64"}));
  EXPECT_EQ(grid.values_at(1), (std::vector<std::string>{"4", "4", "128"}));
  EXPECT_EQ(grid.values_at(3), (std::vector<std::string>{"4", "8", "64"}));
  EXPECT_EQ(grid.values_at(26), (std::vector<std::string>{"16", "16", "256"}));
  const ArchConfig c = grid.config_at(5);  // 4, 8, 256
  EXPECT_EQ(bismo_config(c).dm, 4);
  EXPECT_EQ(bismo_config(c).dn, 8);
  EXPECT_EQ(bismo_config(c).dk, 256);
  EXPECT_EQ(c.dram.ports, 4);  // the rest is the base config's
}

TEST(Shard, ParsesAndSlicesRoundRobin) {
  const Shard s = Shard::parse("1/3");
  EXPECT_TRUE(s.contains(1));
  EXPECT_TRUE(s.contains(4));
  EXPECT_FALSE(s.contains(0));
  EXPECT_EQ(s.to_string(), "1/3");
  for (const char* bad : {"3/3", "-1/3", "1/0", "1", "a/b", "1/3x"}) {
    EXPECT_THROW(Shard::parse(bad), InputError) << bad;
  }
}

class VcdWindow : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = haqsim_test_temp_dir() / "haqsim_vcd_window_in.vcd";
    out_ = haqsim_test_temp_dir() / "haqsim_vcd_window_out.vcd";
    std::ofstream(in_) << "$timescale 1 ns $end\n"
                          "$scope module SystemC $end\n"
                          "$var wire 3 a s $end\n"
                          "$var wire 1 b f $end\n"
                          "$upscope $end\n"
                          "$enddefinitions $end\n"
                          "$comment\nAll initial values are dumped below at time 0\n$end\n"
                          "#0\n$dumpvars\nb0 a\n0b\n$end\n"
                          "#5\nb1 a\n"
                          "#10\n1b\n"
                          "#12\nb10 a\n"
                          "#20\nb0 a\n0b\n";
  }
  void TearDown() override {
    fs::remove(in_);
    fs::remove(out_);
  }
  std::string body() const {
    const std::string all = read(out_);
    return all.substr(all.find("$enddefinitions $end\n") + 21);
  }
  fs::path in_, out_;
};

TEST_F(VcdWindow, StartsWithEveryValueAndKeepsOnlyTheWindow) {
  write_vcd_window(in_, out_, 7, 20);
  EXPECT_EQ(body(), "#7\n$dumpvars\nb1 a\n0b\n$end\n#10\n1b\n#12\nb10 a\n");
  EXPECT_EQ(read(out_).substr(0, 20), "$timescale 1 ns $end");
}

TEST_F(VcdWindow, ChangesAtTheFirstCycleFollowTheDump) {
  write_vcd_window(in_, out_, 10, -1);
  EXPECT_EQ(body(), "#10\n$dumpvars\nb1 a\n0b\n$end\n1b\n#12\nb10 a\n#20\nb0 a\n0b\n");
}

TEST_F(VcdWindow, AfterTheLastChangeOnlyTheValues) {
  write_vcd_window(in_, out_, 30, 40);
  EXPECT_EQ(body(), "#30\n$dumpvars\nb0 a\n0b\n$end\n");
}

TEST_F(VcdWindow, RefusesWhatIsNotVcd) {
  std::ofstream(in_) << "hello\n";
  EXPECT_THROW(write_vcd_window(in_, out_, 0, 10), std::runtime_error);
  EXPECT_FALSE(fs::exists(out_));
}

}  // namespace
}  // namespace haqsim
