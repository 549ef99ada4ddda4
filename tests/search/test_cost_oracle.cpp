// The cost oracle: a cached value equals a fresh simulation, a second run on the same hardware
// simulates nothing, identical layers share entries, a parallel fill equals a serial one,
// concurrent runs share one cache, and a damaged or foreign cache is rebuilt.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "models/zoo.h"
#include "search/cost_oracle.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"
#include "tests/test_temp_dir.h"

namespace haqsim::search {
namespace {

namespace fs = std::filesystem;

class CostOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_costs_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    NetworkSpec spec;
    spec.resolution = 32;
    net_ = build_model("mobilenet_v1", spec);
  }
  void TearDown() override { fs::remove_all(dir_); }
  CostCacheOptions cache() const { return {true, dir_.string()}; }
  fs::path dir_;
  Network net_;
};

TEST_F(CostOracleTest, CachedValuesEqualFreshSimulations) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  const std::vector<LayerBits> pairs = {{8, 8}, {2, 3}, {5, 1}};
  std::vector<LayerCost> first;
  {
    CostOracle oracle(config, Backend::kSystemC, net_, cache());
    for (int i = 0; i < oracle.layers(); ++i) {
      for (LayerBits b : pairs) first.push_back(oracle.layer(i, b));
    }
    // MobileNet-V1's five identical 14x14 blocks (conv8..conv12, dw and pw) share entries.
    EXPECT_LT(oracle.simulations(), int64_t(first.size()));
  }
  CostOracle again(config, Backend::kSystemC, net_, cache());
  EXPECT_TRUE(again.cache_problem().empty()) << again.cache_problem();
  auto fresh = make_cost_model(config, Backend::kSystemC);
  const auto workloads = lower_network(net_);
  size_t k = 0;
  for (int i = 0; i < again.layers(); ++i) {
    for (LayerBits b : pairs) {
      const LayerCost& cached = again.layer(i, b);
      const LayerStats stats = fresh->evaluate(workloads[i], b);
      EXPECT_EQ(cached.cycles, stats.cycles) << i;
      EXPECT_DOUBLE_EQ(cached.latency_ms, config.cycles_to_ms(double(stats.cycles))) << i;
      EXPECT_DOUBLE_EQ(cached.energy_mj, stats.energy.total_pj() * 1e-9) << i;
      EXPECT_EQ(cached.cycles, first[k].cycles);
      EXPECT_DOUBLE_EQ(cached.energy_mj, first[k].energy_mj);
      ++k;
    }
  }
  EXPECT_EQ(again.simulations(), 0) << "a second run on the same hardware must not simulate";
}

TEST_F(CostOracleTest, ParallelFillEqualsSerialFill) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  CostOracle serial(config, Backend::kSystemC, net_, {false, ""});
  serial.fill(3, 5, false, 1);
  CostOracle parallel(config, Backend::kSystemC, net_, cache());
  parallel.fill(3, 5, false, 3);
  EXPECT_EQ(parallel.simulations(), serial.simulations());
  for (int i = 0; i < serial.layers(); ++i) {
    for (int w = 3; w <= 5; ++w) {
      for (int a = 3; a <= 5; ++a) {
        EXPECT_EQ(parallel.layer(i, {w, a}).cycles, serial.layer(i, {w, a}).cycles) << i;
        EXPECT_EQ(parallel.layer(i, {w, a}).energy_mj, serial.layer(i, {w, a}).energy_mj) << i;
      }
    }
  }
  EXPECT_EQ(parallel.simulations(), serial.simulations()) << "queries after fill simulated";
  CostOracle reader(config, Backend::kSystemC, net_, cache());
  reader.fill(3, 5, false, 2);
  EXPECT_EQ(reader.simulations(), 0);
}

// Two processes filling different bit ranges of one cache at once (each saving every entry as
// soon as it has it, so their read-merge-writes interleave) lose nothing: a third run finds
// every entry and simulates nothing.
TEST_F(CostOracleTest, ConcurrentRunsShareOneCacheWithoutLosingEntries) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  std::vector<pid_t> children;
  for (int part = 0; part < 2; ++part) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        CostOracle oracle(config, Backend::kAnalytic, net_, cache());
        for (int i = 0; i < oracle.layers(); ++i) {
          for (int w = 1 + 4 * part; w <= 4 + 4 * part; ++w) {
            for (int a = 1; a <= 8; ++a) {
              oracle.layer(i, {w, a});
              oracle.save();
            }
          }
        }
      } catch (...) {
        code = 1;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  CostOracle reader(config, Backend::kAnalytic, net_, cache());
  EXPECT_TRUE(reader.cache_problem().empty()) << reader.cache_problem();
  reader.fill(1, 8, false);
  EXPECT_EQ(reader.simulations(), 0);
}

TEST_F(CostOracleTest, AnotherConfigOrBackendDoesNotShareEntries) {
  const ArchConfig edge = load_arch_config("arch-configs/bismo-edge.yaml");
  const ArchConfig cloud = load_arch_config("arch-configs/bismo-cloud.yaml");
  {
    CostOracle oracle(edge, Backend::kAnalytic, net_, cache());
    oracle.layer(3, {4, 4});
  }
  CostOracle other_arch(cloud, Backend::kAnalytic, net_, cache());
  other_arch.layer(3, {4, 4});
  EXPECT_EQ(other_arch.simulations(), 1);
  CostOracle other_backend(edge, Backend::kSystemC, net_, cache());
  other_backend.layer(3, {4, 4});
  EXPECT_EQ(other_backend.simulations(), 1);
  EXPECT_NE(other_arch.cache_path(), other_backend.cache_path());
}

TEST_F(CostOracleTest, DamagedOrForeignCacheIsReportedAndRebuilt) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  std::string path;
  LayerCost good;
  {
    CostOracle oracle(config, Backend::kAnalytic, net_, cache());
    good = oracle.layer(2, {3, 3});
    path = oracle.cache_path();
  }
  // Flip one digit inside an entry: the checksum catches it.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t pos = bytes.find('|') + 3;
  bytes[pos] = bytes[pos] == '7' ? '8' : '7';
  std::ofstream(path, std::ios::binary) << bytes;
  {
    CostOracle oracle(config, Backend::kAnalytic, net_, cache());
    EXPECT_NE(oracle.cache_problem().find("checksum"), std::string::npos) << oracle.cache_problem();
    EXPECT_EQ(oracle.layer(2, {3, 3}).cycles, good.cycles);
    EXPECT_EQ(oracle.simulations(), 1);
  }
  // Rebuilt: trusted again.
  CostOracle rebuilt(config, Backend::kAnalytic, net_, cache());
  EXPECT_TRUE(rebuilt.cache_problem().empty()) << rebuilt.cache_problem();
  rebuilt.layer(2, {3, 3});
  EXPECT_EQ(rebuilt.simulations(), 0);
  // A file from somewhere else under this name is not trusted either.
  std::ofstream(path, std::ios::binary) << "haqsim-cost-cache 0\nwhatever\n";
  CostOracle foreign(config, Backend::kAnalytic, net_, cache());
  EXPECT_NE(foreign.cache_problem().find("version"), std::string::npos) << foreign.cache_problem();
}

TEST_F(CostOracleTest, PolicyCostSumsLayersAndSizeCountsWeightBits) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  CostOracle oracle(config, Backend::kAnalytic, net_, CostCacheOptions{false, ""});
  Policy p = Policy::uniform(oracle.layers(), 4, 8);
  const PolicyCost c = oracle.cost(p);
  double latency = 0, energy = 0;
  for (int i = 0; i < oracle.layers(); ++i) {
    latency += oracle.layer(i, p.layers[i]).latency_ms;
    energy += oracle.layer(i, p.layers[i]).energy_mj;
  }
  EXPECT_DOUBLE_EQ(c.latency_ms, latency);
  EXPECT_DOUBLE_EQ(c.energy_mj, energy);
  EXPECT_NEAR(c.size_mb, double(net_.total_weights()) * 4 / 8 / 1e6, 1e-9);
  EXPECT_THROW(oracle.layer(0, {9, 8}), std::out_of_range);
  EXPECT_THROW(oracle.layer(28, {8, 8}), std::out_of_range);
}

// With the k-means quantizer a layer stores wbits per weight plus its codebook: 2^wbits entries of
// 16 bits and an 8-bit grid exponent (models/quant/weight_storage.h).
TEST_F(CostOracleTest, KMeansSizeCountsIndicesAndCodebooks) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  CostOracle oracle(config, Backend::kAnalytic, net_, CostCacheOptions{false, ""});
  oracle.set_weight_quantizer(WeightQuantizer::kKMeans);
  Policy p = Policy::uniform(oracle.layers(), 3, 8);
  p.layers[0].wbits = 2;
  const int64_t first = oracle.workloads()[0].weight_elements();
  EXPECT_DOUBLE_EQ(oracle.layer_size_mb(0, 2), double(first * 2 + 4 * 16 + 8) / 8 / 1e6);
  const int64_t rest = net_.total_weights() - first;
  const int64_t bits = first * 2 + 4 * 16 + 8 + rest * 3 + (oracle.layers() - 1) * (8 * 16 + 8);
  EXPECT_NEAR(oracle.cost(p).size_mb, double(bits) / 8 / 1e6, 1e-12);
}

}  // namespace
}  // namespace haqsim::search
