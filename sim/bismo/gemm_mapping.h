// How one layer becomes BISMO work: which GEMMs the host lowers it to (im2col, grouping,
// depthwise mapping) and how those GEMMs are tiled over the Dm x Dn array and the LHS/RHS
// buffers. Shared by the analytic model and the SystemC model's instruction generation, so both
// execute the same plan and differ only in how they time it.
//
// Operands: LHS = weights (M rows = output channels), RHS = lowered activations (N columns =
// output pixels x batch), K = reduction. Both are stored as bit planes, each row/column padded
// to whole Dk-bit words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/workload.h"
#include "sim/bismo/bismo_config.h"

namespace haqsim {

struct BismoGemm {
  int64_t count = 1;  // independent GEMMs of this shape (groups, or depthwise channel tiles)
  int64_t m = 0, k = 0, n = 0;
};

enum class BismoMappingKind { kGemm, kGrouped, kPerChannel, kBlockDiagonal, kWeightPlanes };

struct BismoLayerMapping {
  BismoMappingKind kind = BismoMappingKind::kGemm;
  std::string name;  // "gemm", "grouped", "dw:per_channel", "dw:block_diagonal", "dw:weight_planes"
  BismoGemm gemm;
  int lhs_bits = 8;        // bit planes of the LHS operand as the array streams it
  bool lhs_signed = true;  // false for weight planes: a row holds one plane's bits (0 or 1)
  int64_t channels_per_instance = 1;  // depthwise: channels sharing one GEMM instance
  int weight_planes = 1;              // dw:weight_planes: rows per channel (its weight bits)
  // Fraction of the K x M x N array positions holding real (non-zero-padding) operand pairs.
  double mapping_utilization = 0;
};

// Depthwise, per_channel: each channel is a GEMM with M = 1, K = kh*kw: one DPU row of Dm busy.
// Depthwise, block_diagonal: Dm channels share one GEMM with K = Dm*kh*kw. Row i holds channel
// i's taps in K slice [i*kh*kw, (i+1)*kh*kw) and zeros elsewhere; each RHS column holds the
// patches of all Dm channels at one output pixel. Every row is busy and the zero weights make
// the cross-channel terms vanish, so the result is exact.
// Depthwise, weight_planes (DESIGN.md section 2's remedy for the idle rows): a channel's w weight
// bit planes go on w separate rows as 1-bit unsigned operands, so the array streams the
// activation planes only (one run per activation bit, not per bit pair) and the host adds the
// rows back with their weights 2^i (-2^(w-1) for the sign plane). floor(Dm / w) channels share a
// GEMM block-diagonally as above. The same array work as block_diagonal when w divides Dm, but
// each RHS word carries w times fewer channels: the mapper weighs that (gemm_mapping's choose).
// Non-depthwise layers have one mapping: gemm (grouped: one GEMM per group).
BismoLayerMapping map_layer_to_bismo(const LayerWorkload& layer, const BismoConfig& config,
                                     BismoMappingKind kind, int wbits);

// The mappings a layer can run with: every depthwise mapping for a depthwise layer (the configured
// one unless it is auto), otherwise its one GEMM mapping.
std::vector<BismoMappingKind> candidate_mappings(const LayerWorkload& layer,
                                                 const BismoConfig& config);

struct BismoTilePlan {
  int64_t k_words = 0;   // Dk-bit words per row or column per bit plane (K padded to Dk)
  int64_t m_tiles = 0;   // ceil(M / Dm)
  int64_t n_tiles = 0;   // ceil(N / Dn)
  bool k_split = false;  // a whole-K tile does not fit half a buffer: K streamed in chunks
  int64_t k_chunk_words = 0;
  int64_t m_tiles_per_block = 1;  // m-tiles resident per LHS buffer region
  int64_t n_tiles_per_block = 1;  // n-tiles resident per RHS buffer region
  bool weights_outer = true;      // loop order: weight blocks outer (activations re-fetched)
  int64_t lhs_fetch_bytes = 0;    // per GEMM instance
  int64_t rhs_fetch_bytes = 0;
  int64_t result_bytes = 0;           // 32-bit accumulators written back
  int64_t execute_instructions = 0;   // per GEMM instance: one per (tile pair, bit pair, K chunk)
  int64_t execute_stream_cycles = 0;  // per GEMM instance: Dk-word cycles streamed
  int64_t steps = 0;                 // per GEMM instance: fetch/execute hand-overs (one token each)
  int64_t first_step_lhs_bytes = 0;  // fetched before the first execute can start
  int64_t first_step_rhs_bytes = 0;
};

// Chooses blocking and loop order minimizing DRAM traffic for one GEMM whose LHS has `lhs_bits`
// planes and RHS `abits` planes.
BismoTilePlan plan_bismo_tiles(const BismoGemm& gemm, const BismoConfig& config, int lhs_bits,
                               int abits);

std::string describe(const BismoTilePlan& plan);

}  // namespace haqsim
