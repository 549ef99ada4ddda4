// Options and lookups that several commands of both executables share (declared in commands.h).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/cache_dir.h"
#include "base/input_error.h"
#include "models/quant/pretrained.h"
#include "tools/haqsim/commands.h"

namespace haqsim::cli {

std::string resolve_weights(const std::string& model, const std::string& weights) {
  if (!weights.empty()) return weights;
  if (model.empty()) {
    throw InputError(InputLocation{"", 0, "--model", -1}, "--model NAME or --weights FILE",
                     "neither");
  }
  const std::string path = pretrained_weights_path(model);
  if (!std::filesystem::exists(path)) {
    throw InputError(InputLocation{"", 0, "--model", -1},
                     fmt::format("a model with shipped trained weights ({})", path),
                     fmt::format("'{}'", model));
  }
  return path;
}

CLI::Option* add_threads_option(CLI::App* cmd, int& threads, int default_threads,
                                const std::string& what) {
  return cmd->add_option("--threads", threads, "Torch intra-op threads" + what)
      ->default_val(default_threads)
      ->check(CLI::Range(1, 256));
}

CLI::Option* add_jobs_option(CLI::App* cmd, int& jobs, const std::string& what) {
  return cmd->add_option("--jobs,-j", jobs, "Worker processes " + what + " (default: the cores)")
      ->default_val(std::max(1u, std::thread::hardware_concurrency()))
      ->check(CLI::Range(1, 1024));
}

void CacheOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--cache-dir", dir,
                 "Cache directory for cost tables and calibration statistics (default "
                 "$HAQSIM_CACHE_DIR, else ~/.cache/haqsim)");
  cmd.add_flag("--no-cache", disabled, "Neither read nor write the on-disk caches");
}

std::string CacheOptions::measurement_dir() const {
  if (disabled) return "";
  return dir.empty() ? default_cache_dir() : dir;
}

}  // namespace haqsim::cli
