#include "tools/haqsim/weight_quantizer_options.h"

#include <fmt/format.h>

namespace haqsim::cli {

void WeightQuantizerOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--weight-quantizer", quantizer,
                 "linear (per-channel symmetric integers) or kmeans (a per-layer codebook of "
                 "2^wbits centroids, Deep Compression's weight sharing; sizes count indices + "
                 "codebook)")
      ->default_val("linear")
      ->check(CLI::IsMember({"linear", "kmeans"}));
  cmd.add_option("--kmeans-init", kmeans_init,
                 "Centroid initialisation of kmeans: kmeans++ or linear (Deep Compression's, "
                 "evenly spaced over the weights' range)")
      ->default_val("kmeans++")
      ->check(CLI::IsMember({"kmeans++", "linear"}));
}

WeightQuantization WeightQuantizerOptions::resolve() const {
  WeightQuantization w;
  w.quantizer = parse_weight_quantizer(quantizer);
  w.kmeans.init = kmeans_init == "linear" ? CentroidInit::kLinear : CentroidInit::kKMeansPlusPlus;
  return w;
}

std::string WeightQuantizerOptions::fingerprint() const {
  if (!kmeans()) return "";
  return fmt::format(" weight_quantizer=kmeans init={}", kmeans_init);
}

}  // namespace haqsim::cli
