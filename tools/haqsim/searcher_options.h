// The options `haqsim search` and `haqsim codesign` share: where accuracy comes from (model,
// weights, data, images per measurement), which searchers run and how their winners are chosen,
// the bit range, the network instance the hardware runs, and the ILP's sensitivities. One
// definition, so the two commands cannot drift apart in names, ranges or meaning; each command
// gives its own defaults (a codesign point is a short search: the analytic backend, the ILP,
// fewer images).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "models/network.h"
#include "models/quant/quantization_context.h"
#include "search/haq_search.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/weight_quantizer_options.h"

namespace haqsim::cli {

struct SearcherOptions {
  std::string model, weights, dataset = "fashion-mnist";
  std::string constraint = "latency", target;
  std::string backend;
  std::string methods;
  int episodes = 0;
  int eval_images = 0;
  int rerank_images = 0;
  int finalists = 8;
  int test_images = 0;
  int calibration_images = kDefaultCalibrationImages;
  int min_bits = 2, max_bits = 8;
  bool free_first_last = false;
  int cost_resolution = 224, cost_classes = 1000, cost_channels = 3;
  uint64_t seed = 1;
  std::string ilp_sensitivity = "hessian";
  search::HessianOptions hessian;
  WeightQuantizerOptions weight_quantizer;

  // The command's defaults and the help texts that differ between the two commands.
  struct Defaults {
    std::string backend, methods;
    int episodes, eval_images, rerank_images, test_images;
    std::string target_help, method_help, episodes_help, backend_help, seed_help;
  };
  void add_to(CLI::App* cmd, const Defaults& defaults);

  // Parsed and checked: InputError naming the option otherwise (also for k-means weights under a
  // latency or energy budget: the accelerators run linear integers only).
  search::Budget budget() const;
  search::EnvironmentOptions environment() const;  // also checks --min-bits <= --max-bits
  // Calibrated model of --model/--weights on --dataset, quantizing weights with
  // --weight-quantizer; InputError when --model names another network than the weights hold.
  QuantizationContext load_model(const CacheOptions& cache, std::string* weights_path) const;
  // --eval-images + --rerank-images fit the validation split.
  void check_validation_images(const QuantizationContext& ctx) const;
  // The network instance the hardware runs, at `batch`.
  Network cost_network(const std::string& model, int batch) const;
  // The method options that contradict each other (InputError), checked before any cost fill.
  void check_methods() const;
  // The search options these settle: methods, episode counts, environment, seed, finalists,
  // re-ranking and the ILP's sensitivities.
  void apply(search::SearchOptions& so) const;
  // Text for a checkpoint's fingerprint of the options that change what a search measures
  // (empty for the defaults older checkpoints were written with): the ILP's sensitivities and
  // the weight quantizer.
  std::string ilp_fingerprint() const;
};

}  // namespace haqsim::cli
