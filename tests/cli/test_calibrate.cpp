// `haqsim calibrate` recovers the parameters of a config from measurements made with it: exactly
// (within 2%) from noise-free ones, within 10% from ones with 5% multiplicative noise; writes a
// valid config that says what it fitted; refuses bad measurement files by file, line and column.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "base/atomic_file.h"
#include "models/workload.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tests/cli/cli_runner.h"
#include "tests/test_temp_dir.h"
#include "tools/app/calibrate.h"
#include "tools/app/config_patch.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;

const char* kBase = "arch-configs/bismo-edge.yaml";
const std::vector<std::string> kKeys = {"dram.latency_cycles", "bismo.instruction_overhead_cycles",
                                        "energy.dpu_pj_per_binary_op"};
// The "hardware": the shipped config with other values than it ships with (40, 2, 0.45).
const std::vector<std::string> kTruth = {"67", "4", "0.6"};

Network network() {
  NetworkSpec spec;
  spec.resolution = 64;
  return build_model("mobilenet_v1", spec);
}

// Every layer at four precisions, measured on the "hardware" with multiplicative noise of
// relative standard deviation `noise`.
std::string measurements_csv(double noise, uint64_t seed) {
  const ArchConfig base = load_arch_config(kBase);
  const ArchConfig truth = config_with_values(base.content, base.file, kKeys, kTruth);
  auto model = make_cost_model(truth, Backend::kAnalytic);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> gauss(0.0, noise);
  std::string csv = "name,wbits,abits,cycles,energy_uj\n";
  for (const LayerWorkload& w : lower_network(network())) {
    for (LayerBits bits : {LayerBits{8, 8}, LayerBits{4, 4}, LayerBits{2, 8}, LayerBits{8, 2}}) {
      const LayerStats s = model->evaluate(w, bits);
      const double cycles = double(s.cycles) * (noise > 0 ? std::exp(gauss(rng)) : 1.0);
      const double energy = s.energy.total_pj() * 1e-6 * (noise > 0 ? std::exp(gauss(rng)) : 1.0);
      csv +=
          fmt::format("{},{},{},{:.3f},{:.9g}\n", w.name, bits.wbits, bits.abits, cycles, energy);
    }
  }
  return csv;
}

fs::path write_temp(const std::string& name, const std::string& text) {
  const fs::path dir = haqsim_test_temp_dir() / "haqsim_test_calibrate";
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path;
}

CalibrationResult fit(const std::string& csv_name, double noise) {
  const fs::path csv = write_temp(csv_name, measurements_csv(noise, 7));
  const ArchConfig base = load_arch_config(kBase);
  const Network net = network();
  const Measurements m = read_measurements(csv.string(), net);
  const auto params = parse_calibration_params(
      "dram.latency_cycles,bismo.instruction_overhead_cycles,energy.dpu_pj_per_binary_op", base);
  return calibrate(base, net, m, params, 800);
}

TEST(Calibrate, RecoversKnownParametersFromNoiseFreeMeasurements) {
  const CalibrationResult r = fit("clean.csv", 0.0);
  ASSERT_EQ(r.fitted.size(), 3u);
  EXPECT_NEAR(r.fitted[0], 67, 67 * 0.02);
  EXPECT_NEAR(r.fitted[1], 4, 4 * 0.02);
  EXPECT_NEAR(r.fitted[2], 0.6, 0.6 * 0.02);
  EXPECT_GT(r.before.rms_log, 0.05) << "the shipped values must be measurably wrong";
  EXPECT_LT(r.after.rms_log, 0.005);
  EXPECT_GT(r.after.spearman, 0.999);
  EXPECT_GE(r.after.spearman, r.before.spearman);
}

TEST(Calibrate, RecoversKnownParametersWithinTenPercentFromNoisyMeasurements) {
  const CalibrationResult r = fit("noisy.csv", 0.05);
  EXPECT_NEAR(r.fitted[0], 67, 67 * 0.10);
  EXPECT_NEAR(r.fitted[1], 4, 4 * 0.10);
  EXPECT_NEAR(r.fitted[2], 0.6, 0.6 * 0.10);
  EXPECT_LT(r.after.rms_log, r.before.rms_log);
  // 5% noise on each of time and energy leaves an RMS log error of about 0.05.
  EXPECT_LT(r.after.rms_log, 0.08);
}

TEST(Calibrate, CommandWritesAValidConfigThatSaysWhatItFitted) {
  const fs::path csv = write_temp("cli.csv", measurements_csv(0.0, 1));
  const fs::path out = csv.parent_path() / "calibrated.yaml";
  fs::remove(out);
  const auto r = testing::run_haqsim(
      fmt::format("calibrate --arch {} --model mobilenet_v1 --resolution 64 --measurements {} "
                  "--params dram.latency_cycles,bismo.instruction_overhead_cycles,"
                  "energy.dpu_pj_per_binary_op --out {} "
                  "--max-evaluations 300",
                  kBase, csv.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("RMS log error"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Spearman"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("worst"), std::string::npos) << r.output;
  const ArchConfig calibrated = load_arch_config(out.string());
  const YAML::Node tree = YAML::Load(calibrated.content);
  EXPECT_EQ(config_key_node(tree, "dram.latency_cycles").as<int>(), 67);
  EXPECT_EQ(config_key_node(tree, "bismo.instruction_overhead_cycles").as<int>(), 4);
  const std::string text = read_whole_file(out.string());
  EXPECT_NE(text.find("latency_cycles: 67  # CALIBRATED by haqsim calibrate (was 40)"),
            std::string::npos)
      << text;
  // The base config's own comments survive.
  EXPECT_NE(text.find("HAQ Table 1: 4 AXI HP ports"), std::string::npos);
}

TEST(Calibrate, RefusesBadMeasurementsByFileLineAndColumn) {
  const fs::path out = haqsim_test_temp_dir() / "haqsim_test_calibrate" / "never.yaml";
  struct Case {
    std::string csv, expect;
  };
  const std::vector<Case> cases = {
      {"name,wbits,abits,cycles\nconv1,9,8,100\n", ":2: key 'wbits'"},
      {"name,wbits,abits,cycles\nnot_a_layer,8,8,100\n", "not_a_layer"},
      {"name,wbits,abits\nconv1,8,8\n", "'cycles', 'ms' or 'latency_ms'"},
      {"name,wbits,abits,cycles\nconv1,8,8\n", "4 fields"},
      {"name,wbits,abits,cycles\nconv1,8,8,-3\n", "a positive number"},
      {"layer,wbits,abits,cycles\n99,8,8,100\n", "layer"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const fs::path csv = write_temp(fmt::format("bad{}.csv", i), cases[i].csv);
    const auto r = testing::run_haqsim(fmt::format(
        "calibrate --arch {} --model mobilenet_v1 --measurements {} --params dram.latency_cycles "
        "--out {}",
        kBase, csv.string(), out.string()));
    EXPECT_EQ(r.exit_code, 2) << cases[i].csv << r.output;
    EXPECT_NE(r.output.find(csv.string()), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(cases[i].expect), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out));
  }
  const fs::path good = write_temp("good.csv", "name,wbits,abits,cycles\nconv1,8,8,100\n");
  for (const std::string& params : {std::string("dram.no_such_key"), std::string("name"),
                                    std::string("dram.latency_cycles=9:3")}) {
    const auto r = testing::run_haqsim(fmt::format(
        "calibrate --arch {} --model mobilenet_v1 --measurements {} --params {} --out {}", kBase,
        good.string(), params, out.string()));
    EXPECT_EQ(r.exit_code, 2) << params << r.output;
    EXPECT_FALSE(fs::exists(out));
  }
}

}  // namespace
}  // namespace haqsim
