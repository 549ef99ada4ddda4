#include "models/quant/linear_quantizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "base/fnv1a.h"

namespace haqsim {

int32_t ActQuant::quantize(float x) const {
  const float q = std::nearbyint(x / scale);
  return int32_t(std::clamp(q, float(qmin()), float(qmax())));
}

FixedPoint to_fixed_point(double m) {
  if (!(m >= 0) || m >= 2147483648.0) {
    throw std::invalid_argument(fmt::format("requantization multiplier {} out of range", m));
  }
  if (m == 0) return {0, 0};
  int exponent = 0;
  const double mantissa = std::frexp(m, &exponent);  // m = mantissa * 2^exponent, in [0.5, 1)
  int shift = 31 - exponent;
  int64_t q = std::llround(mantissa * double(int64_t(1) << 31));
  if (q == (int64_t(1) << 31)) {  // rounding carried to 1.0
    q /= 2;
    --shift;
  }
  if (shift > 62) {  // tiny multiplier: give up precision rather than overflow the shift
    q >>= (shift - 62);
    shift = 62;
  }
  if (shift < 0) throw std::invalid_argument(fmt::format("multiplier {} needs a left shift", m));
  return {int32_t(q), int32_t(shift)};
}

namespace {

float compute_kl_threshold(const AbsHistogram& input, int levels);

// The KL search is quadratic in the bins and a search quantizes the same layers at the same few
// bit widths hundreds of times, so results are remembered by the histogram's content.
struct KlMemo {
  std::mutex mutex;
  std::unordered_map<uint64_t, float> thresholds;
};

uint64_t histogram_key(const AbsHistogram& h, int levels) {
  return Fnv1a()
      .bytes(&levels, sizeof levels)
      .bytes(&h.max_abs, sizeof h.max_abs)
      .bytes(h.counts.data(), h.counts.size() * sizeof(double))
      .digest();
}

}  // namespace

float kl_threshold(const AbsHistogram& input, int levels) {
  static KlMemo memo;
  const uint64_t key = histogram_key(input, levels);
  {
    std::lock_guard<std::mutex> lock(memo.mutex);
    if (auto it = memo.thresholds.find(key); it != memo.thresholds.end()) return it->second;
  }
  const float threshold = compute_kl_threshold(input, levels);
  std::lock_guard<std::mutex> lock(memo.mutex);
  memo.thresholds.emplace(key, threshold);
  return threshold;
}

namespace {

float compute_kl_threshold(const AbsHistogram& input, int levels) {
  // Values in the first bin quantize to zero under any candidate threshold, and ReLU outputs put
  // a spike of exact zeros there; left in, that spike (badly smoothed by Q's per-chunk averaging)
  // pulls the optimum toward tiny thresholds that clip almost everything.
  AbsHistogram h = input;
  if (!h.counts.empty()) h.counts[0] = 0;
  const int bins = int(h.counts.size());
  double total = 0;
  for (double c : h.counts) total += c;
  if (bins == 0 || total <= 0 || h.max_abs <= 0 || levels >= bins) return h.max_abs;
  double best_kl = std::numeric_limits<double>::infinity();
  int best_i = bins;
  std::vector<double> p, q;
  // Suffix sums: the outliers folded into the last kept bin.
  std::vector<double> tail(bins + 1, 0.0);
  for (int i = bins - 1; i >= 0; --i) tail[i] = tail[i + 1] + h.counts[i];
  // Candidates below 1/32 of the range are not considered (the same concentration effect).
  for (int i = std::max(levels, bins / 32); i <= bins; ++i) {
    p.assign(h.counts.begin(), h.counts.begin() + i);
    p[i - 1] += tail[i];
    // Q: the i bins merged into `levels` chunks, each chunk's mass spread over its nonzero bins.
    q.assign(i, 0.0);
    for (int k = 0; k < levels; ++k) {
      const int start = int(int64_t(k) * i / levels), stop = int(int64_t(k + 1) * i / levels);
      double mass = 0;
      int nonzero = 0;
      for (int j = start; j < stop; ++j) {
        mass += h.counts[j];
        nonzero += h.counts[j] > 0;
      }
      for (int j = start; j < stop; ++j) q[j] = h.counts[j] > 0 ? mass / nonzero : 0.0;
    }
    double p_sum = 0, q_sum = 0;
    for (int j = 0; j < i; ++j) {
      p_sum += p[j];
      q_sum += q[j];
    }
    if (q_sum <= 0) continue;
    double kl = 0;
    for (int j = 0; j < i; ++j) {
      if (p[j] <= 0) continue;
      const double pj = p[j] / p_sum;
      // Bins Q leaves empty but P fills (only the outlier bin) get a tiny floor.
      const double qj = std::max(q[j] / q_sum, 1e-12);
      kl += pj * std::log(pj / qj);
    }
    if (kl < best_kl) {
      best_kl = kl;
      best_i = i;
    }
  }
  return float((best_i + 0.5) * h.bin_width() < h.max_abs ? (best_i + 0.5) * h.bin_width()
                                                          : h.max_abs);
}

}  // namespace

float choose_clip(const AbsHistogram& h, int levels, int bits) {
  return bits >= 5 ? h.max_abs : kl_threshold(h, levels);
}

std::vector<int32_t> quantize_weights(const std::vector<float>& w, int out_channels, int bits,
                                      std::vector<float>& scales) {
  const size_t per = w.size() / out_channels;
  std::vector<float> channel_max(out_channels, 0.0f);
  for (int o = 0; o < out_channels; ++o) {
    for (size_t k = 0; k < per; ++k) {
      channel_max[o] = std::max(channel_max[o], std::fabs(w[o * per + k]));
    }
  }
  float ratio = 1.0f;
  const int levels = weight_levels(bits);
  if (bits < 5) {
    AbsHistogram h;
    h.max_abs = 1.0f;
    h.counts.assign(1024, 0.0);
    for (int o = 0; o < out_channels; ++o) {
      if (channel_max[o] <= 0) continue;
      for (size_t k = 0; k < per; ++k) {
        const float r = std::fabs(w[o * per + k]) / channel_max[o];
        h.counts[std::min<size_t>(h.counts.size() - 1, size_t(r * h.counts.size()))] += 1;
      }
    }
    ratio = kl_threshold(h, levels);
  }
  std::vector<int32_t> q(w.size());
  scales.assign(out_channels, 1.0f);
  const int32_t lo = weight_qmin(bits), hi = weight_qmax(bits);
  for (int o = 0; o < out_channels; ++o) {
    const float clip = channel_max[o] * ratio;
    // An all-zero channel keeps scale 1 so requantization stays well defined.
    scales[o] = clip > 0 ? clip / levels : 1.0f;
    for (size_t k = 0; k < per; ++k) {
      const float v = std::nearbyint(w[o * per + k] / scales[o]);
      q[o * per + k] = int32_t(std::clamp(v, float(lo), float(hi)));
    }
  }
  return q;
}

}  // namespace haqsim
