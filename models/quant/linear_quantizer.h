// HAQ's linear quantization primitives.
//
// A quantized value q stands for the real number scale * q. Weights are symmetric and signed:
// q in [-(2^(b-1) - 1), 2^(b-1) - 1] (b = 1 degenerates to {-1, 0}); activations are unsigned
// (q in [0, 2^b - 1]) after a ReLU and two's-complement signed (q in [-2^(b-1), 2^(b-1) - 1])
// elsewhere. The clip value c (the real number the largest positive level stands for) is the
// tensor's maximum magnitude for b >= 5 and the KL-divergence-optimal threshold for b < 5
// (TensorRT's calibration method, as HAQ does).
//
// Requantization is fixed point: a real multiplier M > 0 becomes an int32 m in [2^30, 2^31) and
// a right shift s (M ~= m / 2^s), applied as (x * m + 2^(s-1)) >> s in 64-bit arithmetic with an
// arithmetic shift, i.e. round to nearest with ties towards +infinity.
#pragma once

#include <cstdint>
#include <vector>

namespace haqsim {

// How a tensor's integers map to real values.
struct ActQuant {
  float scale = 1.0f;
  int bits = 8;
  bool is_signed = false;

  int32_t qmin() const { return is_signed ? -(int32_t(1) << (bits - 1)) : 0; }
  int32_t qmax() const {
    return is_signed ? (int32_t(1) << (bits - 1)) - 1 : (int32_t(1) << bits) - 1;
  }
  // Positive levels the clip value is spread over.
  int levels() const { return std::max(1, int(qmax())); }
  int32_t quantize(float x) const;  // round to nearest, clamp
};

inline int32_t weight_qmax(int bits) {
  return bits >= 2 ? (int32_t(1) << (bits - 1)) - 1 : 0;
}
inline int32_t weight_qmin(int bits) {
  return bits >= 2 ? -weight_qmax(bits) : -1;
}
inline int weight_levels(int bits) {
  return bits >= 2 ? int(weight_qmax(bits)) : 1;
}

struct FixedPoint {
  int32_t multiplier = 0;  // in [2^30, 2^31) (or 0 for M = 0)
  int32_t shift = 0;       // right shift, in [0, 62]
};

// Throws std::invalid_argument for M < 0 or M >= 2^31.
FixedPoint to_fixed_point(double real_multiplier);
// (value * multiplier + round) >> shift in 64-bit arithmetic.
inline int64_t apply_fixed_point(int64_t value, const FixedPoint& f) {
  const int64_t product = value * int64_t(f.multiplier);
  if (f.shift == 0) return product;
  return (product + (int64_t(1) << (f.shift - 1))) >> f.shift;
}

// Histogram of |x| over [0, max_abs] in equal bins.
struct AbsHistogram {
  float max_abs = 0.0f;
  std::vector<double> counts;
  float bin_width() const { return counts.empty() ? 0.0f : max_abs / counts.size(); }
};

// The clip threshold minimizing KL(P || Q) between the histogram and its quantization to
// `levels` positive levels. Returns max_abs when the histogram is empty or degenerate.
float kl_threshold(const AbsHistogram& histogram, int levels);

// Clip value for `bits`: by maximum for bits >= 5, by KL divergence below.
float choose_clip(const AbsHistogram& histogram, int levels, int bits);

// Per-output-channel symmetric weight quantization of `weights` (out_channels rows).
// Below 5 bits, the clip of every channel is the same fraction of that channel's maximum, chosen
// by KL divergence over the whole layer's normalized weights (a per-channel histogram of 9
// depthwise taps says nothing). Returns q values and fills one scale per channel.
std::vector<int32_t> quantize_weights(const std::vector<float>& weights, int out_channels, int bits,
                                      std::vector<float>& scales);

}  // namespace haqsim
