#include "tools/haqsim/network_options.h"

#include <fmt/format.h>

#include "base/input_error.h"

namespace haqsim::cli {

void NetworkInstanceOptions::add_to(CLI::App& cmd, const std::string& batch_default) {
  resolution_option_ =
      cmd.add_option("--resolution", resolution,
                     "Input resolution (square; with --onnx: a symbolic input height/width)")
          ->default_val(224)
          ->check(CLI::Range(1, 8192));
  classes_option_ = cmd.add_option("--classes", classes,
                                   "Output classes (with --onnx: checked against the model's)")
                        ->default_val(1000)
                        ->check(CLI::Range(1, 1000000));
  width_option_ = cmd.add_option("--width", width, "Width multiplier (zoo models)")
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

OnnxInstance NetworkInstanceOptions::onnx_instance(int config_batch) const {
  if (width_option_ && width_option_->count() > 0) {
    throw InputError(InputLocation{"", 0, "--width", -1},
                     "no --width with --onnx (an imported model's layer widths are its weights')",
                     fmt::format("{}", width));
  }
  OnnxInstance i;
  i.batch = batch;
  i.default_batch = config_batch;
  if (resolution_option_ && resolution_option_->count() > 0) i.resolution = resolution;
  if (classes_option_ && classes_option_->count() > 0) i.classes = classes;
  return i;
}

Network onnx_network(const std::string& path, const NetworkInstanceOptions& options,
                     int config_batch, OnnxModelInfo* info) {
  return import_onnx_network(path, options.onnx_instance(config_batch), info);
}

}  // namespace haqsim::cli
