// The haqsim binary end to end: help, models, simulate outputs, and the error contract (exit 2,
// a message naming the problem, no output left behind).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "tests/cli/cli_runner.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using testing::run_haqsim;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_cli_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string out() const { return dir_.string(); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static std::vector<std::string> lines(const fs::path& p) {
    std::vector<std::string> out;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  fs::path dir_;
};

TEST_F(Cli, HelpExplainsEveryCommand) {
  auto r = run_haqsim("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("simulate"), std::string::npos);
  EXPECT_NE(r.output.find("models"), std::string::npos);
  r = run_haqsim("simulate --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--arch", "--model", "--policy", "--bits", "--wbits", "--abits",
                             "--resolution", "--batch", "--backend", "--out"}) {
    EXPECT_NE(r.output.find(option), std::string::npos) << option;
  }
}

TEST_F(Cli, ModelsListsLayerCounts) {
  auto r = run_haqsim("models");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("mobilenet_v1"), std::string::npos);
  EXPECT_NE(r.output.find(" 28 "), std::string::npos);
  EXPECT_NE(r.output.find(" 53 "), std::string::npos);
}

// One row per layer of the network: the quantizable (array) layers and the host layers (the
// residual adds and the pool), each saying which it is.
TEST_F(Cli, SimulateWritesOneRowPerLayer) {
  for (auto [model, rows, host] :
       {std::tuple{"mobilenet_v1", 28, 1}, std::tuple{"mobilenet_v2", 53, 11}}) {
    fs::remove_all(dir_);
    auto r = run_haqsim(std::string("simulate --arch arch-configs/bismo-edge.yaml --model ") +
                        model + " --bits 8 --backend analytic --out " + out());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    auto csv = lines(dir_ / "layers.csv");
    ASSERT_EQ(int(csv.size()), rows + host + 1) << model;
    int on_array = 0;
    for (size_t i = 1; i < csv.size(); ++i) on_array += csv[i].find(",true,") != std::string::npos;
    EXPECT_EQ(on_array, rows) << model;
    for (const char* column : {"layer", "name", "kind", "on_array", "wbits", "abits", "macs",
                               "cycles", "stall_cycles", "dram_read_bytes", "dram_write_bytes",
                               "utilization", "bound", "latency_ms", "energy_mj"}) {
      EXPECT_NE(csv[0].find(column), std::string::npos) << column;
    }
    auto summary = nlohmann::json::parse(read(dir_ / "summary.json"));
    for (const char* key : {"arch", "model", "backend", "resolution", "batch", "layers",
                            "total_cycles", "latency_ms", "energy_mj"}) {
      EXPECT_TRUE(summary.contains(key)) << key;
    }
    EXPECT_EQ(summary["layers"], rows);
    EXPECT_EQ(summary["host_layers"], host);
    EXPECT_EQ(summary["total_cycles"].get<int64_t>(),
              summary["array_cycles"].get<int64_t>() + summary["host_cycles"].get<int64_t>());
    EXPECT_EQ(summary["model"], model);
    EXPECT_GT(summary["latency_ms"].get<double>(), 0);
    EXPECT_NE(r.output.find("total"), std::string::npos);
  }
}

TEST_F(Cli, EdgeAndCloudReportComputeAndMemoryBoundLayers) {
  // BISMO fetches through one memory port per request (BISMO.scala), so the depthwise layers,
  // with little reuse per fetched byte, go memory-bound first. At 8 bits the edge instance's
  // narrow port already makes them memory-bound while its pointwise layers stay compute-bound;
  // the cloud instance's wide port keeps every convolution compute-bound. At 4 bits both show
  // both bounds, and at 2 bits the bit-serial array is fast enough that every layer waits for
  // memory.
  auto bounds = [&](const char* arch, int bits) {
    fs::remove_all(dir_);
    auto r =
        run_haqsim(std::string("simulate --arch arch-configs/") + arch +
                   ".yaml --model mobilenet_v1 --bits " + std::to_string(bits) + " --out " + out());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    auto summary = nlohmann::json::parse(read(dir_ / "summary.json"));
    std::pair<int, int> memory_compute{0, 0};
    for (const auto& layer : summary["per_layer"]) {
      (layer["bound"] == "memory" ? memory_compute.first : memory_compute.second)++;
    }
    return memory_compute;
  };
  const auto edge8 = bounds("bismo-edge", 8), cloud8 = bounds("bismo-cloud", 8);
  EXPECT_GT(edge8.first, cloud8.first);
  EXPECT_GT(edge8.second, 0);
  for (const char* arch : {"bismo-edge", "bismo-cloud"}) {
    const auto at4 = bounds(arch, 4), at2 = bounds(arch, 2);
    EXPECT_GT(at4.first, 0) << arch;
    EXPECT_GT(at4.second, 0) << arch;
    EXPECT_GE(at2.first, at4.first) << arch;
  }
}

TEST_F(Cli, PolicyFileIsUsed) {
  fs::create_directories(dir_);
  std::string policy = "model: mobilenet_v1\nlayers:\n";
  for (int i = 0; i < 28; ++i) {
    policy += "  - {layer: " + std::to_string(i) + ", wbits: " + std::to_string(2 + i % 7) +
              ", abits: 4}\n";
  }
  std::ofstream(dir_ / "policy.yaml") << policy;
  auto r = run_haqsim("simulate --arch arch-configs/bitfusion.yaml --model mobilenet_v1 --policy " +
                      (dir_ / "policy.yaml").string() + " --out " + (dir_ / "run").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto csv = lines(dir_ / "run" / "layers.csv");
  EXPECT_NE(csv[2].find(",3,4,"), std::string::npos) << csv[2];  // layer 1: w3 a4
}

TEST_F(Cli, VerifyAgreesOnEveryBackendAndRefusesBadLayers) {
  fs::create_directories(dir_);
  auto r = run_haqsim(
      "verify --arch arch-configs/bitfusion.yaml --model mobilenet_v2 --bits 3 "
      "--resolution 32 --layers 0-2,17 --out " +
      (dir_ / "verify.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("verified: all 4 layers agree"), std::string::npos) << r.output;
  const auto csv = lines(dir_ / "verify.csv");
  ASSERT_EQ(csv.size(), 5u);
  for (size_t i = 1; i < csv.size(); ++i) EXPECT_NE(csv[i].find(",true"), std::string::npos);
  r = run_haqsim(
      "verify --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 --bits 4 "
      "--resolution 32 --layers 40");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--layers"), std::string::npos) << r.output;
}

// Bad input: exit code 2, a message naming the problem, and no output directory.
void expect_refused(const std::string& args, const std::string& fragment, const fs::path& out) {
  auto r = run_haqsim(args + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(fragment), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out / "layers.csv")) << args;
  EXPECT_FALSE(fs::exists(out / "summary.json")) << args;
}

TEST_F(Cli, BadInputIsRefusedWithoutOutput) {
  const std::string base = "simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1";
  expect_refused(base + " --bits 9", "--bits", dir_);
  expect_refused(base + " --backend verilog", "--backend", dir_);
  expect_refused("simulate --arch no-such.yaml --model mobilenet_v1", "no-such.yaml", dir_);
  expect_refused("simulate --arch arch-configs/bismo-edge.yaml --model lenet", "lenet", dir_);
  expect_refused(base + " --bits 4 --wbits 4 --abits 4", "excludes", dir_);
  fs::create_directories(dir_);
  std::ofstream(dir_ / "bad.yaml") << "layers:\n  - {layer: 0, wbits: 9, abits: 8}\n";
  expect_refused(base + " --policy " + (dir_ / "bad.yaml").string(), "layers", dir_);
}

// Every backend of both machines is built; what `--backend rtl` cannot run is an array shape
// Verilator was not asked to build. That is refused like any bad input: exit 2, the config file,
// key and the shapes that are built, no output. (In a build without the RTL, the backend answers
// "not built yet" with the same exit code.)
TEST_F(Cli, RtlBackendRefusesAnUnbuiltArrayShapeClearly) {
  fs::create_directories(dir_);
  std::string config = read("arch-configs/bitfusion.yaml");
  const std::string rows = "rows: 16", cols = "cols: 32";
  ASSERT_NE(config.find(rows), std::string::npos);
  ASSERT_NE(config.find(cols), std::string::npos);
  config.replace(config.find(rows), rows.size(), "rows: 8");
  config.replace(config.find(cols), cols.size(), "cols: 8");
  const fs::path arch = dir_ / "bitfusion-8x8.yaml";
  std::ofstream(arch) << config;
  const fs::path run = dir_ / "run";
  auto r = run_haqsim("simulate --arch " + arch.string() +
                      " --model mobilenet_v1 --resolution 32 --backend rtl --out " + run.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  if (r.output.find("not built yet") == std::string::npos) {
    EXPECT_NE(r.output.find("bitfusion-8x8.yaml"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("bitfusion.rows"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("2x3, 16x32"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("found 8x8"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(run)) << r.output;
}

// Issue 21: BISMO's `--backend rtl` on a shape that was not verilated said "internal error" with
// exit code 1, where BitFusion named the config file, the key and the built shapes.
TEST_F(Cli, BismoRtlBackendRefusesAnUnbuiltArrayShapeClearly) {
  fs::create_directories(dir_);
  std::string config = read("arch-configs/bismo-edge.yaml");
  const std::string dk = "dk: 256";
  ASSERT_NE(config.find(dk), std::string::npos);
  config.replace(config.find(dk), dk.size(), "dk: 128");
  const fs::path arch = dir_ / "bismo-8x128x8.yaml";
  std::ofstream(arch) << config;
  const fs::path run = dir_ / "run";
  auto r = run_haqsim("simulate --arch " + arch.string() +
                      " --model mobilenet_v1 --resolution 32 --backend rtl --out " + run.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  if (r.output.find("not built yet") == std::string::npos) {
    EXPECT_NE(r.output.find("bismo-8x128x8.yaml: key 'bismo.dm'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("8x256x8"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("found 8x128x8"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(run)) << r.output;
}

// Issue 21: a misspelt command was answered "A subcommand is required".
TEST_F(Cli, UnknownCommandIsNamedWithTheCommands) {
  auto r = run_haqsim("verifyy --arch arch-configs/bismo-edge.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown command 'verifyy'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("simulate, models"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("A subcommand is required"), std::string::npos) << r.output;
}

// Issue 21: `models` had no --width; its MACs and parameters scale with it.
TEST_F(Cli, ModelsTakesTheWidthMultiplier) {
  auto full = run_haqsim("models");
  auto half = run_haqsim("models --width 0.5");
  ASSERT_EQ(full.exit_code, 0) << full.output;
  ASSERT_EQ(half.exit_code, 0) << half.output;
  EXPECT_NE(half.output.find("width 0.5"), std::string::npos) << half.output;
  EXPECT_NE(full.output, half.output);
  EXPECT_EQ(run_haqsim("models --width 0").exit_code, 2);
}

// Issue 21: the README never mentioned ResNet-50, one of the three zoo networks. Every network
// `haqsim models` lists is named in the README (by its zoo name).
TEST_F(Cli, ReadmeNamesEveryZooNetwork) {
  auto r = run_haqsim("models");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string readme = read("README.md");
  std::istringstream listing(r.output);
  std::string line;
  std::getline(listing, line);  // header
  int networks = 0;
  while (std::getline(listing, line) && !line.empty()) {
    const std::string name = line.substr(0, line.find(' '));
    EXPECT_NE(readme.find("`" + name + "`"), std::string::npos) << name;
    ++networks;
  }
  EXPECT_EQ(networks, 3);
  EXPECT_NE(readme.find("ResNet-50"), std::string::npos);
}

}  // namespace
}  // namespace haqsim
