// Whole-process times of haqsim commands, start-up included: what a user waits for when a
// script calls haqsim per point. Runs the haqsim next to this binary (or $HAQSIM_BIN) from the
// repository root; each iteration is one fork/exec/wait. `search --help` measures haqsim-learn's
// start, i.e. loading libtorch, which every other command avoids (tools/haqsim/main.cpp).
// Counters from the child's rusage: its CPU seconds (user + system) per run, and its peak
// resident set (the largest over the runs), as /usr/bin/time -v reports them. The simulate/*
// rows are whole cycle-accurate networks (8-bit unless named), verified against the reference
// convolution. With bench_accelerators' pointwise rows these are the rows of issue 24's table
// (tools/bench/issue24_table.sh runs them all in one go).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace {

std::string haqsim_binary() {
  if (const char* bin = std::getenv("HAQSIM_BIN")) return bin;
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "haqsim").string();
}

// One run of haqsim with `args`, its standard output discarded; false if it could not start
// or failed. `usage` gets the child's rusage.
bool spawn_haqsim(std::vector<std::string> args, rusage& usage) {
  const std::string bin = haqsim_binary();
  args.insert(args.begin(), bin);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const bool started = posix_spawn(&pid, bin.c_str(), &quiet, nullptr, argv.data(), environ) == 0;
  posix_spawn_file_actions_destroy(&quiet);
  if (!started) return false;
  int status = 0;
  wait4(pid, &status, 0, &usage);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void run_haqsim(benchmark::State& state, const std::vector<std::string>& args) {
  double cpu_seconds = 0, max_rss_kb = 0;
  for (auto _ : state) {
    rusage usage{};
    if (!spawn_haqsim(args, usage)) {
      state.SkipWithError(("haqsim failed: " + args.front()).c_str());
      break;
    }
    cpu_seconds += double(usage.ru_utime.tv_sec) + 1e-6 * double(usage.ru_utime.tv_usec) +
                   double(usage.ru_stime.tv_sec) + 1e-6 * double(usage.ru_stime.tv_usec);
    max_rss_kb = std::max(max_rss_kb, double(usage.ru_maxrss));
  }
  state.counters["child_cpu_s"] =
      benchmark::Counter(cpu_seconds, benchmark::Counter::kAvgIterations);
  state.counters["child_max_rss_mb"] = max_rss_kb / 1024;
}

void version(benchmark::State& state) {
  run_haqsim(state, {"--version"});
}
void models(benchmark::State& state) {
  run_haqsim(state, {"models"});
}
void simulate_analytic_v2(benchmark::State& state) {
  const std::string out =
      (std::filesystem::temp_directory_path() / "haqsim_bench_startup").string();
  run_haqsim(state, {"simulate", "--arch", "arch-configs/bismo-edge.yaml", "--model",
                     "mobilenet_v2", "--backend", "analytic", "--quiet", "--out", out});
}
// A whole network on a cycle-accurate backend, verified (simulate's default with systemc/rtl).
// `batch` null: the arch config's.
void simulate_network(benchmark::State& state, const char* arch, const char* model,
                      const char* backend, const char* bits = "8", const char* batch = nullptr) {
  const std::string out =
      (std::filesystem::temp_directory_path() / "haqsim_bench_startup_network").string();
  std::vector<std::string> args = {"simulate", "--arch", arch, "--model", model,   "--backend",
                                   backend,    "--bits", bits, "--quiet", "--out", out};
  if (batch) args.insert(args.end(), {"--batch", batch});
  run_haqsim(state, args);
}
// `eval` of 100 images after a first call filled the calibration cache (what a script calling
// eval per policy waits for).
void eval_100_images(benchmark::State& state) {
  const std::filesystem::path cache =
      std::filesystem::temp_directory_path() / "haqsim_bench_startup_eval_cache";
  std::filesystem::remove_all(cache);
  const std::vector<std::string> args = {"eval",   "--model", "mobilenet_v1", "--images",    "100",
                                         "--bits", "8",       "--cache-dir",  cache.string()};
  rusage warm_up{};
  if (!spawn_haqsim(args, warm_up)) {
    state.SkipWithError("haqsim eval failed");
    return;
  }
  run_haqsim(state, args);
}

// The search's cost fill of bismo-cloud (batch 16) MobileNet-V1, 28 layers x 49 bit pairs on
// the systemc backend, into an empty cache, with two worker processes.
void cloud_cost_fill_jobs2(benchmark::State& state) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "haqsim_bench_startup_fill";
  std::filesystem::remove_all(dir);
  run_haqsim(state, {"search",
                     "--arch",
                     "arch-configs/bismo-cloud.yaml",
                     "--model",
                     "mobilenet_v1",
                     "--constraint",
                     "latency",
                     "--target",
                     "0.6",
                     "--backend",
                     "systemc",
                     "--episodes",
                     "2",
                     "--stop-after",
                     "1",
                     "--jobs",
                     "2",
                     "--cache-dir",
                     (dir / "cache").string(),
                     "--out",
                     (dir / "out").string()});
  std::filesystem::remove_all(dir);
}

void learn_help(benchmark::State& state) {
  run_haqsim(state, {"search", "--help"});
}

}  // namespace

BENCHMARK(version)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(models)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(simulate_analytic_v2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(learn_help)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK_CAPTURE(simulate_network, bismo_edge_v1_systemc, "arch-configs/bismo-edge.yaml",
                  "mobilenet_v1", "systemc")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK_CAPTURE(simulate_network, bismo_edge_v1_rtl, "arch-configs/bismo-edge.yaml",
                  "mobilenet_v1", "rtl")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK_CAPTURE(simulate_network, bismo_cloud_v1_systemc, "arch-configs/bismo-cloud.yaml",
                  "mobilenet_v1", "systemc")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK_CAPTURE(simulate_network, bitfusion_v2_systemc, "arch-configs/bitfusion.yaml",
                  "mobilenet_v2", "systemc")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5);
BENCHMARK_CAPTURE(simulate_network, bitfusion_v2_rtl, "arch-configs/bitfusion.yaml", "mobilenet_v2",
                  "rtl")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK_CAPTURE(simulate_network, bitfusion_v1_b16_systemc_8bit, "arch-configs/bitfusion.yaml",
                  "mobilenet_v1", "systemc", "8", "16")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK_CAPTURE(simulate_network, bitfusion_v1_b16_systemc_4bit, "arch-configs/bitfusion.yaml",
                  "mobilenet_v1", "systemc", "4", "16")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(eval_100_images)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(cloud_cost_fill_jobs2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK_MAIN();
