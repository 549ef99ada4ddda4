#include "models/quant/kmeans_quantizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "base/fnv1a.h"

namespace haqsim {

namespace {

constexpr int32_t kMaxEntry = (1 << 15) - 1;

// A uniform double in [0, 1) from the top 53 bits of one draw: the same on every platform, which
// std::uniform_real_distribution does not promise.
double uniform01(std::mt19937_64& rng) {
  return double(rng() >> 11) * 0x1.0p-53;
}

// Greedy k-means++ seeding over sorted values (Arthur & Vassilvitskii's D^2 sampling with
// scikit-learn's default of 2 + ln k candidates per step, keeping the one that lowers the total
// squared distance most): each candidate is a value drawn with probability proportional to its
// squared distance to the nearest centroid chosen so far. Distances live in blocks with running
// sums, so a draw walks the blocks and then one block; a new centroid only changes the distances
// of values between its two chosen neighbours (the data is sorted).
std::vector<double> plus_plus_seeds(const std::vector<double>& x, int k, uint64_t seed) {
  const size_t n = x.size();
  constexpr size_t kBlock = 1024;
  const size_t blocks = (n + kBlock - 1) / kBlock;
  const int candidates = 2 + int(std::log(double(k)));
  std::mt19937_64 rng(seed);
  std::vector<double> d2(n);
  std::vector<double> block_sum(blocks, 0.0);
  auto resum = [&](size_t first_block, size_t last_block) {
    for (size_t b = first_block; b <= last_block && b < blocks; ++b) {
      double s = 0;
      for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) s += d2[i];
      block_sum[b] = s;
    }
  };
  auto draw = [&](double total) {
    double r = uniform01(rng) * total;
    size_t pick = n;
    for (size_t b = 0; b < blocks && pick == n; ++b) {
      if (r >= block_sum[b] && b + 1 < blocks) {
        r -= block_sum[b];
        continue;
      }
      for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
        if (d2[i] > 0) pick = i;  // the last positive one when rounding leaves r too large
        if (r < d2[i]) break;
        r -= d2[i];
      }
    }
    for (size_t i = n; pick == n && i > 0; --i) {
      if (d2[i - 1] > 0) pick = i - 1;  // rounding walked past every positive distance
    }
    return pick;
  };
  std::set<double> chosen;
  // The values whose distance a new centroid c can change: those between its chosen neighbours.
  auto reach = [&](double c) {
    const auto above = chosen.upper_bound(c);
    const double lo = above == chosen.begin() ? -INFINITY : *std::prev(above);
    const double hi = above == chosen.end() ? INFINITY : *above;
    return std::pair<size_t, size_t>(size_t(std::upper_bound(x.begin(), x.end(), lo) - x.begin()),
                                     size_t(std::lower_bound(x.begin(), x.end(), hi) - x.begin()));
  };
  const double first = x[std::min(n - 1, size_t(uniform01(rng) * double(n)))];
  chosen.insert(first);
  for (size_t i = 0; i < n; ++i) d2[i] = (x[i] - first) * (x[i] - first);
  resum(0, blocks);
  while (int(chosen.size()) < k) {
    double total = 0;
    for (double s : block_sum) total += s;
    if (!(total > 0)) break;  // every value is a centroid already
    size_t best = n;
    double best_gain = -1;
    for (int t = 0; t < candidates; ++t) {
      const size_t pick = draw(total);
      const double c = x[pick];
      const auto [from, to] = reach(c);
      double gain = 0;
      for (size_t i = from; i < to; ++i) gain += std::max(0.0, d2[i] - (x[i] - c) * (x[i] - c));
      if (gain > best_gain) {
        best_gain = gain;
        best = pick;
      }
    }
    const double c = x[best];
    const auto [from, to] = reach(c);
    chosen.insert(c);
    for (size_t i = from; i < to; ++i) d2[i] = std::min(d2[i], (x[i] - c) * (x[i] - c));
    if (from < to) resum(from / kBlock, (to - 1) / kBlock);
  }
  std::vector<double> seeds(chosen.begin(), chosen.end());
  while (int(seeds.size()) < k) seeds.push_back(seeds.back());
  return seeds;
}

std::vector<double> linear_seeds(const std::vector<double>& x, int k) {
  std::vector<double> seeds(k);
  const double lo = x.front(), hi = x.back();
  for (int j = 0; j < k; ++j) seeds[j] = lo + (hi - lo) * j / (k - 1);
  return seeds;
}

// Lloyd iterations on sorted values: centroid j owns the values in [b_{j-1}, b_j) with b_j the
// midpoint of centroids j and j+1; its new value is their mean (prefix sums). An empty cluster
// keeps its centroid, which stays between its neighbours, so the centroids stay sorted.
void lloyd(const std::vector<double>& x, std::vector<double>& c, int max_iterations) {
  const size_t n = x.size();
  const int k = int(c.size());
  std::vector<double> prefix(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + x[i];
  std::vector<size_t> start(k + 1);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    start[0] = 0;
    start[k] = n;
    for (int j = 1; j < k; ++j) {
      const double boundary = 0.5 * (c[j - 1] + c[j]);
      start[j] = size_t(std::lower_bound(x.begin(), x.end(), boundary) - x.begin());
      start[j] = std::max(start[j], start[j - 1]);
    }
    bool moved = false;
    for (int j = 0; j < k; ++j) {
      const size_t count = start[j + 1] - start[j];
      if (count == 0) continue;
      const double mean = (prefix[start[j + 1]] - prefix[start[j]]) / double(count);
      moved |= mean != c[j];
      c[j] = mean;
    }
    if (!moved) break;
  }
}

// Squared error of sorted values against ascending centroids (nearest, ties upwards).
double sorted_error(const std::vector<double>& x, const std::vector<float>& centroids) {
  double error = 0;
  size_t i = 0;
  for (size_t j = 0; j < centroids.size(); ++j) {
    const double c = centroids[j];
    const double next = j + 1 < centroids.size() ? 0.5 * (c + double(centroids[j + 1])) : INFINITY;
    for (; i < x.size() && x[i] < next; ++i) error += (x[i] - c) * (x[i] - c);
  }
  return error;
}

std::vector<float> compute_centroids(const std::vector<float>& values, int bits,
                                     const KMeansOptions& o) {
  const int k = 1 << bits;
  std::vector<double> x(values.begin(), values.end());
  std::sort(x.begin(), x.end());
  // No more distinct values than centroids: they are the codebook, whatever the initialisation
  // (so weights fine-tuned as shared centroids cluster back to exactly those centroids).
  std::vector<double> distinct;
  for (double v : x) {
    if (distinct.empty() || v != distinct.back()) distinct.push_back(v);
    if (int(distinct.size()) > k) break;
  }
  if (int(distinct.size()) <= k) {
    std::vector<float> centroids(distinct.begin(), distinct.end());
    centroids.resize(k, centroids.back());
    return centroids;
  }
  const int runs = o.init == CentroidInit::kLinear ? 1 : std::max(1, o.restarts);
  std::vector<float> best;
  double best_error = INFINITY;
  for (int run = 0; run < runs; ++run) {
    // Restart r draws from its own stream: seed, seed + 2^32, ...
    std::vector<double> c = o.init == CentroidInit::kLinear
                                ? linear_seeds(x, k)
                                : plus_plus_seeds(x, k, o.seed + (uint64_t(run) << 32));
    lloyd(x, c, o.max_iterations);
    std::vector<float> centroids(c.begin(), c.end());
    std::sort(centroids.begin(), centroids.end());
    const double error = sorted_error(x, centroids);
    if (error < best_error) {
      best_error = error;
      best = std::move(centroids);
    }
  }
  return best;
}

// A search quantizes the same layers at the same few widths hundreds of times: centroids are
// remembered by the values' content and the options (the assignment is cheap to redo).
struct CentroidMemo {
  std::mutex mutex;
  std::unordered_map<uint64_t, std::vector<float>> centroids;
};

uint64_t centroid_key(const std::vector<float>& values, int bits, const KMeansOptions& o) {
  const int init = int(o.init);
  return Fnv1a()
      .values(values)
      .bytes(&bits, sizeof bits)
      .bytes(&init, sizeof init)
      .bytes(&o.max_iterations, sizeof o.max_iterations)
      .bytes(&o.seed, sizeof o.seed)
      .bytes(&o.restarts, sizeof o.restarts)
      .digest();
}

}  // namespace

std::vector<float> kmeans_centroids(const std::vector<float>& values, int bits,
                                    const KMeansOptions& o) {
  if (bits < 1 || bits > 16) {
    throw std::invalid_argument(fmt::format("k-means at {} bits: expected 1 to 16", bits));
  }
  if (values.empty()) throw std::invalid_argument("k-means of no values");
  static CentroidMemo memo;
  const uint64_t key = centroid_key(values, bits, o);
  {
    std::lock_guard<std::mutex> lock(memo.mutex);
    if (auto it = memo.centroids.find(key); it != memo.centroids.end()) return it->second;
  }
  std::vector<float> centroids = compute_centroids(values, bits, o);
  std::lock_guard<std::mutex> lock(memo.mutex);
  memo.centroids.emplace(key, centroids);
  return centroids;
}

std::vector<int32_t> assign_to_centroids(const std::vector<float>& values,
                                         const std::vector<float>& centroids) {
  std::vector<double> boundaries(centroids.size() > 1 ? centroids.size() - 1 : 0);
  for (size_t j = 0; j + 1 < centroids.size(); ++j) {
    boundaries[j] = 0.5 * (double(centroids[j]) + double(centroids[j + 1]));
  }
  std::vector<int32_t> index(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    index[i] = int32_t(std::upper_bound(boundaries.begin(), boundaries.end(), double(values[i])) -
                       boundaries.begin());
  }
  return index;
}

double quantization_error(const std::vector<float>& values, const std::vector<float>& centroids) {
  const std::vector<int32_t> index = assign_to_centroids(values, centroids);
  double error = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double d = double(values[i]) - double(centroids[index[i]]);
    error += d * d;
  }
  return error;
}

GridCodebook quantize_weights_kmeans(const std::vector<float>& w, int out_channels, int bits,
                                     int input_bits, const KMeansOptions& o) {
  if (out_channels <= 0 || w.size() % size_t(out_channels) != 0) {
    throw std::invalid_argument("weights do not split into the output channels");
  }
  const std::vector<float> centroids = kmeans_centroids(w, bits, o);
  GridCodebook g;
  g.indices = assign_to_centroids(w, centroids);
  float max_abs = 0;
  for (float c : centroids) max_abs = std::max(max_abs, std::fabs(c));
  g.entries.assign(centroids.size(), 0);
  if (max_abs == 0) return g;
  // The finest exponent whose largest entry fits 16 signed bits, coarsened until no channel's
  // accumulator can leave int32.
  const size_t per = w.size() / size_t(out_channels);
  const double input_bound = std::ldexp(1.0, input_bits);
  for (int e = std::ilogb(max_abs) - 14;; ++e) {
    bool fits = true;
    for (size_t j = 0; j < centroids.size() && fits; ++j) {
      g.entries[j] = int32_t(std::nearbyint(std::ldexp(double(centroids[j]), -e)));
      fits = std::abs(g.entries[j]) <= kMaxEntry;
    }
    for (int ch = 0; ch < out_channels && fits; ++ch) {
      int64_t sum = 0;
      for (size_t k = 0; k < per; ++k) sum += std::abs(g.entries[g.indices[ch * per + k]]);
      fits = double(sum) * input_bound < 2147483648.0;
    }
    if (fits) {
      g.exponent = e;
      return g;
    }
  }
}

}  // namespace haqsim
