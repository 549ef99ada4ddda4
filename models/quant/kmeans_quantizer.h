// k-means weight quantization (Deep Compression's weight sharing, HAQ's size experiment): the
// weights of a layer share a codebook of 2^bits centroids, each weight stored as the index of its
// nearest centroid. (quantized_network.cpp clusters a layer's own weights, BatchNorm not folded
// in, as HAQ's and Deep Compression's code do.)
//
// Clustering is one-dimensional Lloyd iteration over the sorted weights (prefix sums make an
// iteration O(2^bits log n)), from greedy k-means++ seeding (D^2 sampling, Arthur &
// Vassilvitskii; best of several restarts) or Deep Compression's linear initialisation
// (centroids evenly spaced over [min, max]). The result depends only on the multiset of values,
// the bits and the options (seeded, with the random numbers drawn from a std::mt19937_64 stream
// the same on every platform).
//
// For the integer reference the centroids are then put on a power-of-two grid of the layer
// (quantize_weights_kmeans): entry = round(centroid / 2^e), |entry| <= 2^15 - 1, with e the
// finest exponent for which no accumulator of the layer can overflow int32 at the layer's
// activation bits. The layer's integer weights are its entries and 2^e a factor of its weight
// scale, so accumulation stays integer and exact, and entry x 2^e is the dequantized weight
// exactly (a float with a 16-bit significand).
#pragma once

#include <cstdint>
#include <vector>

namespace haqsim {

enum class CentroidInit { kKMeansPlusPlus, kLinear };

struct KMeansOptions {
  CentroidInit init = CentroidInit::kKMeansPlusPlus;
  int max_iterations = 1000;  // Lloyd iterations; stops earlier when the centroids stop moving
  uint64_t seed = 1;          // k-means++ sampling
  // k-means++ runs from independent seedings, the lowest squared error kept (scikit-learn's
  // n_init); linear initialisation is deterministic and runs once.
  int restarts = 3;
};

// 2^bits centroids in ascending order (duplicates when there are fewer distinct values).
std::vector<float> kmeans_centroids(const std::vector<float>& values, int bits,
                                    const KMeansOptions& options = {});

// Index of each value's nearest centroid (ties towards the larger centroid); `centroids`
// ascending.
std::vector<int32_t> assign_to_centroids(const std::vector<float>& values,
                                         const std::vector<float>& centroids);

// Sum over values of (value - its centroid)^2.
double quantization_error(const std::vector<float>& values, const std::vector<float>& centroids);

// A layer's codebook on its integer grid: real centroid j = entries[j] * 2^exponent.
struct GridCodebook {
  std::vector<int32_t> entries;  // |entry| <= 2^15 - 1 (kCodebookEntryBits signed)
  int32_t exponent = 0;
  std::vector<int32_t> indices;  // per weight, into entries
};

// Clusters a layer's folded weights (out_channels rows) at `bits` and puts the codebook on the
// finest grid for which every output channel's sum of |weight entry| times 2^input_bits stays
// below 2^31 (no int32 accumulator can overflow for inputs of input_bits bits).
GridCodebook quantize_weights_kmeans(const std::vector<float>& weights, int out_channels, int bits,
                                     int input_bits, const KMeansOptions& options = {});

}  // namespace haqsim
