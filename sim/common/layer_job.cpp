#include "sim/common/layer_job.h"

#include <algorithm>
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

namespace {

// A 1x1, stride-1, unpadded convolution is a matrix product per group: out[oc][p] = sum over ic
// of w[oc][ic] * x[ic][p]. Computed a block of pixels at a time with the block's sums in
// registers (one pass over the inputs per output channel, from cache), instead of one pass over
// the whole output plane per (output, input) channel pair as the direct loop below does.
void pointwise_reference(const LayerJob& job, int32_t* out) {
  const LayerWorkload& l = job.layer;
  const int icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  const int64_t plane = int64_t(l.out_height) * l.out_width;
  constexpr int64_t kBlock = 64;
  for (int b = 0; b < l.batch; ++b) {
    for (int g = 0; g < l.groups; ++g) {
      const int32_t* in = job.input.data() + (size_t(b) * l.in_channels + size_t(g) * icg) * plane;
      for (int64_t p0 = 0; p0 < plane; p0 += kBlock) {
        const int64_t n = std::min(kBlock, plane - p0);
        for (int oc = g * ocg; oc < (g + 1) * ocg; ++oc) {
          const int32_t* w = job.weights.data() + size_t(oc) * icg;
          uint32_t acc[kBlock] = {};
          for (int ic = 0; ic < icg; ++ic) {
            const uint32_t wv = static_cast<uint32_t>(w[ic]);
            const int32_t* x = in + size_t(ic) * plane + p0;
            if (n == kBlock) {
              for (int64_t j = 0; j < kBlock; ++j) acc[j] += wv * uint32_t(x[j]);
            } else {
              for (int64_t j = 0; j < n; ++j) acc[j] += wv * uint32_t(x[j]);
            }
          }
          int32_t* dst = out + (size_t(b) * l.out_channels + oc) * plane + p0;
          for (int64_t j = 0; j < n; ++j) dst[j] = static_cast<int32_t>(acc[j]);
        }
      }
    }
  }
}

}  // namespace

std::vector<int32_t> reference_accumulators(const LayerJob& job) {
  const LayerWorkload& l = job.layer;
  if (l.kernel_h == 1 && l.kernel_w == 1 && l.stride_h == 1 && l.stride_w == 1 && l.pad_top == 0 &&
      l.pad_left == 0 && l.in_height == l.out_height && l.in_width == l.out_width) {
    std::vector<int32_t> out(size_t(l.output_elements()));
    pointwise_reference(job, out.data());
    return out;
  }
  const int icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  const int64_t out_plane = int64_t(l.out_height) * l.out_width;
  std::vector<int32_t> out(size_t(l.output_elements()));
  std::vector<uint32_t> acc(static_cast<size_t>(out_plane));
  // Direct convolution, one output plane at a time: every weight tap is broadcast over the
  // plane (the inner loop runs along output columns, which vectorizes). Sums are taken modulo
  // 2^32 (unsigned wrap-around), which is what the accumulators hold: 32-bit lanes vectorize
  // twice as wide as 64-bit ones, and AVX2 has no 64-bit multiply at all.
  for (int b = 0; b < l.batch; ++b) {
    for (int oc = 0; oc < l.out_channels; ++oc) {
      const int g = oc / ocg;
      std::fill(acc.begin(), acc.end(), 0u);
      for (int ic = 0; ic < icg; ++ic) {
        const int32_t* in = job.input.data() +
                            (size_t(b) * l.in_channels + g * icg + ic) * l.in_height * l.in_width;
        for (int ky = 0; ky < l.kernel_h; ++ky) {
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const uint32_t w = static_cast<uint32_t>(
                job.weights[((size_t(oc) * icg + ic) * l.kernel_h + ky) * l.kernel_w + kx]);
            if (w == 0) continue;
            // Output columns whose input column lies inside the image.
            const int x0 = kx * l.dilation_w - l.pad_left, y0 = ky * l.dilation_h - l.pad_top;
            int ox_begin = 0, ox_end = l.out_width;
            while (ox_begin < ox_end && ox_begin * l.stride_w + x0 < 0) ++ox_begin;
            while (ox_end > ox_begin && (ox_end - 1) * l.stride_w + x0 >= l.in_width) --ox_end;
            for (int oy = 0; oy < l.out_height; ++oy) {
              const int iy = oy * l.stride_h + y0;
              if (iy < 0 || iy >= l.in_height) continue;
              const int32_t* row = in + size_t(iy) * l.in_width;
              uint32_t* dst = acc.data() + size_t(oy) * l.out_width;
              if (l.stride_w == 1) {
                for (int ox = ox_begin; ox < ox_end; ++ox) dst[ox] += w * uint32_t(row[ox + x0]);
              } else {
                for (int ox = ox_begin; ox < ox_end; ++ox) {
                  dst[ox] += w * uint32_t(row[ox * l.stride_w + x0]);
                }
              }
            }
          }
        }
      }
      int32_t* dst = out.data() + (size_t(b) * l.out_channels + oc) * out_plane;
      for (int64_t i = 0; i < out_plane; ++i) {
        dst[i] = static_cast<int32_t>(acc[size_t(i)]);
      }
    }
  }
  return out;
}

}  // namespace haqsim
