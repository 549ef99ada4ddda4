// `haqsim simulate --trace`: the VCD of one MobileNet layer's cycle window from the SystemC
// models (BISMO, BitFusion) and from the verilated BISMO and BitFusion arrays parses and holds
// that window only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/cli/cli_runner.h"
#include "tests/cli/vcd_reader.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using testing::read_vcd;
using testing::run_haqsim;
using testing::Vcd;

class Trace : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_trace_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // MobileNet-V1 at 32x32 keeps the whole-network run short; the traced layer is a real one.
  Vcd simulate(const std::string& arch, const std::string& backend, const std::string& trace) {
    auto r =
        run_haqsim("simulate --arch arch-configs/" + arch +
                   " --model mobilenet_v1 --resolution 32 --bits 4 --quiet --backend " + backend +
                   " --out " + path("run") + " --trace " + path("t.vcd") + " " + trace);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(fs::exists(path("t.vcd.full.vcd")));
    return read_vcd(path("t.vcd"));
  }
  static void expect_window(const Vcd& vcd, int64_t begin, int64_t end) {
    ASSERT_FALSE(vcd.times.empty());
    EXPECT_EQ(vcd.times.front(), begin);
    for (int64_t t : vcd.times) {
      EXPECT_GE(t, begin);
      EXPECT_LT(t, end);
    }
    // The window opens with the value of every variable.
    size_t at_begin = 0;
    for (const auto& c : vcd.changes) at_begin += c.time == begin;
    EXPECT_GE(at_begin, vcd.variables.size());
  }
  fs::path dir_;
};

TEST_F(Trace, BismoSystemCWindow) {
  const Vcd vcd = simulate("bismo-edge.yaml", "systemc", "--trace-layer 1 --trace-cycles 100:600");
  EXPECT_EQ(vcd.timescale, "1ns");
  for (const char* s : {"fetch_state", "execute_state", "result_state", "tokens_fetch_to_execute",
                        "dram_reads_in_flight", "dram_writes_in_flight"}) {
    EXPECT_TRUE(vcd.has_variable(s)) << s;
  }
  expect_window(vcd, 100, 600);
  EXPECT_GT(vcd.times.size(), 3u);  // the stages do change state inside the window

  // The window is the whole-layer trace cut, not a different simulation.
  fs::rename(path("t.vcd"), path("window.vcd"));
  const Vcd full = simulate("bismo-edge.yaml", "systemc", "--trace-layer 1");
  const Vcd window = read_vcd(path("window.vcd"));
  std::vector<std::tuple<int64_t, std::string, std::string>> a, b;
  for (const auto& c : full.changes) {
    if (c.time > 100 && c.time < 600) a.emplace_back(c.time, full.variables.at(c.id).name, c.value);
  }
  for (const auto& c : window.changes) {
    if (c.time > 100) b.emplace_back(c.time, window.variables.at(c.id).name, c.value);
  }
  EXPECT_EQ(a, b);
  EXPECT_EQ(full.times.front(), 0);
}

// Issue 21: execute_run_words read x in the VCD (SystemC writes a traced int wider than 32 bits
// as x) and every signal was one bit wider than its values (a 3-bit stage state, 17-bit FIFO
// levels). Now each has the width of its values and no value is unknown.
TEST_F(Trace, SystemCSignalsHaveTheirWidthsAndKnownValues) {
  for (const char* arch : {"bismo-edge.yaml", "bitfusion.yaml"}) {
    SCOPED_TRACE(arch);
    const Vcd vcd = simulate(arch, "systemc", "--trace-layer 1");
    std::map<std::string, std::string> last_value;
    for (const auto& c : vcd.changes) {
      EXPECT_EQ(c.value.find_first_of("xXzZ"), std::string::npos)
          << vcd.variables.at(c.id).name << " = " << c.value << " at " << c.time;
      last_value[vcd.variables.at(c.id).name] = c.value;
    }
    for (const auto& [id, v] : vcd.variables) {
      if (v.name.size() > 6 && v.name.substr(v.name.size() - 6) == "_state") {
        EXPECT_EQ(v.width, 2) << v.name;  // 0 idle, 1 busy, 2 waiting for a token, 3 for memory
      } else if (v.name.rfind("tokens_", 0) == 0) {
        EXPECT_GE(v.width, 1) << v.name;  // the bits of the channel's depth
        EXPECT_LT(v.width, 16) << v.name;
      } else {
        EXPECT_EQ(v.width, 32) << v.name;  // counters
      }
    }
    // The word count is traced with real values, not only its initial 0.
    bool counted = false;
    for (const auto& c : vcd.changes) {
      const std::string& name = vcd.variables.at(c.id).name;
      counted |= (name == "execute_run_words" || name == "compute_step_vectors") &&
                 c.value.find('1') != std::string::npos;
    }
    EXPECT_TRUE(counted);
  }
}

TEST_F(Trace, BitFusionSystemCWindow) {
  const Vcd vcd = simulate("bitfusion.yaml", "systemc", "--trace-layer 1 --trace-cycles 50:400");
  for (const char* s : {"load_state", "compute_state", "store_state", "tokens_step_ready",
                        "dram_reads_in_flight", "compute_step_vectors"}) {
    EXPECT_TRUE(vcd.has_variable(s)) << s;
  }
  expect_window(vcd, 50, 400);
}

TEST_F(Trace, BismoRtlWindow) {
  // Verilator's VCD: 10 time units per cycle, the rising edge of cycle c at 10c + 5.
  const Vcd vcd = simulate("bismo-edge.yaml", "rtl", "--trace-layer 2 --trace-cycles 40:90");
  expect_window(vcd, 400, 900);
  EXPECT_EQ(vcd.times.back(), 895);
  bool clock = false;
  for (const auto& [id, v] : vcd.variables) clock |= v.name == "clk";
  EXPECT_TRUE(clock);
}

TEST_F(Trace, BitFusionRtlWindow) {
  // The verilated Fusion Unit array, clocked through every machine cycle of the traced layer (a
  // depthwise one, so the array runs in its per-unit activation mode).
  const Vcd vcd = simulate("bitfusion.yaml", "rtl", "--trace-layer 1 --trace-cycles 40:90");
  expect_window(vcd, 400, 900);
  EXPECT_EQ(vcd.times.back(), 895);
  for (const char* s : {"clk", "psum_valid", "act_per_unit", "abits", "act_valid"}) {
    EXPECT_TRUE(vcd.has_variable(s)) << s;
  }
}

TEST_F(Trace, BadTraceRequestsAreRefused) {
  const std::string base =
      "simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 --resolution 32 --quiet "
      "--out " +
      path("run") + " --trace " + path("t.vcd");
  struct Case {
    std::string args, expect;
  };
  for (const Case& c :
       {Case{" --backend analytic --trace-layer 1", "--trace"},
        Case{" --backend systemc --trace-layer 28", "--trace-layer"},
        Case{" --backend systemc", "--trace-layer"},
        Case{" --backend systemc --trace-layer 1 --trace-cycles 9:3", "--trace-cycles"},
        Case{" --backend systemc --trace-layer 1 --trace-cycles 3-9", "--trace-cycles"},
        // A window that opens after the layer's last cycle (issue 21: a header-only VCD, exit 0).
        Case{" --backend systemc --trace-layer 1 --trace-cycles 100000000:",
             "a window that starts within layer 1's"}}) {
    auto r = run_haqsim(base + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(path("t.vcd")));
    EXPECT_FALSE(fs::exists(path("run")));
  }
}

}  // namespace
}  // namespace haqsim
