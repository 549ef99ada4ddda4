// --weight-quantizer linear|kmeans and --kmeans-init, shared by `eval`, `finetune`, `search` and
// `codesign`: which quantizer turns the weights into integers (models/quant/weight_storage.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "models/quant/quantized_network.h"

namespace haqsim::cli {

struct WeightQuantizerOptions {
  std::string quantizer = "linear";
  std::string kmeans_init = "kmeans++";

  void add_to(CLI::App& cmd);
  WeightQuantization resolve() const;
  bool kmeans() const { return quantizer == "kmeans"; }
  // " weight_quantizer=kmeans init=..." for k-means, "" for linear (what checkpoints and memo
  // keys written before the option existed measured).
  std::string fingerprint() const;
};

}  // namespace haqsim::cli
