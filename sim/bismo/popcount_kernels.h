// The behavioural DPU array's inner loop, one kernel per SIMD level (base/cpu_features.h):
// for one LHS row and `cols` RHS columns, the popcount of AND over `span` 64-bit limbs, shifted
// and added to (or subtracted from) the row's 32-bit accumulators.
//
// A BISMO execute instruction streams few words (a pointwise layer's 512 channels are two
// 256-bit words per plane), so a per-(row, column) loop spends its time on horizontal sums and
// loop overhead rather than popcounts. The vector kernels instead keep one accumulator per
// column for eight (four on AVX2) columns at once and reduce them together with a transpose.
#pragma once

#include <cstdint>

#include "base/cpu_features.h"

namespace haqsim::bismo {

// For c < cols, with count = sum over i < span of popcount(a[i] & b[c * col_stride + i]):
// acc[c] += count << shift, or -= when `negate`, in 32-bit two's complement (wrapping like the
// hardware's accumulator register).
using AndPopcountRowFn = void (*)(const uint64_t* a, const uint64_t* b, int64_t col_stride,
                                  int cols, int64_t span, int shift, bool negate, uint32_t* acc);

// The kernel for `level`; the level must be one the CPU supports.
AndPopcountRowFn and_popcount_row_kernel(SimdLevel level);

// The same sums with the columns interleaved: limb i of column c at b[i * cols + c], so one
// vector holds limb i of eight columns and a limb of `a` is ANDed with all of them at once --
// no horizontal sums, and a zero limb of `a` (K padding, a block-diagonal row's other slices)
// is skipped, its columns' limbs never read. For c < cols, with count = sum over i < span of
// popcount(a[i] & b[i * cols + c]): acc[c] += count << shift, or -= when `negate`.
using AndPopcountInterleavedFn = void (*)(const uint64_t* a, const uint64_t* b, int cols,
                                          int64_t span, int shift, bool negate, uint32_t* acc);

AndPopcountInterleavedFn and_popcount_interleaved_kernel(SimdLevel level);

}  // namespace haqsim::bismo
