// Golden regression, one file per shipped instance (tests/contract/golden/<config>.csv, one line
// per layer): the per-layer cycles, compute cycles and DRAM traffic of MobileNet-V1 and V2 at
// 224x224x3, 8/8, on the analytic and systemc backends, as tests/contract/make_golden.sh wrote
// them. A refactor must leave every number as it was; a change to a machine's timing regenerates
// the file with the script, in the same commit that says why.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "models/zoo.h"
#include "sim/registry.h"

namespace haqsim {
namespace {

struct GoldenRow {
  std::string model, backend, name;
  int layer = 0;
  int64_t cycles = 0, compute_cycles = 0, dram_read_bytes = 0, dram_write_bytes = 0;
};

std::vector<GoldenRow> read_golden(const std::string& path) {
  std::vector<GoldenRow> rows;
  std::istringstream in(read_whole_file(path));
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      header = true;
      EXPECT_EQ(line,
                "model,backend,layer,name,cycles,compute_cycles,dram_read_bytes,"
                "dram_write_bytes")
          << path;
      continue;
    }
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    GoldenRow r;
    fields >> r.model >> r.backend >> r.layer >> r.name >> r.cycles >> r.compute_cycles >>
        r.dram_read_bytes >> r.dram_write_bytes;
    EXPECT_FALSE(fields.fail()) << path << ": " << line;
    rows.push_back(r);
  }
  return rows;
}

class GoldenCycles : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCycles, EveryLayerAsRecorded) {
  const std::string name = GetParam();
  const std::vector<GoldenRow> golden = read_golden("tests/contract/golden/" + name + ".csv");
  ASSERT_FALSE(golden.empty());
  const ArchConfig config = load_arch_config("arch-configs/" + name + ".yaml");
  NetworkSpec spec;
  spec.batch = config.batch;
  std::map<std::pair<std::string, std::string>, std::vector<LayerStats>> computed;
  ModelOptions unverified;
  unverified.verify = false;  // timing only; bit-exactness is the contract suite's
  for (const GoldenRow& row : golden) {
    auto key = std::make_pair(row.model, row.backend);
    if (!computed.count(key)) {
      auto model = make_cost_model(config, parse_backend(row.backend), unverified);
      for (const LayerWorkload& layer : lower_network(build_model(row.model, spec))) {
        computed[key].push_back(model->evaluate(layer, {8, 8}));
      }
    }
    const std::vector<LayerStats>& stats = computed[key];
    ASSERT_LT(row.layer, int(stats.size())) << row.model;
    const LayerStats& s = stats[size_t(row.layer)];
    const std::string what = name + " " + row.model + " " + row.backend + " " + row.name;
    EXPECT_EQ(s.cycles, row.cycles) << what;
    EXPECT_EQ(s.compute_cycles, row.compute_cycles) << what;
    EXPECT_EQ(s.dram_read_bytes, row.dram_read_bytes) << what;
    EXPECT_EQ(s.dram_write_bytes, row.dram_write_bytes) << what;
  }
  for (const auto& [key, stats] : computed) {
    int rows = 0;
    for (const GoldenRow& row : golden) rows += row.model == key.first && row.backend == key.second;
    EXPECT_EQ(rows, int(stats.size())) << name << " " << key.first << " " << key.second;
  }
}

std::vector<std::string> golden_files() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator("tests/contract/golden")) {
    if (e.path().extension() == ".csv") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Shipped, GoldenCycles, ::testing::ValuesIn(golden_files()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace haqsim
