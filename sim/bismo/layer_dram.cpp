#include "sim/bismo/layer_dram.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "sim/bismo/bit_planes.h"

namespace haqsim::bismo {

LayerDram::LayerDram(const LayerJob& job, const LayerLowering& lowering)
    : job_(job),
      lowering_(lowering),
      operands_(job, lowering.mapping()),
      accumulators_(size_t(job.layer.output_elements()), 0) {
  const BismoGemm& g = lowering.mapping().gemm;
  const LayerDramLayout& d = lowering.layout();
  values_.resize(size_t(g.k));
  lhs_.assign(size_t(d.rhs_base), 0);
  for (int64_t row = 0; row < g.count * g.m; ++row) {
    operands_.weight_row(row / g.m, row % g.m, values_.data());
    pack_planes(values_.data(), g.k, lowering.mapping().lhs_bits, d.plane_bytes,
                lhs_.data() + row * d.lhs_row_bytes);
  }
  rhs_column_.resize(size_t(d.rhs_col_bytes));
  column_block_.resize(size_t(kColumnBlock * g.k));
}

const uint8_t* LayerDram::read(int64_t dram_byte, int64_t bytes) {
  const LayerDramLayout& d = lowering_.layout();
  if (dram_byte < 0 || dram_byte + bytes > d.result_base) {
    throw std::logic_error("BISMO fetch reads outside the operand regions");
  }
  if (dram_byte < d.rhs_base) return lhs_.data() + dram_byte;
  const int64_t offset = dram_byte - d.rhs_base;
  const int64_t column = offset / d.rhs_col_bytes;  // instance * N + n
  if (column != rhs_column_index_) {
    const BismoGemm& g = lowering_.mapping().gemm;
    if (column < block_first_ || column >= block_first_ + block_count_) {
      // The block runs from this column to at most the end of its instance's N columns.
      block_first_ = column;
      block_count_ = std::min(kColumnBlock, g.n - column % g.n);
      operands_.input_columns(column / g.n, column % g.n, block_count_, column_block_.data());
    }
    std::fill(rhs_column_.begin(), rhs_column_.end(), uint8_t(0));
    pack_planes(column_block_.data() + (column - block_first_) * g.k, g.k, job_.bits.abits,
                d.plane_bytes, rhs_column_.data());
    rhs_column_index_ = column;
  }
  return rhs_column_.data() + (offset - column * d.rhs_col_bytes);
}

void LayerDram::write_results(int64_t dram_byte, const int32_t* values, int count) {
  const LayerDramLayout& d = lowering_.layout();
  const BismoLayerMapping& mapping = lowering_.mapping();
  const BismoGemm& g = mapping.gemm;
  const int64_t offset = dram_byte - d.result_base;
  if (offset < 0 || dram_byte + int64_t(count) * 4 > d.end) {
    throw std::logic_error("BISMO result write outside the result region");
  }
  const int64_t row = offset / (g.n * 4);  // instance * M + m
  const int64_t n0 = (offset - row * g.n * 4) / 4;
  const int64_t gi = row / g.m, m = row % g.m;
  const int64_t oc = operands_.row_channel(gi, m);
  if (oc < 0) return;  // a padding row of a depthwise mapping
  // dw:weight_planes: the host adds the channel's plane rows, weighted 2^i (the sign plane
  // -2^(w-1)); 32-bit wraparound like the accumulators. Every result is written once, and
  // wrapping addition does not care in which order the planes arrive.
  const int planes = mapping.weight_planes;
  const int plane = mapping.kind == BismoMappingKind::kWeightPlanes ? int(m % planes) : -1;
  const uint32_t weight = plane < 0             ? 1u
                          : plane == planes - 1 ? uint32_t(0) - (uint32_t(1) << plane)
                                                : uint32_t(1) << plane;
  const LayerWorkload& l = job_.layer;
  const int64_t pixels = int64_t(l.out_height) * l.out_width;
  int64_t b = n0 / pixels, pixel = n0 % pixels;  // stepped, not divided, per value
  for (int i = 0; i < count; ++i) {
    int32_t& dst = accumulators_[size_t((b * l.out_channels + oc) * pixels + pixel)];
    dst = int32_t(uint32_t(dst) + uint32_t(values[i]) * weight);
    if (++pixel == pixels) {
      pixel = 0;
      ++b;
    }
  }
}

}  // namespace haqsim::bismo
