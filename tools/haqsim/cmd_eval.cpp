// `haqsim eval`: top-1 of a trained model's integer (quantized) inference at a policy, next to
// the float model's, on a dataset split; writes DIR/eval.json.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/quant/float_accuracy_cache.h"
#include "models/quant/integer_executor.h"
#include "models/quant/pretrained.h"
#include "models/quant/quantization_context.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/policy_options.h"
#include "tools/haqsim/weight_quantizer_options.h"

namespace haqsim::cli {

namespace {

struct EvalOptions {
  std::string model;
  std::string weights;
  std::string dataset = "fashion-mnist";
  PolicyOptions policy;
  WeightQuantizerOptions weight_quantizer;
  std::string split = "test";
  int images = 0;
  int calibration_images = kDefaultCalibrationImages;
  std::string out;
  std::vector<int> sweep;  // uniform bit widths to evaluate in one run (shared calibration)
  CacheOptions cache;
};

nlohmann::json policy_json(const Network& net, const Policy& policy) {
  nlohmann::json layers = nlohmann::json::array();
  for (int i = 0; i < net.quantizable_count(); ++i) {
    layers.push_back({{"layer", i},
                      {"name", net.quantizable(i).name},
                      {"wbits", policy.layers[i].wbits},
                      {"abits", policy.layers[i].abits}});
  }
  return {{"source", policy.source}, {"layers", layers}};
}

// The quantized weights' storage in 10^6 bytes (indices + codebooks with k-means), of the network
// instance evaluated here.
double weight_storage_mb(const QuantizedNetwork& q) {
  int64_t bits = 0;
  for (const QuantizedLayer& l : q.layers) bits += stored_weight_bits(l);
  return double(bits) / 8 / 1e6;
}

nlohmann::json quantizer_json(const EvalOptions& o) {
  nlohmann::json j = {{"weights", o.weight_quantizer.quantizer}};
  if (o.weight_quantizer.kmeans()) j["kmeans_init"] = o.weight_quantizer.kmeans_init;
  return j;
}

// Uniform policies at several bit widths against one calibration and one float evaluation;
// prints a table and writes DIR/sweep.json.
int run_sweep(const EvalOptions& o, const QuantizationContext& ctx, const std::string& weights,
              Split split, int images) {
  const Network& net = ctx.model.network;
  const ImageDataset& data = ctx.data.get(split);
  const double float_acc =
      float_top1_cached(ctx.model, data, ctx.data.normalization, images, o.cache.calibration());
  fmt::print("{} on {} {} ({} images): float top-1 {:.2f}%, {} weights\n", net.name, ctx.data.name,
             to_string(split), images, 100 * float_acc, o.weight_quantizer.quantizer);
  nlohmann::json rows = nlohmann::json::array();
  for (int bits : o.sweep) {
    const Policy policy = Policy::uniform(net.quantizable_count(), bits, bits);
    const QuantizedNetwork q = ctx.quantize(policy);
    const double top1 = integer_top1(q, data, images);
    const double size_mb = weight_storage_mb(q);
    fmt::print("  w{0}a{0}: integer top-1 {1:.2f}%   weights {2:.6f} MB\n", bits, 100 * top1,
               size_mb);
    std::fflush(stdout);
    rows.push_back({{"wbits", bits}, {"abits", bits}, {"top1", top1}, {"weight_size_mb", size_mb}});
  }
  if (!o.out.empty()) {
    const nlohmann::json report = {{"model", net.name},
                                   {"weights", weights},
                                   {"dataset", ctx.data.name},
                                   {"split", to_string(split)},
                                   {"images", images},
                                   {"float_top1", float_acc},
                                   {"calibration_images", ctx.stats.images},
                                   {"quantizer", quantizer_json(o)},
                                   {"uniform", rows}};
    write_file_atomically(o.out + "/sweep.json", report.dump(2) + "\n");
    fmt::print("wrote {}/sweep.json\n", o.out);
  }
  return 0;
}

int run_eval(const EvalOptions& o) {
  if (!o.out.empty()) require_usable_output(o.out, OutputKind::kDirectory, "--out");
  const std::string weights = resolve_weights(o.model, o.weights);
  const Split split = parse_split(o.split);
  const auto started = std::chrono::steady_clock::now();
  QuantizationContext ctx =
      prepare_quantization(weights, o.dataset, o.calibration_images, o.cache.calibration());
  ctx.weight_quantization = o.weight_quantizer.resolve();
  const Network& net = ctx.model.network;
  if (!o.model.empty() && o.model != net.name) {
    throw InputError(InputLocation{weights, 0, "model", -1}, fmt::format("a {} model", o.model),
                     net.name);
  }
  if (ctx.data.classes > net.spec.classes) {
    throw InputError(InputLocation{"", 0, "--dataset", -1},
                     fmt::format("at most {} classes (the model's)", net.spec.classes),
                     fmt::format("{} classes in {}", ctx.data.classes, o.dataset));
  }
  const ImageDataset& data = ctx.data.get(split);
  const int images = o.images > 0 ? std::min(o.images, data.size()) : data.size();
  if (!o.sweep.empty()) return run_sweep(o, ctx, weights, split, images);
  const Policy policy = o.policy.resolve(net);
  const QuantizedNetwork q = ctx.quantize(policy);
  const double top1 = integer_top1(q, data, images);
  const double float_acc =
      float_top1_cached(ctx.model, data, ctx.data.normalization, images, o.cache.calibration());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{} ({}x{}x{}, first stride {}) on {} {} ({} images), policy {}\n", net.name,
             net.spec.resolution, net.spec.resolution, net.spec.in_channels, net.spec.first_stride,
             ctx.data.name, to_string(split), images, policy.source);
  const double size_mb = weight_storage_mb(q);
  fmt::print("integer top-1 {:.2f}%   float top-1 {:.2f}%   {} weights {:.6f} MB   ({:.0f} s)\n",
             100 * top1, 100 * float_acc, o.weight_quantizer.quantizer, size_mb, seconds);
  if (!o.out.empty()) {
    const nlohmann::json report = {
        {"model", net.name},
        {"weights", weights},
        {"dataset", ctx.data.name},
        {"split", to_string(split)},
        {"images", images},
        {"resolution", net.spec.resolution},
        {"in_channels", net.spec.in_channels},
        {"first_stride", net.spec.first_stride},
        {"calibration_images", ctx.stats.images},
        {"policy", policy_json(net, policy)},
        {"quantizer", quantizer_json(o)},
        {"weight_size_mb", size_mb},
        {"top1", top1},
        {"float_top1", float_acc},
    };
    write_file_atomically(o.out + "/eval.json", report.dump(2) + "\n");
    fmt::print("wrote {}/eval.json\n", o.out);
  }
  return 0;
}

}  // namespace

Command add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand(
      "eval", "Top-1 of a trained model's integer inference at a policy (and of the float model)");
  cmd->add_option(
      "--model", o->model,
      "Model with shipped weights (mobilenet_v1, mobilenet_v2, resnet50; models/pretrained/)");
  cmd->add_option("--weights", o->weights, "Weight file instead of the shipped one")
      ->check(CLI::ExistingFile);
  cmd->add_option("--dataset", o->dataset, "fashion-mnist, or a directory of IDX files")
      ->default_val("fashion-mnist");
  o->policy.add_to(*cmd);
  o->weight_quantizer.add_to(*cmd);
  cmd->add_option("--split", o->split, "Data split: val or test (train, calibration also work)")
      ->default_val("test");
  cmd->add_option("--images", o->images, "Evaluate the first N images of the split (default all)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--calibration-images", o->calibration_images,
                  "Calibration images for activation ranges")
      ->default_val(kDefaultCalibrationImages)
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--out", o->out, "Output directory for eval.json (sweep.json with --sweep)");
  o->cache.add_to(*cmd);
  cmd->add_option("--sweep", o->sweep,
                  "Evaluate uniform policies at these bit widths instead (e.g. 8,6,5,4,3,2)")
      ->delimiter(',')
      ->check(CLI::Range(kMinBits, kMaxBits));
  return [o] { return run_eval(*o); };
}

}  // namespace haqsim::cli
