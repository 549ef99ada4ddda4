// One layer's worth of real work for an accelerator model: the lowered workload, the precision
// pair, and the integer operands as the quantized network holds them. The model returns the raw
// int32 accumulators (no bias, no requantization: the host does that) and its statistics.
#pragma once

#include <cstdint>
#include <vector>

#include "models/policy.h"
#include "models/workload.h"
#include "sim/common/layer_stats.h"

namespace haqsim {

struct LayerJob {
  LayerWorkload layer;
  LayerBits bits;
  // [out_channels][in_channels / groups][kernel_h][kernel_w], signed values in wbits
  std::vector<int32_t> weights;
  // [batch][in_channels][in_height][in_width], abits values, signed iff layer.input_signed
  std::vector<int32_t> input;
};

struct LayerJobResult {
  std::vector<int32_t> accumulators;  // [batch][out_channels][out_height][out_width]
  LayerStats stats;
};

// Seeded random operands spanning each precision's full range, for shapes without weights.
LayerJob make_synthetic_job(const LayerWorkload& layer, LayerBits bits, uint64_t seed);

// A plain convolution of its own (sim/common/reference_convolution.cpp), summing modulo 2^32 like
// a 32-bit accumulator: the independent reference the accelerator models are checked against.
std::vector<int32_t> reference_accumulators(const LayerJob& job);

}  // namespace haqsim
