#include "tools/haqsim/network_options.h"

namespace haqsim::cli {

void NetworkInstanceOptions::add_to(CLI::App& cmd, const std::string& batch_default) {
  cmd.add_option("--resolution", resolution, "Input resolution (square)")
      ->default_val(224)
      ->check(CLI::Range(1, 8192));
  cmd.add_option("--classes", classes, "Output classes")
      ->default_val(1000)
      ->check(CLI::Range(1, 1000000));
  cmd.add_option("--width", width, "Width multiplier")
      ->default_val(1.0)
      ->check(CLI::Range(0.01, 16.0));
  cmd.add_option("--batch", batch, "Batch size (default: " + batch_default + ")")
      ->check(CLI::Range(1, 4096));
}

NetworkSpec NetworkInstanceOptions::spec(int config_batch) const {
  NetworkSpec s;
  s.resolution = resolution;
  s.classes = classes;
  s.width = width;
  s.batch = batch > 0 ? batch : config_batch;
  return s;
}

}  // namespace haqsim::cli
