// Host-side lowering of one layer job to BISMO: the mapping and tile plan shared with the
// analytic model (gemm_mapping.h), the DRAM address map of the bit-plane-packed operands and
// the results, and the fetch / execute / result instruction streams that compute every GEMM of
// the layer tile by tile, bit pair by bit pair.
//
// The streams are produced step by step (a step: the tiles whose operands are resident
// together, bismo_timing.h), each stage asking for the next step's instructions when it gets
// there: a batch-16 layer's whole programs are millions of instructions (hundreds of MB), one
// step's are a few thousand. Concatenated over the steps they are the layer's programs.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/bismo/bismo_timing.h"
#include "sim/bismo/gemm_mapping.h"
#include "sim/bismo/instructions.h"
#include "sim/common/layer_job.h"

namespace haqsim::bismo {

// Where the layer lives in the accelerator's DRAM: per instance, LHS rows [plane][word] from
// byte 0, then RHS columns [plane][word] from rhs_base, then every instance's M x N int32
// results from result_base (row-major per instance).
struct LayerDramLayout {
  int64_t word_bytes = 0;     // one Dk-bit word
  int64_t plane_bytes = 0;    // one bit plane of a row or column (K padded to whole words)
  int64_t lhs_row_bytes = 0;  // lhs_bits planes
  int64_t rhs_col_bytes = 0;  // abits planes
  int64_t rhs_base = 0;
  int64_t result_base = 0;
  int64_t end = 0;
};

class LayerLowering {
 public:
  // With the mapping bismo_timing.h's choose_mapping() picks.
  LayerLowering(const LayerJob& job, const ArchConfig& config);

  const BismoLayerMapping& mapping() const { return mapping_; }
  const BismoTilePlan& plan() const { return plan_; }
  const LayerDramLayout& layout() const { return layout_; }
  int64_t step_count() const { return int64_t(steps_.size()); }
  int64_t output_tiles() const { return output_tiles_; }
  // Tokens each channel carries over the whole programs (every send is matched by a receive).
  int64_t sends(Channel channel) const;

  // Step `si`'s part of each stage's program, appended to `out`.
  void append_fetch(int64_t si, std::vector<FetchInstruction>& out) const;
  void append_execute(int64_t si, std::vector<ExecuteInstruction>& out) const;
  void append_result(int64_t si, std::vector<ResultInstruction>& out) const;

 private:
  // The result-buffer write of tile (mt, nt) of step s's instance.
  ResultRun result_run(const Step& s, int64_t mt, int64_t nt, int64_t tile) const;

  const BismoConfig& cfg_;
  BismoLayerMapping mapping_;
  BismoTilePlan plan_;
  LayerDramLayout layout_;
  int abits_ = 8;
  bool a_signed_ = false;
  std::vector<Step> steps_;
  std::vector<int64_t> first_tile_;  // per step: result tiles written by the steps before it
  int64_t output_tiles_ = 0;
};

}  // namespace haqsim::bismo
