// `haqsim search` end to end (analytic costs and few episodes, so it runs in seconds): outputs,
// the three constraints, bad input, and a search killed with SIGKILL and resumed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/cli/cli_runner.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using testing::haqsim_binary;
using testing::run_haqsim;

std::vector<std::string> lines(const fs::path& p) {
  std::vector<std::string> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The cells of the row of `csv` whose first cell is `method` (empty if there is none).
std::vector<std::string> row_of(const fs::path& csv, const std::string& method) {
  for (const std::string& line : lines(csv)) {
    if (line.rfind(method + ",", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    return cells;
  }
  return {};
}

// episodes.csv without the wall-time column (the only one that may differ between runs).
std::vector<std::string> episodes_without_time(const fs::path& p) {
  std::vector<std::string> out;
  for (const std::string& line : lines(p)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
    if (cells.size() > 11) cells.erase(cells.begin() + 11);
    std::string joined;
    for (const auto& c : cells) joined += c + ",";
    out.push_back(joined);
  }
  return out;
}

class SearchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_search_cli_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string common(const std::string& out) const {
    return "search --model mobilenet_v1 --backend analytic --eval-images 40 --test-images 100 "
           "--rerank-images 60 --finalists 3 --calibration-images 64 --warmup 3 --hidden 64 "
           "--batch-size 16 --hessian-images 16 --cache-dir " +
           (dir_ / "cache").string() + " --out " + (dir_ / out).string();
  }
  fs::path dir_;
};

TEST_F(SearchCli, LatencySearchWritesEveryOutput) {
  const auto r = run_haqsim(common("lat") +
                            " --arch arch-configs/bismo-edge.yaml --constraint latency "
                            "--target 0.6 --episodes 8 --random-episodes 4");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* f : {"policy.yaml", "episodes.csv", "comparison.csv", "finalists.csv",
                        "search.json", "layers.csv", "summary.json", "reference_8bit/layers.csv",
                        "reference_8bit/summary.json", "checkpoint.bin"}) {
    EXPECT_TRUE(fs::exists(dir_ / "lat" / f)) << f;
  }
  EXPECT_EQ(lines(dir_ / "lat" / "episodes.csv").size(), 1u + 8 + 4);
  EXPECT_NE(r.output.find("uniform-4"), std::string::npos) << r.output;
  const auto summary = nlohmann::json::parse(std::ifstream(dir_ / "lat" / "search.json"));
  const double budget = summary["budget"];
  EXPECT_LE(double(summary["ddpg"]["latency_ms"]), budget * (1 + 1e-9));
  EXPECT_NEAR(budget, 0.6 * double(summary["reference_8bit"]["latency_ms"]), 1e-9);
  // The winner is the DDPG finalist most accurate on the held-out images, and those images
  // are not the search's (finalists are the best on the search subset, not on the held-out one).
  const auto finalists = lines(dir_ / "lat" / "finalists.csv");
  double best_held_out = -1;
  int ddpg_finalists = 0;
  for (size_t i = 1; i < finalists.size(); ++i) {
    if (finalists[i].rfind("ddpg,", 0) != 0) continue;
    ++ddpg_finalists;
    const size_t a = finalists[i].find(',') + 1, b = finalists[i].find(',', a) + 1;
    best_held_out = std::max(best_held_out, std::stod(finalists[i].substr(b)));
  }
  EXPECT_GE(ddpg_finalists, 1);
  EXPECT_LE(ddpg_finalists, 3);
  EXPECT_NEAR(double(summary["ddpg"]["rerank_accuracy"]), best_held_out, 1e-3);  // CSV: 4 places
  // The per-layer report of the found policy agrees with the search's own cost figure.
  const auto report = nlohmann::json::parse(std::ifstream(dir_ / "lat" / "summary.json"));
  // The search's budget counts the array layers; the report's total adds the host layers.
  EXPECT_NEAR(double(report["array_latency_ms"]), double(summary["best"]["latency_ms"]), 1e-6);
  // The policy file is a policy haqsim simulate accepts.
  const auto sim = run_haqsim(
      "simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 "
      "--policy " +
      (dir_ / "lat" / "policy.yaml").string() + " --out " + (dir_ / "sim").string() + " --quiet");
  EXPECT_EQ(sim.exit_code, 0) << sim.output;
  // A second search on the same hardware finds every cost in the cache.
  const auto again = run_haqsim(common("lat2") +
                                " --arch arch-configs/bismo-edge.yaml --target 0.6 --episodes 2 "
                                "--random-episodes 0");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("0 simulated now"), std::string::npos) << again.output;
}

TEST_F(SearchCli, MethodsAreComparedOnTheSameBudget) {
  const auto r = run_haqsim(common("methods") +
                            " --arch arch-configs/bismo-edge.yaml --target 0.5 --min-bits 4 "
                            "--method ddpg,random,evolution,ilp,uniform --episodes 6 "
                            "--random-episodes 6 --evolution-episodes 6");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = lines(dir_ / "methods" / "comparison.csv");
  ASSERT_GE(rows.size(), 2u);
  EXPECT_NE(rows[0].find(",evaluations,"), std::string::npos) << rows[0];
  for (const char* method : {"8-bit,", "ddpg,", "random,", "evolution,", "ilp,", "uniform-4,"}) {
    EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&](const std::string& row) {
      return row.rfind(method, 0) == 0;
    })) << method;
  }
  const auto summary = nlohmann::json::parse(std::ifstream(dir_ / "methods" / "search.json"));
  for (const char* method : {"ddpg", "random", "evolution", "ilp", "best"}) {
    ASSERT_TRUE(summary.contains(method)) << method;
    EXPECT_LE(double(summary[method]["latency_ms"]), double(summary["budget"]) * (1 + 1e-9));
  }
  // Each method's own search time (its episodes; the ILP's sensitivities and solve) is reported
  // beside its evaluation count, so methods compare at equal evaluations and in wall time.
  EXPECT_NE(rows[0].find(",evaluations,search_seconds,policy"), std::string::npos) << rows[0];
  for (const char* method : {"ddpg", "random", "evolution"}) {
    EXPECT_EQ(int(summary[method]["evaluations"]), 6) << method;
    EXPECT_GT(double(summary[method]["search_seconds"]), 0.0) << method;
  }
  EXPECT_GE(double(summary["ilp"]["search_seconds"]), 0.0);
  EXPECT_LT(double(summary["reference_8bit"]["search_seconds"]), 0.0) << "not searched";
  EXPECT_EQ(lines(dir_ / "methods" / "episodes.csv").size(), 1u + 18);
  // The ILP's front: 20 budgets up to the 8-bit cost, each met.
  const auto front = lines(dir_ / "methods" / "ilp_front.csv");
  EXPECT_GE(front.size(), 10u);
  EXPECT_EQ(front[0].rfind("budget_fraction,budget,predicted_loss_increase,accuracy,", 0), 0u)
      << front[0];
  // The report draws the front with every winner on it.
  const auto report_run = run_haqsim("report " + (dir_ / "methods").string());
  ASSERT_EQ(report_run.exit_code, 0) << report_run.output;
  EXPECT_GT(fs::file_size(dir_ / "methods" / "plots" / "search_ilp_front.png"), 1000u);
  // The policy written is the best method's.
  const auto report = nlohmann::json::parse(std::ifstream(dir_ / "methods" / "summary.json"));
  // The search's budget counts the array layers; the report's total adds the host layers.
  EXPECT_NEAR(double(report["array_latency_ms"]), double(summary["best"]["latency_ms"]), 1e-6);
  EXPECT_NE(r.output.find("best within the budget: "), std::string::npos) << r.output;

  const auto bad = run_haqsim(
      common("bad-method") + " --arch arch-configs/bismo-edge.yaml --target 0.5 --method ddpg,foo");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("key '--method'"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("found 'foo'"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir_ / "bad-method" / "comparison.csv"));
}

TEST_F(SearchCli, EnergyOnBitFusionAndSizeSearchesWork) {
  auto r = run_haqsim(common("energy") +
                      " --arch arch-configs/bitfusion.yaml --constraint energy --target 0.5 "
                      "--episodes 6 --random-episodes 2 --final-finetune-images 32");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto s = nlohmann::json::parse(std::ifstream(dir_ / "energy" / "search.json"));
  EXPECT_EQ(s["constraint"], "energy");
  // The winners and the 8-bit reference were fine-tuned and measured again.
  for (const char* method : {"ddpg", "reference_8bit", "best_uniform"}) {
    EXPECT_GE(double(s[method]["finetuned_test_accuracy"]), 0.0) << method;
  }
  EXPECT_LE(double(s["ddpg"]["energy_mj"]), double(s["budget"]) * (1 + 1e-9));
  r = run_haqsim(common("size") +
                 " --arch arch-configs/bismo-edge.yaml --constraint size --target 2MB "
                 "--episodes 6 --random-episodes 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  s = nlohmann::json::parse(std::ifstream(dir_ / "size" / "search.json"));
  EXPECT_DOUBLE_EQ(double(s["budget"]), 2.0);
  EXPECT_LE(double(s["ddpg"]["size_mb"]), 2.0);

  // "3bit": the budget is the size of the comparison's own uniform-3 (Deep Compression's 3-bit
  // k-means weights, codebooks counted, first and last layers pinned), which thus meets it.
  r = run_haqsim(common("dc3") +
                 " --arch arch-configs/bismo-edge.yaml --constraint size --target 3bit "
                 "--weight-quantizer kmeans --method uniform");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  s = nlohmann::json::parse(std::ifstream(dir_ / "dc3" / "search.json"));
  EXPECT_EQ(s["target"], "fixed 3-bit size");
  const auto cells = row_of(dir_ / "dc3" / "comparison.csv", "uniform-3");
  ASSERT_GT(cells.size(), 8u) << "no uniform-3 row";
  EXPECT_NEAR(std::stod(cells[7]), double(s["budget"]), 1e-6);  // size_mb
  EXPECT_EQ(cells[8], "true");                                  // meets_budget
}

// With --target Kbit the uniform-K baseline that set the budget is fine-tuned beside the best
// uniform policy, so a table comparing the two at equal cost compares fine-tuned numbers. The
// shipped MobileNet-V2 is the case that needs it: before the fine-tune its uniform-4 policy ranks
// above uniform-5, so the best uniform policy within a 5-bit budget is not the budget's own.
TEST_F(SearchCli, TheBudgetSettingBaselineIsFineTuned) {
  const auto r = run_haqsim(
      "search --model mobilenet_v2 --backend analytic --eval-images 40 --test-images 100 "
      "--rerank-images 300 --cache-dir " +
      (dir_ / "cache").string() + " --out " + (dir_ / "k5").string() +
      " --arch arch-configs/bismo-edge.yaml --target 5bit --method uniform --min-bits 3 "
      "--final-finetune-images 16");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto cells = row_of(dir_ / "k5" / "comparison.csv", "uniform-5");
  ASSERT_GT(cells.size(), 4u) << "no uniform-5 row";
  EXPECT_FALSE(cells[4].empty()) << "uniform-5 not fine-tuned";  // finetuned_test_accuracy
  const auto s = nlohmann::json::parse(std::ifstream(dir_ / "k5" / "search.json"));
  EXPECT_GE(double(s["best_uniform"]["finetuned_test_accuracy"]), 0.0);
  EXPECT_EQ(s["best_uniform"]["method"], "uniform-4") << "the case this test is about";
}

TEST_F(SearchCli, BadInputIsRefusedWithoutOutput) {
  struct Case {
    std::string args, expect;
  };
  const std::vector<Case> cases = {
      {"--arch arch-configs/bismo-edge.yaml --constraint latency --target 3mJ", "--target"},
      {"--arch arch-configs/bismo-edge.yaml --constraint latency --target 0.001",
       "a budget of at least"},
      {"--arch arch-configs/bismo-edge.yaml --target 0.5 --min-bits 6 --max-bits 4", "--min-bits"},
      {"--arch arch-configs/bismo-edge.yaml --target 0.5 --constraint speed", "--constraint"},
      {"--arch arch-configs/bismo-edge.yaml --target 0.5 --rerank-images 4990", "--rerank-images"},
      {"--arch arch-configs/bismo-edge.yaml --target 0.5 --threads 0", "--threads"},
      {"--arch arch-configs/bismo-edge.yaml --constraint size --target 0.5 --method ilp "
       "--weight-quantizer kmeans",
       "--ilp-sensitivity"},
      {"--arch arch-configs/bismo-edge.yaml --target 9bit", "--target"},
  };
  for (const auto& c : cases) {
    const auto r = run_haqsim(common("bad") + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "bad" / "episodes.csv")) << c.args;
  }
  // A directory holding a search is not overwritten without --resume.
  ASSERT_EQ(run_haqsim(common("done") + " --arch arch-configs/bismo-edge.yaml --target 0.5 "
                                        "--episodes 2 --random-episodes 0")
                .exit_code,
            0);
  const auto r = run_haqsim(common("done") +
                            " --arch arch-configs/bismo-edge.yaml --target 0.5 "
                            "--episodes 2 --random-episodes 0");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--resume"), std::string::npos) << r.output;
  // Nor resumed with another thread count: it could sum in another order.
  const auto other_threads = run_haqsim(common("done") +
                                        " --arch arch-configs/bismo-edge.yaml --target 0.5 "
                                        "--episodes 2 --random-episodes 0 --resume --threads 2");
  EXPECT_EQ(other_threads.exit_code, 2) << other_threads.output;
  EXPECT_NE(other_threads.output.find("threads=2"), std::string::npos) << other_threads.output;
}

// Runs haqsim with `args` in the background; returns its pid.
pid_t spawn_haqsim(const std::string& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string command = "exec " + haqsim_binary() + " " + args + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

TEST_F(SearchCli, KilledSearchResumesWithoutLosingEpisodes) {
  const std::string args =
      " --arch arch-configs/bismo-edge.yaml --target 0.5 --episodes 30 --random-episodes 10";
  ASSERT_EQ(run_haqsim(common("whole") + args).exit_code, 0);
  // Kill the same search with SIGKILL once it has completed some episodes.
  const pid_t pid = spawn_haqsim(common("killed") + args);
  const fs::path csv = dir_ / "killed" / "episodes.csv";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < deadline &&
         (!fs::exists(csv) || lines(csv).size() < 1 + 12)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const size_t done_before = lines(csv).size() - 1;
  ASSERT_GE(done_before, 12u);
  ASSERT_LT(done_before, 40u) << "the search finished before it was killed";
  const auto resumed = run_haqsim(common("killed") + args + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming"), std::string::npos) << resumed.output;
  EXPECT_EQ(episodes_without_time(dir_ / "whole" / "episodes.csv"), episodes_without_time(csv));
  EXPECT_EQ(lines(dir_ / "whole" / "policy.yaml"), lines(dir_ / "killed" / "policy.yaml"));
}

}  // namespace
}  // namespace haqsim
