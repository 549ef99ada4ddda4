// Architect workflows end to end through the haqsim binary: sweeps (parallel, sharded, merged),
// grid errors, HTML reports with plots for simulate, sweep and search directories, and the plot
// scripts' failures on malformed CSV.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "tests/cli/cli_runner.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using testing::run_haqsim;

const char* kGrid = "arch-configs/grids/bismo-edge-array.yaml";

class Workflows : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_wf_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  // What a reader of the page sees: without the embedded images, the sort keys and the script.
  static std::string visible(const std::string& html) {
    // By hand: std::regex recurses per character and overflows the stack on a base64 image.
    std::string out;
    const size_t end = std::min(html.find("<script>"), html.size());
    for (size_t at = 0; at < end;) {
      const size_t image = html.find("src='data:", at), key = html.find("data-v='", at);
      const size_t next = std::min({image, key, end});
      out += html.substr(at, next - at);
      if (next == end) break;
      const size_t open = html.find('\'', next);
      at = html.find('\'', open + 1) + 1;
    }
    return out;
  }
  // Every page: no Python None, no raw key dumps, no long floats, no script names.
  static void expect_readable(const std::string& html) {
    const std::string text = visible(html);
    for (const char* bad : {"None", "bit_exact", "nan", "report.py", "e+0", "e-0"}) {
      EXPECT_EQ(text.find(bad), std::string::npos) << bad;
    }
    std::smatch long_float;
    EXPECT_FALSE(std::regex_search(text, long_float, std::regex("[0-9]\\.[0-9]{7,}")))
        << long_float.str();
    EXPECT_NE(html.find("<table class='sortable'>"), std::string::npos);
    EXPECT_EQ(html.find("http"), std::string::npos) << "the page must not need the network";
  }
  static int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
  void simulate(const std::string& out, const std::string& policy_args) {
    auto r = run_haqsim("simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 " +
                        policy_args + " --quiet --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  fs::path dir_;
};

TEST_F(Workflows, SweepWithJobsEqualsMergedShards) {
  const std::string common =
      std::string("sweep --grid ") + kGrid + " --model mobilenet_v1 --bits 8 --quiet";
  auto r = run_haqsim(common + " --jobs 2 --out " + path("full"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (int i = 0; i < 3; ++i) {
    r = run_haqsim(common + " --shard " + std::to_string(i) + "/3 --out " +
                   path("shard" + std::to_string(i)));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // Shards given out of order: the merge sorts by point.
  r = run_haqsim("merge " + path("shard2") + " " + path("shard0") + " " + path("shard1") +
                 " --out " + path("merged"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Without --out, the merge lands in the shards' parent directory.
  fs::create_directories(dir_ / "shards");
  for (int i = 0; i < 3; ++i) {
    fs::rename(dir_ / ("shard" + std::to_string(i)), dir_ / "shards" / std::to_string(i));
  }
  r = run_haqsim("merge " + path("shards/0") + " " + path("shards/1") + " " + path("shards/2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read(dir_ / "shards" / "sweep.csv"), read(dir_ / "merged" / "sweep.csv"));

  const std::string full = read(dir_ / "full" / "sweep.csv");
  EXPECT_EQ(full, read(dir_ / "merged" / "sweep.csv"));
  EXPECT_EQ(read(dir_ / "full" / "sweep.json"), read(dir_ / "merged" / "sweep.json"));
  EXPECT_EQ(count(full, "\n"), 28);
  EXPECT_EQ(full.substr(0, full.find('\n')),
            "point,bismo.dm,bismo.dn,bismo.dk,total_cycles,latency_ms,energy_mj,utilization,"
            "dram_bytes,luts,bram36,lut_fraction,bram_fraction,fits");
  // Point order: dm slowest, dk fastest; 16x256x16 needs 88k LUTs, more than a Zynq-7020 has.
  EXPECT_NE(full.find("\n1,4,4,128,"), std::string::npos);
  EXPECT_NE(full.find("\n9,8,4,64,"), std::string::npos);
  const std::string last = full.substr(full.rfind("\n26,"));
  EXPECT_EQ(last.substr(0, 14), "\n26,16,16,256,");
  EXPECT_NE(last.find(",false"), std::string::npos);
  EXPECT_NE(full.find("\n0,4,4,64,"), std::string::npos);
  EXPECT_EQ(read(dir_ / "shards" / "1" / "sweep.csv").find("\n0,"), std::string::npos);
}

TEST_F(Workflows, SystemCSweepRunsInWorkerProcesses) {
  write(dir_ / "grid.yaml", "base: " + fs::absolute("arch-configs/bismo-edge.yaml").string() +
                                "\ngrid:\n  bismo:\n    dm: [4, 8]\n");
  const std::string common = "sweep --grid " + path("grid.yaml") +
                             " --model mobilenet_v1 --resolution 32 --bits 4 --backend systemc "
                             "--quiet";
  auto r = run_haqsim(common + " --jobs 2 --out " + path("a"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_haqsim(common + " --jobs 1 --out " + path("b"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read(dir_ / "a" / "sweep.csv"), read(dir_ / "b" / "sweep.csv"));
  EXPECT_EQ(count(read(dir_ / "a" / "sweep.csv"), "\n"), 3);
}

TEST_F(Workflows, BadGridsNameFileLineAndKey) {
  const std::string base = fs::absolute("arch-configs/bismo-edge.yaml").string();
  struct Case {
    std::string grid, expect;
  };
  const Case cases[] = {
      {"base: " + base + "\ngrid:\n  bismo:\n    dm: [4]\n    dmx: [1, 2]\n",
       "grid.yaml:5: key 'grid.bismo.dmx'"},
      {"base: " + base + "\ngrid:\n  bismo:\n    dk: [64,\n         100]\n",
       "grid.yaml:5: key 'grid.bismo.dk'"},
      {"base: " + base + "\ngrid:\n  bismo:\n    dm: 4\n", "grid.yaml:4: key 'grid.bismo.dm'"},
      {"base: nowhere.yaml\ngrid:\n  bismo:\n    dm: [4]\n", "key 'base'"},
      {"base: " + base + "\ngird:\n  bismo:\n    dm: [4]\n", "grid.yaml:2: key 'gird'"},
  };
  for (const Case& c : cases) {
    write(dir_ / "grid.yaml", c.grid);
    auto r = run_haqsim("sweep --grid " + path("grid.yaml") + " --model mobilenet_v1 --out " +
                        path("out"));
    EXPECT_EQ(r.exit_code, 2) << c.grid << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "out"));
  }
  auto r = run_haqsim(std::string("sweep --grid ") + kGrid +
                      " --model mobilenet_v1 --shard 3/3 --out " + path("out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--shard"), std::string::npos) << r.output;
  // The RTL backend exists for the verilated shapes only; found before anything runs.
  r = run_haqsim(std::string("sweep --grid ") + kGrid +
                 " --model mobilenet_v1 --backend rtl --out " + path("out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("point 0 (4 4 64) cannot run on the rtl backend"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(Workflows, MergeRefusesIncompleteOrMixedShards) {
  const std::string common =
      std::string("sweep --grid ") + kGrid + " --model mobilenet_v1 --quiet --shard ";
  ASSERT_EQ(run_haqsim(common + "0/2 --bits 8 --out " + path("s0")).exit_code, 0);
  ASSERT_EQ(run_haqsim(common + "1/2 --bits 4 --out " + path("s1")).exit_code, 0);
  auto r = run_haqsim("merge " + path("s0") + " --out " + path("m"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("missing"), std::string::npos) << r.output;
  r = run_haqsim("merge " + path("s0") + " " + path("s1") + " --out " + path("m"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("policy"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "m"));
}

TEST_F(Workflows, ReportOnSimulateRun) {
  simulate(path("sim"), "--bits 6");
  auto r = run_haqsim("report " + path("sim"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string html = read(dir_ / "sim" / "report.html");
  for (const char* plot : {"latency.png", "energy.png", "policy.png"}) {
    EXPECT_GT(fs::file_size(dir_ / "sim" / "plots" / plot), 1000u) << plot;
  }
  EXPECT_EQ(count(html, "src='data:image/png;base64,iVBORw0KGgo"), 3);
  expect_readable(html);
  // The summary in units, the per-layer table: one row per layers.csv row, then the total.
  for (const char* label :
       {"<th>latency (ms)</th><td>", "<th>energy (mJ)</th><td>",
        "<th>outputs bit-exact with the reference</th><td>", "<th>latency (ms)</th>",
        "<th>energy (mJ)</th>", "<th>DRAM (kB)</th>"}) {
    EXPECT_NE(html.find(label), std::string::npos) << label;
  }
  const int layers = count(read(dir_ / "sim" / "layers.csv"), "\n") - 1;
  EXPECT_EQ(count(html, "<tr><td"), layers);
  EXPECT_EQ(count(html, "<tr class='total'>"), 1);
}

// An imported network: host rows and ONNX's scoped names (`/layer1/layer1.0/conv1/Conv`) are
// shown whole in the page's table and recognizably in the terminal table, which is not cut at 16.
TEST_F(Workflows, ReportAndTableOnImportedNetwork) {
  auto r = run_haqsim(
      "simulate --arch arch-configs/bismo-edge.yaml --onnx "
      "tests/fuzz/corpus/onnx_model/torch_mixed_cnn_op13.onnx --bits 8 --backend analytic --out " +
      path("onnx"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("energy(mJ)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("DRAM(kB)"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("(uJ)"), std::string::npos) << r.output;
  const std::string csv = read(dir_ / "onnx" / "layers.csv");
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header
  size_t longest = 0;
  int host = 0;
  std::vector<std::string> names;
  while (std::getline(lines, line)) {
    const size_t a = line.find(','), b = line.find(',', a + 1);
    names.push_back(line.substr(a + 1, b - a - 1));
    longest = std::max(longest, names.back().size());
    host += line.find(",false,") != std::string::npos ? 1 : 0;
  }
  ASSERT_GT(longest, 16u) << "the fixture should have names longer than the old column";
  EXPECT_GT(host, 0);
  for (const std::string& name : names) {
    // The last path component (the most specific part) is always in the terminal table.
    const std::string tail = name.substr(name.rfind('/') + 1);
    EXPECT_NE(r.output.find(tail), std::string::npos) << name;
  }
  r = run_haqsim("report " + path("onnx"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string html = read(dir_ / "onnx" / "report.html");
  expect_readable(html);
  for (const std::string& name : names) {
    EXPECT_NE(html.find("<td class='t'>" + name + "</td>"), std::string::npos) << name;
  }
  EXPECT_EQ(count(html, "<td class='t'>host</td>"), host);
}

TEST_F(Workflows, ReportOnSweep) {
  auto r = run_haqsim(std::string("sweep --grid ") + kGrid +
                      " --model mobilenet_v1 --bits 8 --quiet --out " + path("sweep"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_haqsim("report " + path("sweep"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GT(fs::file_size(dir_ / "sweep" / "plots" / "sweep_pareto.png"), 1000u);
  const std::string html = read(dir_ / "sweep" / "report.html");
  EXPECT_EQ(count(html, "src='data:image/png;base64,iVBORw0KGgo"), 1);
  expect_readable(html);
  EXPECT_EQ(count(html, "<tr><td"), 27);  // the sweep's points, in the sortable table
  for (const char* label :
       {"<th>points that fit the device</th><td>", "<th>latency (ms)</th>", "<th>energy (mJ)</th>",
        "<th>DRAM traffic (MB)</th>", "fastest fitting point: latency (ms)"}) {
    EXPECT_NE(html.find(label), std::string::npos) << label;
  }
}

// The layout of a `haqsim search` directory (search/ writes it): a fixture built from two
// simulate runs and hand-written episodes and comparison.
TEST_F(Workflows, ReportOnSearchRun) {
  const fs::path search = dir_ / "search";
  simulate((search).string(), "--wbits 4 --abits 6");
  simulate((search / "reference_8bit").string(), "--bits 8");
  std::string episodes =
      "episode,kind,accuracy,reward,best_accuracy,latency_ms,energy_mj,size_mb,cost,budget,sigma,"
      "seconds\n";
  double best = 0;
  for (int e = 0; e < 40; ++e) {
    const double acc = 60 + (e * 7 % 13) + e * 0.3;
    best = std::max(best, acc);
    episodes += std::to_string(e) + "," + (e < 20 ? "warmup" : "ddpg") + "," + std::to_string(acc) +
                "," + std::to_string(0.1 * (acc - 76)) + "," + std::to_string(best) +
                ",1.5,2.0,3.2,1.5,1.6,0.5,4.0\n";
  }
  write(search / "episodes.csv", episodes);
  write(search / "policy.yaml", "model: mobilenet_v1\nlayers: []\n");
  write(search / "comparison.csv",
        "method,accuracy,test_accuracy,latency_ms,energy_mj,size_mb,meets_budget\n"
        "fixed 8-bit,76.6,76.9,3.1,2.5,4.2,false\nhaq,75.9,76.1,1.6,1.4,2.1,true\n");
  auto r = run_haqsim("report " + search.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* plot :
       {"search_evaluated.png", "search_progress.png", "search_anytime.png", "best_vs_8bit.png",
        "best_latency.png", "best_energy.png", "best_policy.png", "reference_8bit_latency.png",
        "reference_8bit_energy.png", "reference_8bit_policy.png"}) {
    ASSERT_TRUE(fs::exists(search / "plots" / plot)) << plot;
    EXPECT_GT(fs::file_size(search / "plots" / plot), 1000u) << plot;
  }
  const std::string html = read(search / "report.html");
  EXPECT_EQ(count(html, "src='data:image/png;base64,iVBORw0KGgo"), 10);
  EXPECT_NE(html.find("meets_budget"), std::string::npos);
  expect_readable(html);
  // The found policy against 8-bit, layer by layer (both runs have the same layers).
  EXPECT_NE(html.find("Best policy against 8-bit, per layer"), std::string::npos);
  for (const char* label : {"<th>latency found / 8-bit</th>", "<th>energy found / 8-bit</th>",
                            "<td class='t'>4/6</td>", "<th>best policy</th><td>haq: 75.90% "}) {
    EXPECT_NE(html.find(label), std::string::npos) << label;
  }
}

// A real search directory as `haqsim search` wrote it (committed under results/: 600 DDPG and 600
// random episodes, search.json, the winners, the 8-bit reference): the page's summary has the
// search's figures, the winner against 8-bit, and every plot of a search.
TEST_F(Workflows, ReportOnCommittedSearchResults) {
  const fs::path search = dir_ / "search";
  fs::copy(fs::path(HAQSIM_SOURCE_DIR) / "results/search/v1-bismo-edge-latency-0.6", search,
           fs::copy_options::recursive);
  auto r = run_haqsim("report " + search.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string html = read(search / "report.html");
  expect_readable(html);
  EXPECT_EQ(count(html, "src='data:image/png;base64,iVBORw0KGgo"), 10);
  for (const char* figure :
       {"<th>budget (ms)</th><td>33.86</td>", "<th>accuracy evaluations</th><td>7</td>",
        "<th>best policy</th><td>ddpg: 92.45% re-ranked accuracy</td>",
        "<th>best policy&#x27;s latency (ms)</th><td>33.42 (8-bit 56.43: 0.59x)</td>",
        "<th>latency found / 8-bit</th>"}) {
    EXPECT_NE(html.find(figure), std::string::npos) << figure;
  }
  EXPECT_EQ(count(html, "<table class='sortable'>"), 4);  // winners, vs 8-bit, best, 8-bit
}

TEST_F(Workflows, MalformedCsvFailsClearly) {
  simulate(path("sim"), "--bits 8");
  std::string csv = read(dir_ / "sim" / "layers.csv");
  // Third field of the second data row ... replace a wbits value by text.
  const size_t row = csv.find("\n1,");
  const std::regex bits(",8,8,");
  const std::string bad_row =
      std::regex_replace(csv.substr(row, csv.find('\n', row + 1) - row), bits, ",eight,8,",
                         std::regex_constants::format_first_only);
  write(dir_ / "sim" / "layers.csv",
        csv.substr(0, row) + bad_row + csv.substr(csv.find('\n', row + 1)));
  auto r = run_haqsim("report " + path("sim"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("haqsim: error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("layers.csv: line 3: column 'wbits'"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("report.py"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "sim" / "report.html"));
  EXPECT_FALSE(fs::exists(dir_ / "sim" / "plots"));

  // A value of the wrong type in summary.json: haqsim's error and exit code, not a traceback.
  simulate(path("typed"), "--bits 8");
  std::string summary = read(dir_ / "typed" / "summary.json");
  summary = std::regex_replace(summary, std::regex("\"batch\": 1,"), "\"batch\": \"many\",");
  ASSERT_NE(summary.find("\"many\""), std::string::npos);
  write(dir_ / "typed" / "summary.json", summary);
  r = run_haqsim("report " + path("typed"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("haqsim: error: "), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Traceback"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "typed" / "report.html"));

  // Each script on its own: a missing column, a short row.
  write(dir_ / "sweep" / "sweep.csv",
        "point,bismo.dm,total_cycles,latency_ms,energy_mj,utilization,dram_bytes,luts,bram36,"
        "lut_fraction,bram_fraction,fits\n"
        "0,4,300,1.5,2.0,0.5,1000,16000,40,0.3,0.2,true\n1,8,1.2\n");
  const std::string plots = std::string(HAQSIM_SOURCE_DIR) + "/tools/plots/";
  const std::string python = "/usr/bin/python3 ";
  auto run = [](const std::string& command) {
    testing::CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  };
  r = run(python + plots + "plot_pareto.py " + path("sweep/sweep.csv") + " " + path("p.png"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("sweep.csv: line 3"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("plot_pareto.py: error"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("haqsim: error: "), std::string::npos) << r.output;
  write(dir_ / "episodes.csv", "episode,kind,accuracy,best_accuracy\n0,warmup,50,50\n");
  r = run(python + plots + "plot_search.py " + path("episodes.csv") + " " + path("s.png"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("episodes.csv: line 1: missing column 'reward'"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "p.png"));
  EXPECT_FALSE(fs::exists(dir_ / "s.png"));
}

}  // namespace
}  // namespace haqsim
