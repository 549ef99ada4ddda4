// Each haqsim subcommand registers its options on the CLI11 app and returns the function that
// runs it once parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "models/quant/calibration_cache.h"

namespace haqsim::cli {

using Command = std::function<int()>;

Command add_simulate_command(CLI::App& app);
Command add_models_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_finetune_command(CLI::App& app);
Command add_search_command(CLI::App& app);
Command add_codesign_command(CLI::App& app);
// Architect workflows (sweeps, reports).
Command add_sweep_command(CLI::App& app);
Command add_merge_command(CLI::App& app);
Command add_report_command(CLI::App& app);
// Fidelity: backends against each other and the reference; config parameters fitted to
// measurements.
Command add_verify_command(CLI::App& app);
Command add_calibrate_command(CLI::App& app);

// The weight file of --model (models/pretrained/) unless --weights names one; InputError if none.
std::string resolve_weights(const std::string& model, const std::string& weights);

// --threads: libtorch intra-op threads of a training, fine-tuning or search command, 1..256.
// `what` says what the threads speed up and why the default is what it is.
CLI::Option* add_threads_option(CLI::App* cmd, int& threads, int default_threads,
                                const std::string& what);
// --jobs/-j: worker processes for simulations (sweep points, the search's cost fill); default
// the number of cores.
CLI::Option* add_jobs_option(CLI::App* cmd, int& jobs, const std::string& what);

// --cache-dir and --no-cache: the on-disk cache of cost tables and calibration statistics
// (base/cache_dir.h).
struct CacheOptions {
  std::string dir;
  bool disabled = false;
  void add_to(CLI::App& cmd);
  CalibrationCacheOptions calibration() const { return {!disabled, dir}; }
  // Where measurements of a model are kept (the accuracy memo, search/accuracy_oracle.h, and
  // Hessian traces); empty when disabled.
  std::string measurement_dir() const;
};

}  // namespace haqsim::cli
