// `haqsim simulate`'s whole-run figures (issue 21): the resource estimate and `fits` against the
// config's device budget, with a warning naming the exceeded budget, and throughput for batches.
// Resources are checked against BISMO's published cost model (TRETS'19, the README's formula)
// computed here, throughput against the run's own latency.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/cli_runner.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_haqsim;

class SimulateFigures : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("haqsim_figures_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // bismo-edge.yaml with another array shape.
  fs::path edge_with(int dm, int dn, int dk) {
    std::string config = read("arch-configs/bismo-edge.yaml");
    for (auto [key, value] :
         {std::pair{"dm: 8", dm}, std::pair{"dn: 8", dn}, std::pair{"dk: 256", dk}}) {
      const std::string k = key;
      EXPECT_NE(config.find(k), std::string::npos) << k;
      config.replace(config.find(k), k.size(), k.substr(0, 4) + std::to_string(value));
    }
    const fs::path path = dir_ / fmt_name(dm, dn, dk);
    std::ofstream(path) << config;
    return path;
  }
  static std::string fmt_name(int dm, int dn, int dk) {
    return "bismo-" + std::to_string(dm) + "x" + std::to_string(dk) + "x" + std::to_string(dn) +
           ".yaml";
  }
  fs::path dir_;
};

// BISMO v2 (TRETS'19): LUTs = Dm*Dn*(1.17*Dk + 44.1); BRAM36 = ceil(Dk/32)*(Dm*ceil(lhs/1024) +
// Dn*ceil(rhs/1024)), with bismo-edge's 1024-word buffers.
double bismo_luts(int dm, int dn, int dk) {
  return dm * dn * (1.17 * dk + 44.1);
}
int bismo_bram36(int dm, int dn, int dk) {
  return (dk + 31) / 32 * (dm + dn);
}

TEST_F(SimulateFigures, ResourcesAndFitOfAnInstanceThatFits) {
  const fs::path out = dir_ / "run";
  auto r = run_haqsim(
      "simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 "
      "--resolution 32 --out " +
      out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("warning"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("on Zynq-7020: fits"), std::string::npos) << r.output;
  const json s = json::parse(read(out / "summary.json"));
  EXPECT_EQ(s["device"], "Zynq-7020");
  EXPECT_TRUE(s["fits"].get<bool>());
  EXPECT_NEAR(s["resources"]["luts"]["used"].get<double>(), bismo_luts(8, 8, 256), 1e-6);
  EXPECT_EQ(s["resources"]["luts"]["budget"].get<double>(), 53200);
  EXPECT_EQ(s["resources"]["luts"]["budget_key"], "device.luts");
  EXPECT_EQ(s["resources"]["bram36"]["used"].get<double>(), bismo_bram36(8, 8, 256));
  EXPECT_NEAR(s["resources"]["bram36"]["fraction"].get<double>(), 128.0 / 140, 1e-12);
}

TEST_F(SimulateFigures, AnInstanceOverBudgetIsWarnedAboutByBudget) {
  // 16x256x16 does not fit a Zynq-7020 (README: 88 k LUTs, 256 BRAM36).
  const fs::path arch = edge_with(16, 16, 256), out = dir_ / "run";
  auto r = run_haqsim("simulate --quiet --arch " + arch.string() +
                      " --model mobilenet_v1 --resolution 32 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;  // a warning, not an error: the model still runs
  EXPECT_NE(r.output.find("haqsim: warning:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("BRAM36 256 exceeds device.bram36 = 140 (Zynq-7020"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("exceeds device.luts = 53200"), std::string::npos) << r.output;
  const json s = json::parse(read(out / "summary.json"));
  EXPECT_FALSE(s["fits"].get<bool>());
  EXPECT_NEAR(s["resources"]["luts"]["used"].get<double>(), bismo_luts(16, 16, 256), 1e-6);
  EXPECT_EQ(s["resources"]["bram36"]["used"].get<double>(), bismo_bram36(16, 16, 256));

  // Only the exceeded budget is named: 8x512x8 needs 16 * 16 = 256 BRAM36 but only
  // 8 * 8 * (1.17 * 512 + 44.1) = 41,161 of the 53,200 LUTs.
  const fs::path deep = edge_with(8, 8, 512), out2 = dir_ / "run2";
  r = run_haqsim("simulate --arch " + deep.string() +
                 " --model mobilenet_v1 --resolution 32 --out " + out2.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("exceeds device.bram36"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("exceeds device.luts"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("DOES NOT FIT"), std::string::npos) << r.output;  // the table footer
}

TEST_F(SimulateFigures, ThroughputOfABatch) {
  const fs::path out = dir_ / "run";
  auto r = run_haqsim(
      "simulate --arch arch-configs/bismo-cloud.yaml --model mobilenet_v1 "
      "--resolution 32 --out " +
      out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json s = json::parse(read(out / "summary.json"));
  const int batch = s["batch"].get<int>();
  ASSERT_EQ(batch, 16);  // HAQ's cloud instance
  const double ms = s["latency_ms"].get<double>();
  EXPECT_NEAR(s["images_per_s"].get<double>(), batch * 1000.0 / ms, 1e-9 * batch * 1000.0 / ms);
  EXPECT_NEAR(s["ms_per_image"].get<double>(), ms / batch, 1e-12);
  EXPECT_NE(r.output.find("throughput: batch 16 in"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("images/s"), std::string::npos) << r.output;

  // Batch 1 has no throughput line (its latency is the image's).
  r = run_haqsim(
      "simulate --arch arch-configs/bismo-cloud.yaml --model mobilenet_v1 "
      "--resolution 32 --batch 1 --out " +
      (dir_ / "one").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("throughput:"), std::string::npos) << r.output;
}

TEST_F(SimulateFigures, HelpSaysTheDefaultPolicyAndTheUnits) {
  auto r = run_haqsim("simulate --help");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("8-bit weights and activations on every layer"), std::string::npos)
      << r.output;
  for (const char* unit : {"lat(ms) milliseconds", "energy(mJ) millijoules", "kB (10^3 bytes)",
                           "latency_ms, energy_mj"}) {
    EXPECT_NE(r.output.find(unit), std::string::npos) << unit;
  }
}

}  // namespace
}  // namespace haqsim
