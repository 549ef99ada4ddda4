// Each haqsim subcommand registers its options on the CLI11 app and returns the function that
// runs it once parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace haqsim::cli {

using Command = std::function<int()>;

Command add_simulate_command(CLI::App& app);
Command add_models_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_finetune_command(CLI::App& app);

}  // namespace haqsim::cli
