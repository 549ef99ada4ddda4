// A layer job's GEMM operands under a BISMO mapping (gemm_mapping.h), as the host lowers them:
// LHS rows (weights; for the depthwise mappings block-diagonal rows or one weight plane per row)
// and RHS columns (im2col patches; depthwise: the patches of the instance's channels at one
// output pixel), produced one row or column at a time, never as whole matrices.
#pragma once

#include <cstdint>

#include "sim/bismo/gemm_mapping.h"
#include "sim/common/layer_job.h"

namespace haqsim::bismo {

class GemmOperands {
 public:
  // Both must outlive the view.
  GemmOperands(const LayerJob& job, const BismoLayerMapping& mapping);

  // The output channel of row m of instance gi (-1 for a padding row of a depthwise mapping).
  int64_t row_channel(int64_t gi, int64_t m) const;
  // LHS row m of instance gi: K values, in the LHS's own bits.
  void weight_row(int64_t gi, int64_t m, int32_t* out) const;
  // Column n of instance gi's im2col matrix: K values.
  void input_column(int64_t gi, int64_t n, int32_t* out) const;
  // Columns n0 .. n0 + count - 1 of instance gi, K values each, column after column. A pointwise
  // layer's columns read each channel's pixels in a row (one input_column() reads one pixel of
  // every channel plane, a cache line per value).
  void input_columns(int64_t gi, int64_t n0, int64_t count, int32_t* out) const;

 private:
  int64_t channel_or_none(int64_t c) const { return c < l_.out_channels ? c : -1; }

  const LayerWorkload& l_;
  const LayerJob& job_;
  const BismoLayerMapping& mapping_;
  BismoGemm g_;
  int64_t taps_ = 1, icg_ = 1;
};

}  // namespace haqsim::bismo
