// `haqsim codesign` end to end on a 4-point BISMO grid (analytic costs, few images, bits 6..8 so
// the ILP's sensitivities take seconds): the table and its front, shards merged equal to the
// unsharded run, a killed run resumed equal to an uninterrupted one, and bad input refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/cli_runner.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using testing::run_haqsim;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> rows_of(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

class CodesignCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_codesign_cli_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "grid.yaml") << "base: " << fs::absolute("arch-configs/bismo-edge.yaml")
                                      << "\ngrid:\n  bismo:\n    dm: [4, 8]\n    dk: [64, 256]\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Each run its own cache unless told, so a resumed run measures what it did not finish.
  std::string common(const std::string& out, const std::string& cache = "") const {
    return "codesign --grid " + (dir_ / "grid.yaml").string() +
           " --model mobilenet_v1 --constraint latency --target 0.8 --min-bits 6 "
           "--eval-images 30 --rerank-images 40 --finalists 2 --test-images 60 "
           "--calibration-images 64 --ilp-sensitivity measured --quiet --cache-dir " +
           (dir_ / (cache.empty() ? "cache-" + out : cache)).string() + " --out " +
           (dir_ / out).string();
  }
  fs::path dir_;
};

TEST_F(CodesignCli, EveryFittingPointGetsAPolicyWithinOneBudgetAndShardsMergeToTheSameRun) {
  const auto r = run_haqsim(common("full") + " --method ilp");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = rows_of(dir_ / "full" / "codesign.csv");
  ASSERT_EQ(rows.size(), 1u + 4);
  const auto& h = rows[0];
  auto col = [&](const std::string& name) {
    return size_t(std::find(h.begin(), h.end(), name) - h.begin());
  };
  ASSERT_LT(col("policy"), h.size());
  const auto meta = nlohmann::json::parse(std::ifstream(dir_ / "full" / "codesign.json"));
  const double budget = meta["budget"];
  // The budget is the base config's (bismo-edge: point 3 here) 8-bit latency times 0.8.
  EXPECT_NEAR(budget, 0.8 * std::stod(rows[4][col("latency_8bit_ms")]), 1e-6 * budget);
  int searched = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    ASSERT_EQ(row.size(), h.size()) << "line " << i + 1;
    EXPECT_NEAR(std::stod(row[col("budget")]), budget, 1e-6 * budget);
    if (row[col("status")] != "searched") continue;
    ++searched;
    EXPECT_LE(std::stod(row[col("latency_ms")]), budget * (1 + 1e-9)) << i;
    EXPECT_EQ(row[col("fits")], "true");
    // The policy is one per quantizable layer, first and last pinned at 8 bits.
    const std::string policy = row[col("policy")];
    EXPECT_EQ(std::count(policy.begin(), policy.end(), '/'), 28) << policy;
    EXPECT_EQ(policy.substr(0, 4), "8/8 ");
    // The drop is against the 8-bit policy on the same test images.
    EXPECT_NEAR(std::stod(row[col("drop_vs_8bit")]),
                double(meta["reference_8bit_test_accuracy"]) - std::stod(row[col("accuracy_test")]),
                1e-3);
  }
  EXPECT_GE(searched, 2);
  // Every front point is searched, fits, and no other searched point beats it in all three.
  const auto front = rows_of(dir_ / "full" / "front.csv");
  ASSERT_GE(front.size(), 2u);
  EXPECT_EQ(front[0], rows[0]);
  for (size_t i = 1; i < front.size(); ++i) {
    EXPECT_EQ(front[i][col("status")], "searched");
    EXPECT_EQ(front[i][col("fits")], "true");
  }
  // The run renders as a report (front plot, policies of the front, tables).
  const auto report = run_haqsim("report " + (dir_ / "full").string());
  EXPECT_EQ(report.exit_code, 0) << report.output;
  EXPECT_TRUE(fs::exists(dir_ / "full" / "plots" / "codesign_front.png"));
  // Two shards and a merge: the same files, byte for byte.
  for (int s = 0; s < 2; ++s) {
    const std::string out = "shard" + std::to_string(s);
    const auto rs = run_haqsim(common(out) + " --method ilp --shard " + std::to_string(s) + "/2");
    ASSERT_EQ(rs.exit_code, 0) << rs.output;
    EXPECT_FALSE(fs::exists(dir_ / out / "front.csv"));
  }
  const auto m = run_haqsim("merge " + (dir_ / "shard0").string() + " " +
                            (dir_ / "shard1").string() + " --out " + (dir_ / "merged").string());
  ASSERT_EQ(m.exit_code, 0) << m.output;
  for (const char* f : {"codesign.csv", "codesign.json", "front.csv"}) {
    EXPECT_EQ(read(dir_ / "merged" / f), read(dir_ / "full" / f)) << f;
  }
  // A shard alone is not the whole run.
  const auto partial =
      run_haqsim("merge " + (dir_ / "shard0").string() + " --out " + (dir_ / "part").string());
  EXPECT_EQ(partial.exit_code, 2) << partial.output;
  EXPECT_NE(partial.output.find("missing"), std::string::npos) << partial.output;
}

TEST_F(CodesignCli, KilledRunResumesToTheUninterruptedResult) {
  const std::string methods = " --method evolution,ilp --episodes 5";
  ASSERT_EQ(run_haqsim(common("full") + methods).exit_code, 0);
  // Killed after one finished point, then inside a point's evolutionary search.
  const auto a = run_haqsim(common("resumed") + methods + " --stop-after-points 1");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_FALSE(fs::exists(dir_ / "resumed" / "codesign.csv"));
  const auto again = run_haqsim(common("resumed") + methods);
  EXPECT_EQ(again.exit_code, 2) << again.output;  // without --resume
  EXPECT_NE(again.output.find("--resume"), std::string::npos) << again.output;
  const auto b = run_haqsim(common("resumed") + methods + " --resume --stop-after 2");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  const auto c = run_haqsim(common("resumed") + methods + " --resume");
  ASSERT_EQ(c.exit_code, 0) << c.output;
  EXPECT_EQ(read(dir_ / "resumed" / "codesign.csv"), read(dir_ / "full" / "codesign.csv"));
  EXPECT_EQ(read(dir_ / "resumed" / "front.csv"), read(dir_ / "full" / "front.csv"));
}

TEST_F(CodesignCli, BadInputIsRefusedWithoutOutput) {
  const auto method = run_haqsim(common("m") + " --method ilp,annealing");
  EXPECT_EQ(method.exit_code, 2) << method.output;
  EXPECT_NE(method.output.find("--method"), std::string::npos) << method.output;
  const auto target = run_haqsim(common("t") + " --target fast");
  EXPECT_EQ(target.exit_code, 2) << target.output;
  EXPECT_NE(target.output.find("--target"), std::string::npos) << target.output;
  std::ofstream(dir_ / "bad-grid.yaml") << "base: nowhere.yaml\ngrid:\n  bismo:\n    dm: [4]\n";
  const auto grid = run_haqsim("codesign --grid " + (dir_ / "bad-grid.yaml").string() +
                               " --model mobilenet_v1 --target 0.5 --out " + (dir_ / "g").string());
  EXPECT_EQ(grid.exit_code, 2) << grid.output;
  EXPECT_NE(grid.output.find("bad-grid.yaml"), std::string::npos) << grid.output;
  for (const char* out : {"m", "t", "g"}) EXPECT_FALSE(fs::exists(dir_ / out)) << out;
}

}  // namespace
}  // namespace haqsim
