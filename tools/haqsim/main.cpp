// haqsim: simulators and hardware-aware quantization search for mixed-precision DNN accelerators.
//
// Exit codes: 0 success; 2 bad input (config, policy, model file, dataset, command line);
// 1 internal failure. Bad input never leaves partial output files behind.
//
// This is the front end. It runs every command that does not train; `train`, `finetune` and
// `search` are in haqsim-learn (tools/haqsim/main_learn.cpp), which it execs with the same
// arguments. Why two executables: libtorch is ~290 shared libraries whose loading and relocation
// took 1.4-1.6 s of every command's start, including `--version` and a 20 ms analytic
// simulation; the commands that train pay it, the others start in milliseconds.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "tools/haqsim/cli_main.h"
#include "tools/haqsim/commands.h"

namespace {

// haqsim-learn next to this executable (they are built and installed side by side).
std::string learn_executable() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return (error ? std::filesystem::path("haqsim") : self).parent_path() / "haqsim-learn";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && *haqsim::cli::learning_command_description(argv[1]) != '\0') {
    const std::string learn = learn_executable();
    execv(learn.c_str(), argv);
    fmt::print(stderr, "haqsim: internal error: cannot run '{}' for `{}`: {}\n", learn, argv[1],
               std::strerror(errno));
    return 1;
  }
  return haqsim::cli::run_cli(argc, argv, [](CLI::App& app, auto add) {
    using namespace haqsim::cli;
    add(add_simulate_command(app));
    add(add_models_command(app));
    // Listed for --help only: argv[1] naming one of them was exec'd above.
    for (const auto& [name, description] : learning_commands()) {
      app.add_subcommand(name, description)->allow_extras();
      add(Command{});
    }
    add(add_eval_command(app));
    add(add_sweep_command(app));
    add(add_merge_command(app));
    add(add_report_command(app));
    add(add_verify_command(app));
    add(add_calibrate_command(app));
  });
}
