#include "tools/haqsim/searcher_options.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/input_error.h"
#include "models/zoo.h"

namespace haqsim::cli {

void SearcherOptions::add_to(CLI::App* cmd, const Defaults& d) {
  cmd->add_option("--model", model,
                  "Model with shipped weights (mobilenet_v1, mobilenet_v2, resnet50)");
  cmd->add_option("--weights", weights, "Trained weight file instead of the shipped one")
      ->check(CLI::ExistingFile);
  cmd->add_option("--dataset", dataset, "fashion-mnist, or a directory of IDX or .npy files")
      ->default_val("fashion-mnist");
  cmd->add_option("--constraint", constraint, "latency, energy or size")
      ->default_val("latency")
      ->check(CLI::IsMember({"latency", "energy", "size"}));
  cmd->add_option("--target", target, d.target_help)->required();
  cmd->add_option("--method", methods, d.method_help)->default_val(d.methods);
  cmd->add_option("--episodes", episodes, d.episodes_help)
      ->default_val(d.episodes)
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--backend", backend, d.backend_help)
      ->default_val(d.backend)
      ->check(CLI::IsMember({"analytic", "systemc", "rtl"}));
  cmd->add_option("--eval-images", eval_images,
                  "Validation images per accuracy measurement during the search")
      ->default_val(d.eval_images)
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--rerank-images", rerank_images,
                  "Held-out validation images (after the search's) on which each method's "
                  "winner is chosen among its finalists (0: the best on the search images wins)")
      ->default_val(d.rerank_images)
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--finalists", finalists,
                  "Best distinct policies of each method re-measured on the held-out images")
      ->default_val(8)
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--test-images", test_images, "Test images for the final accuracy of winners")
      ->default_val(d.test_images)
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--calibration-images", calibration_images,
                  "Calibration images for activation ranges")
      ->default_val(kDefaultCalibrationImages)
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--min-bits", min_bits, "Lowest bits a searcher may choose")
      ->default_val(2)
      ->check(CLI::Range(1, 8));
  cmd->add_option("--max-bits", max_bits, "Highest bits a searcher may choose")
      ->default_val(8)
      ->check(CLI::Range(1, 8));
  cmd->add_flag("--free-first-last", free_first_last,
                "Let the searchers choose the first and last layers' bits too (default: 8 bits)");
  cmd->add_option("--cost-resolution", cost_resolution,
                  "Input resolution of the network instance the hardware runs")
      ->default_val(224)
      ->check(CLI::Range(1, 8192));
  cmd->add_option("--cost-channels", cost_channels, "Input channels of that instance")
      ->default_val(3)
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--cost-classes", cost_classes, "Output classes of that instance")
      ->default_val(1000)
      ->check(CLI::Range(1, 1000000));
  const search::HessianOptions h;
  cmd->add_option("--ilp-sensitivity", ilp_sensitivity,
                  "The ILP's per-layer sensitivities: hessian (HAWQ-V3's Hutchinson Hessian trace "
                  "x quantization error; no accuracy evaluation; cached) or measured (loss "
                  "increase with one layer quantized; one evaluation per layer, operand and "
                  "width)")
      ->default_val("hessian")
      ->check(CLI::IsMember({"measured", "hessian"}));
  cmd->add_option("--hessian-images", hessian.images,
                  "Training images the Hessian traces average over")
      ->default_val(h.images)
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--hessian-samples", hessian.samples,
                  "Hutchinson vectors per tensor and batch of 64 images")
      ->default_val(h.samples)
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", seed, d.seed_help)->default_val(1);
  weight_quantizer.add_to(*cmd);
}

search::Budget SearcherOptions::budget() const {
  const search::ConstraintKind kind = search::parse_constraint(constraint);
  // A codebook layer is storage (HAQ's size experiment): the accelerators' latency and energy
  // are those of linear integers, which a k-means policy does not run as.
  if (weight_quantizer.kmeans() && kind != search::ConstraintKind::kSize) {
    throw InputError(InputLocation{"", 0, "--weight-quantizer", -1},
                     fmt::format("linear with --constraint {} (k-means weights are counted for "
                                 "--constraint size only; the accelerators run linear integers)",
                                 constraint),
                     weight_quantizer.quantizer);
  }
  return search::parse_budget(kind, target);
}

search::EnvironmentOptions SearcherOptions::environment() const {
  if (min_bits > max_bits) {
    throw InputError(InputLocation{"", 0, "--min-bits", -1},
                     fmt::format("at most --max-bits ({})", max_bits), std::to_string(min_bits));
  }
  search::EnvironmentOptions env;
  env.min_bits = min_bits;
  env.max_bits = max_bits;
  env.pin_first_last = !free_first_last;
  return env;
}

QuantizationContext SearcherOptions::load_model(const CacheOptions& cache,
                                                std::string* weights_path) const {
  const std::string path = resolve_weights(model, weights);
  QuantizationContext ctx =
      prepare_quantization(path, dataset, calibration_images, cache.calibration());
  ctx.weight_quantization = weight_quantizer.resolve();
  if (!model.empty() && model != ctx.model.network.name) {
    throw InputError(InputLocation{path, 0, "model", -1}, fmt::format("a {} model", model),
                     ctx.model.network.name);
  }
  if (weights_path) *weights_path = path;
  return ctx;
}

void SearcherOptions::check_validation_images(const QuantizationContext& ctx) const {
  const int validation = ctx.data.get(Split::kValidation).size();
  if (eval_images + rerank_images > validation) {
    throw InputError(
        InputLocation{"", 0, "--rerank-images", -1},
        fmt::format("at most {} (the validation split's {} images minus --eval-images {})",
                    std::max(0, validation - eval_images), validation, eval_images),
        std::to_string(rerank_images));
  }
}

Network SearcherOptions::cost_network(const std::string& name, int batch) const {
  NetworkSpec spec;
  spec.resolution = cost_resolution;
  spec.in_channels = cost_channels;
  spec.classes = cost_classes;
  spec.batch = batch;
  return build_model(name, spec);
}

void SearcherOptions::check_methods() const {
  const std::vector<std::string> parsed = search::parse_methods(methods);
  // The Hessian sensitivities weigh linear quantization's weight error; measured ones measure
  // whatever the accuracy oracle quantizes with.
  if (weight_quantizer.kmeans() && ilp_sensitivity == "hessian" &&
      std::find(parsed.begin(), parsed.end(), "ilp") != parsed.end()) {
    throw InputError(InputLocation{"", 0, "--ilp-sensitivity", -1},
                     "measured with --weight-quantizer kmeans and --method ilp (the Hessian "
                     "sensitivities count linear weight-quantization errors)",
                     ilp_sensitivity);
  }
}

void SearcherOptions::apply(search::SearchOptions& so) const {
  check_methods();
  so.methods = search::parse_methods(methods);
  so.episodes = episodes;
  so.env = environment();
  so.seed = seed;
  so.ddpg.seed = seed;
  so.rerank_images = rerank_images;
  so.finalists = finalists;
  so.ilp_sensitivity = ilp_sensitivity;
  so.hessian = hessian;
  so.hessian.seed = seed;
}

std::string SearcherOptions::ilp_fingerprint() const {
  const std::string quantizer = weight_quantizer.fingerprint();
  if (ilp_sensitivity == "measured") return quantizer;
  return fmt::format(" ilp_sensitivity={} hessian={}x{}", ilp_sensitivity, hessian.images,
                     hessian.samples) +
         quantizer;
}

}  // namespace haqsim::cli
