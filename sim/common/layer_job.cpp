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

std::vector<int32_t> reference_accumulators(const LayerJob& job) {
  const LayerWorkload& l = job.layer;
  const int icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  std::vector<int32_t> out(size_t(l.output_elements()));
  for (int b = 0; b < l.batch; ++b) {
    for (int oc = 0; oc < l.out_channels; ++oc) {
      const int g = oc / ocg;
      for (int oy = 0; oy < l.out_height; ++oy) {
        for (int ox = 0; ox < l.out_width; ++ox) {
          int64_t acc = 0;
          for (int ic = 0; ic < icg; ++ic) {
            for (int ky = 0; ky < l.kernel_h; ++ky) {
              const int iy = oy * l.stride - l.pad + ky;
              if (iy < 0 || iy >= l.in_height) continue;
              for (int kx = 0; kx < l.kernel_w; ++kx) {
                const int ix = ox * l.stride - l.pad + kx;
                if (ix < 0 || ix >= l.in_width) continue;
                const int64_t w =
                    job.weights[((size_t(oc) * icg + ic) * l.kernel_h + ky) * l.kernel_w + kx];
                const int64_t a =
                    job.input[((size_t(b) * l.in_channels + g * icg + ic) * l.in_height + iy) *
                                  l.in_width +
                              ix];
                acc += w * a;
              }
            }
          }
          out[((size_t(b) * l.out_channels + oc) * l.out_height + oy) * l.out_width + ox] =
              static_cast<int32_t>(static_cast<uint32_t>(acc));
        }
      }
    }
  }
  return out;
}

}  // namespace haqsim
