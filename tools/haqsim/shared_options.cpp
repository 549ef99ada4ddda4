// Options and lookups that several commands of both executables share (declared in commands.h).
#include <fmt/format.h>

#include <filesystem>

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

}  // namespace haqsim::cli
