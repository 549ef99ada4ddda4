#include "sim/common/layer_job.h"

#include <random>

namespace haqsim {

LayerJob make_synthetic_job(const LayerWorkload& layer, LayerBits bits, uint64_t seed) {
  LayerJob job;
  job.layer = layer;
  job.bits = bits;
  std::mt19937_64 rng(seed);
  // Signed b-bit range [-2^(b-1), 2^(b-1) - 1]; unsigned [0, 2^b - 1].
  auto range = [](int b, bool is_signed) {
    return is_signed ? std::pair<int, int>{-(1 << (b - 1)), (1 << (b - 1)) - 1}
                     : std::pair<int, int>{0, (1 << b) - 1};
  };
  auto [wlo, whi] = range(bits.wbits, true);
  auto [alo, ahi] = range(bits.abits, layer.input_signed);
  std::uniform_int_distribution<int> wdist(wlo, whi), adist(alo, ahi);
  job.weights.resize(size_t(layer.out_channels) * (layer.in_channels / layer.groups) *
                     layer.kernel_h * layer.kernel_w);
  for (auto& w : job.weights) w = wdist(rng);
  job.input.resize(size_t(layer.input_elements()));
  for (auto& a : job.input) a = adist(rng);
  return job;
}

}  // namespace haqsim
