// Host-side lowering of one layer job to BISMO: im2col (or the depthwise mapping), bit-plane
// packing of both operands into a DRAM image, and the fetch / execute / result instruction
// streams that compute every GEMM of the layer tile by tile, bit pair by bit pair, following
// the tile plan shared with the analytic model (gemm_mapping.h).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/bismo/gemm_mapping.h"
#include "sim/bismo/instructions.h"
#include "sim/common/layer_job.h"

namespace haqsim::bismo {

struct LoweredLayer {
  BismoLayerMapping mapping;
  BismoTilePlan plan;
  Programs programs;
  std::vector<uint8_t> dram;  // LHS planes, RHS planes, then room for the results
  int64_t result_base = 0;    // byte offset of instance 0's M x N int32 results
  int64_t lhs_bytes = 0, rhs_bytes = 0;
  int64_t output_tiles = 0;  // (m-tile, n-tile) pairs over all instances
};

// Lowers the job with the mapping bismo_timing.h's choose_mapping() picks. The DRAM image and
// instruction streams are built in `recycled`'s memory where it is large enough: a model that
// hands back the previous layer's lowering saves the page faults of fresh allocations per layer
// (a batch-16 layer's image and programs are tens of MB, and first-touch faults cost more than
// the packing).
LoweredLayer lower_layer_job(const LayerJob& job, const ArchConfig& config,
                             LoweredLayer recycled = {});

// Reads the results from the DRAM image back into the layer's accumulator tensor
// (batch x out_channels x out_h x out_w), undoing the mapping (dw:weight_planes: adding the
// weight planes' rows, as the host does).
std::vector<int32_t> read_back_accumulators(const LoweredLayer& lowered, const LayerJob& job);

}  // namespace haqsim::bismo
