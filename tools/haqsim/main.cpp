// haqsim: simulators and hardware-aware quantization search for mixed-precision DNN accelerators.
//
// Exit codes: 0 success; 2 bad input (config, policy, model file, dataset, command line);
// 1 internal failure. Bad input never leaves partial output files behind.
#include <fmt/format.h>

#include <malloc.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>
#include <string>

#include "base/input_error.h"
#include "sim/common/cost_model.h"
#include "sim/registry.h"
#include "tools/haqsim/commands.h"

// Why: libtorch allocates and frees multi-megabyte activation tensors every training step; with
// glibc's defaults each one is an mmap/munmap pair whose pages are faulted in and zeroed again,
// which cost more than half of a training step's time (perf: kernel page-fault handling). Keeping
// freed memory in the heap makes training and fine-tuning 2x faster.
void keep_freed_memory_in_the_heap() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
}

int main(int argc, char** argv) {
  keep_freed_memory_in_the_heap();
  std::string machines;
  for (const haqsim::Accelerator* a : haqsim::accelerators().all()) {
    machines += "\n  " + a->type() + ": " + a->summary();
  }
  CLI::App app{
      "haqsim: cycle-accurate models of mixed-precision DNN accelerators and HAQ's\n"
      "hardware-aware quantization search. Accelerators (arch config `type:`):" +
          machines,
      "haqsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "haqsim 0.1.0");

  std::map<CLI::App*, haqsim::cli::Command> commands;
  auto add = [&](haqsim::cli::Command command) {
    commands[app.get_subcommands({}).back()] = std::move(command);
  };
  add(haqsim::cli::add_simulate_command(app));
  add(haqsim::cli::add_models_command(app));
  add(haqsim::cli::add_train_command(app));
  add(haqsim::cli::add_eval_command(app));
  add(haqsim::cli::add_finetune_command(app));
  add(haqsim::cli::add_search_command(app));
  add(haqsim::cli::add_sweep_command(app));
  add(haqsim::cli::add_merge_command(app));
  add(haqsim::cli::add_report_command(app));
  add(haqsim::cli::add_verify_command(app));
  add(haqsim::cli::add_calibrate_command(app));

  // An option given an empty value (`--out ""`, an unset shell variable) is refused by name:
  // none of haqsim's options means anything by it, and `--out ""` would write to "/layers.csv".
  const CLI::Validator non_empty(
      [](std::string& value) {
        return value.empty() ? std::string("expected a value, found an empty string")
                             : std::string();
      },
      "", "NON_EMPTY");
  for (CLI::App* sub : app.get_subcommands({})) {
    for (CLI::Option* option : sub->get_options()) {
      if (option->get_type_size_max() > 0) option->check(non_empty);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    for (auto& [sub, command] : commands) {
      if (sub->parsed()) return command();
    }
    return 2;
  } catch (const haqsim::InputError& e) {
    fmt::print(stderr, "haqsim: error: {}\n", e.what());
    return 2;
  } catch (const haqsim::BackendUnavailable& e) {
    fmt::print(stderr, "haqsim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "haqsim: internal error: {}\n", e.what());
    return 1;
  }
}
