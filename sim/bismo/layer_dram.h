// The accelerator's DRAM for one layer, at the addresses of program_builder.h's layout, without
// ever holding the layer's packed image: what the host would have written there is produced
// when the machine reads it, and what the machine writes is read back at once.
// - LHS (weights, as the mapping lays them out): packed into bit planes up front; at most the
//   weights' own size.
// - RHS (im2col columns, or the depthwise mapping's): packed one column at a time when a fetch
//   reads it (a batch-16 layer's whole RHS image is tens of MB).
// - Results: each written row is undone into the layer's accumulator tensor straight away
//   (dw:weight_planes: adding the weight planes' rows weighted 2^i, the sign plane -2^(w-1), as
//   the host does), so a result image of M x N int32 never exists.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/bismo/gemm_operands.h"
#include "sim/bismo/program_builder.h"
#include "sim/common/layer_job.h"

namespace haqsim::bismo {

class LayerDram {
 public:
  // Both must outlive the LayerDram.
  LayerDram(const LayerJob& job, const LayerLowering& lowering);

  // The `bytes` bytes at `dram_byte`, which lie within one packed LHS row or RHS column. The
  // pointer is valid until the next call.
  const uint8_t* read(int64_t dram_byte, int64_t bytes);
  // Writes `count` int32 results at `dram_byte` (within one result row).
  void write_results(int64_t dram_byte, const int32_t* values, int count);

  // The layer's accumulators (batch x out_channels x out_h x out_w), as the host reads them back
  // from the result region; moved out.
  std::vector<int32_t> take_accumulators() { return std::move(accumulators_); }

 private:
  const LayerJob& job_;
  const LayerLowering& lowering_;
  const GemmOperands operands_;
  std::vector<uint8_t> lhs_;         // every LHS row of every instance, packed
  std::vector<uint8_t> rhs_column_;  // the last RHS column read, packed
  int64_t rhs_column_index_ = -1;    // its instance * N + column
  std::vector<int32_t> values_;      // one LHS row's K values, before packing
  // RHS columns are produced a block at a time (GemmOperands::input_columns) and packed one at a
  // time as the fetch stage reads them: memory of a block, not of the layer.
  static constexpr int64_t kColumnBlock = 32;
  std::vector<int32_t> column_block_;  // kColumnBlock columns' K values
  int64_t block_first_ = -1;           // instance * N + column of its first column
  int64_t block_count_ = 0;
  std::vector<int32_t> accumulators_;
};

}  // namespace haqsim::bismo
