// Which quantizer turns a layer's float weights into what is stored, and how many bits that
// storage takes: the model size a size-constrained search budgets (search/cost_oracle.h) and the
// size table reports.
//
//   linear  per-output-channel symmetric integers at wbits (linear_quantizer.h): wbits bits per
//           weight. The per-channel scales are not counted (as haqsim counted size before the
//           k-means quantizer existed, so recorded sizes stay comparable).
//   kmeans  a per-layer codebook of 2^wbits centroids (kmeans_quantizer.h), as Deep Compression
//           and HAQ's size experiment store weights: wbits bits of index per weight, plus the
//           codebook's 2^wbits entries of kCodebookEntryBits each, plus the codebook's grid
//           exponent (kCodebookExponentBits). The entries are 16-bit integers on a power-of-two
//           grid of the layer (real centroid = entry x 2^exponent): exactly what the integer
//           reference multiplies with, so the stored codebook is the executed one; 16 bits keep
//           the grid's rounding far below the codebook's own spacing at every wbits <= 8.
// Per-output-channel parameters are not counted for either quantizer (as before: size_mb is the
// weights' storage): the bias, and linear's channel scale or k-means' BatchNorm multiplier (the
// codebook holds the layer's weights before BatchNorm, as HAQ's and Deep Compression's do).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace haqsim {

enum class WeightQuantizer { kLinear, kKMeans };

inline const char* to_string(WeightQuantizer q) {
  return q == WeightQuantizer::kKMeans ? "kmeans" : "linear";
}

// "linear" or "kmeans"; std::invalid_argument otherwise.
inline WeightQuantizer parse_weight_quantizer(const std::string& name) {
  if (name == "linear") return WeightQuantizer::kLinear;
  if (name == "kmeans") return WeightQuantizer::kKMeans;
  throw std::invalid_argument("weight quantizer '" + name + "': expected linear or kmeans");
}

constexpr int kCodebookEntryBits = 16;
constexpr int kCodebookExponentBits = 8;

// Bits a codebook of 2^wbits entries takes (entries plus grid exponent).
inline int64_t codebook_bits(int wbits) {
  return (int64_t(1) << wbits) * kCodebookEntryBits + kCodebookExponentBits;
}

// Bits that store `weights` weights of one layer at `wbits` with quantizer `q`.
inline int64_t weight_storage_bits(int64_t weights, int wbits, WeightQuantizer q) {
  const int64_t indices = weights * wbits;
  return q == WeightQuantizer::kKMeans ? indices + codebook_bits(wbits) : indices;
}

}  // namespace haqsim
