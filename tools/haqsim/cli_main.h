// The shared body of haqsim's two executables: the CLI11 app with haqsim's description, the
// refusal of empty option values, parsing, dispatch and the mapping of errors to exit codes
// (0 success; 2 bad input; 1 internal failure).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "tools/haqsim/commands.h"

namespace haqsim::cli {

// Commands that train or search (libtorch) are built into haqsim-learn, next to haqsim; the
// front end runs them by exec so that every other command starts without loading libtorch.
inline const std::vector<std::pair<const char*, const char*>>& learning_commands() {
  static const std::vector<std::pair<const char*, const char*>> commands = {
      {"train", "Train a zoo network (float, libtorch) on an image dataset and write its weights"},
      {"finetune", "Quantization-aware fine-tuning of a trained model at a policy (libtorch, STE)"},
      {"search",
       "HAQ: find a per-layer mixed-precision policy under a latency, energy or size budget "
       "with the accelerator model in the loop"},
      {"codesign",
       "Co-design: search a policy for every array configuration of a sweep grid under one "
       "budget and report the Pareto front of accuracy, cost and resources"},
  };
  return commands;
}

// The description of learning command `name`, for its registration in either executable.
const char* learning_command_description(const std::string& name);

// Builds the app, lets `register_commands` add the subcommands (each returning its Command),
// parses and runs the one given.
int run_cli(int argc, char** argv,
            const std::function<void(CLI::App&, std::function<void(Command)>)>& register_commands);

}  // namespace haqsim::cli
