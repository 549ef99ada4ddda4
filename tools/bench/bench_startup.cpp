// Whole-process times of haqsim commands, start-up included: what a user waits for when a
// script calls haqsim per point. Runs the haqsim next to this binary (or $HAQSIM_BIN) from the
// repository root; each iteration is one fork/exec/wait. `search --help` measures haqsim-learn's
// start, i.e. loading libtorch, which every other command avoids (tools/haqsim/main.cpp).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

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

void run_haqsim(benchmark::State& state, std::vector<std::string> args) {
  const std::string bin = haqsim_binary();
  args.insert(args.begin(), bin);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  for (auto _ : state) {
    pid_t pid = 0;
    if (posix_spawn(&pid, bin.c_str(), &quiet, nullptr, argv.data(), environ) != 0) {
      state.SkipWithError(("cannot run " + bin).c_str());
      break;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("haqsim failed");
      break;
    }
  }
  posix_spawn_file_actions_destroy(&quiet);
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
void learn_help(benchmark::State& state) {
  run_haqsim(state, {"search", "--help"});
}

}  // namespace

BENCHMARK(version)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(models)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(simulate_analytic_v2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(learn_help)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK_MAIN();
