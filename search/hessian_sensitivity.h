// HAWQ-V3's sensitivity (Yao et al., ICML 2021; Dong et al., HAWQ-V2): the loss increase a layer's
// quantization causes, predicted to second order as
//
//   Omega_l(b) = 1/2 * mean diag(H_l) * ||Q_b(x_l) - x_l||^2
//
// for x_l the layer's (BatchNorm-folded) weights, and likewise for its input activations, with
// mean diag(H_l) = Tr(H_l) / n_l the average curvature of the training loss along that tensor.
// Traces come from Hutchinson's estimator, Tr(H) = E[v^T H v] over Rademacher vectors v, with the
// Hessian-vector products H v from libtorch's double backward (no Hessian is ever formed), one
// tensor per product (hessian_sensitivity.cpp says why). Q_b is the integer path's own quantizer
// (models/training/quant_aware.h): per-channel symmetric weights with the layer's clip, and the
// calibrated activation quantizers at b bits.
//
// The unit is nats of cross-entropy, the same for weights and activations, so the ILP can add
// them. It is a model, not a measurement: cheap (one pass over a few hundred training images,
// no accuracy evaluation), smooth in b, additive by construction; the measured drop of
// ilp_search.h is the other option.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/quant/quantization_context.h"
#include "search/ilp_search.h"

namespace haqsim::search {

struct HessianOptions {
  int images = 256;         // training images the curvature is averaged over
  int batch_size = 64;      // images per double-backward pass
  int samples = 1;          // Hutchinson vectors per batch and tensor (2 x L products each)
  std::vector<int> layers;  // quantizable layers to probe (empty: all; others get trace 0)
  bool progress = false;    // a progress line per batch on stderr
  std::string cache_dir;    // where a search keeps traces (cached_hessian_traces); not in the key
  uint64_t seed = 1;
};

struct HessianTraces {
  // Per quantizable layer: Tr(H) / n of the loss along its folded weights and its input.
  std::vector<double> weight, activation;
  // Per quantizable layer and bits 1..8: ||Q_b(x) - x||^2 (activations: summed over the images,
  // divided by the batches, matching the per-batch mean loss).
  std::vector<std::array<double, 8>> weight_error, activation_error;
};

HessianTraces hessian_traces(const QuantizationContext& ctx, const HessianOptions& options);

// The same, kept in `cache_dir` (empty: not cached) as hessian-<key>.traces, keyed by the
// weights, the calibration, the training images used and the options: a model's traces are the
// same for every budget and every accelerator, and cost minutes of double backward.
HessianTraces cached_hessian_traces(const QuantizationContext& ctx, const HessianOptions& options,
                                    const std::string& cache_dir);

// Omega for every layer and bit width 1..8, from the traces.
BitSensitivity hessian_sensitivity(const HessianTraces& traces);

}  // namespace haqsim::search
