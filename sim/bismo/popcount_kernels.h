// The behavioural DPU array's inner loop, one kernel per SIMD level (base/cpu_features.h):
// for one LHS row and `cols` RHS columns, the popcount of AND over `span` 64-bit limbs, shifted
// and added to (or subtracted from) the row's 32-bit accumulators.
//
// A BISMO execute instruction streams few words (a pointwise layer's 512 channels are two
// 256-bit words per plane; with K <= 256 one word, of which K padding often fills most), so a
// loop over one (row, column) pair's limbs leaves most of a vector empty and ends in a
// horizontal sum. These kernels take the columns interleaved instead (the RHS buffer keeps that
// layout, dpu_array_core.h): limb i of column c at b[i * cols + c], so one vector holds limb i
// of eight (four on AVX2) columns, one broadcast limb of `a` is ANDed with all of them, each
// lane is its column's count -- no horizontal sums -- and a zero limb of `a` (K padding, a
// block-diagonal row's other channels' slices) is skipped without reading its columns' limbs.
#pragma once

#include <cstdint>

#include "base/cpu_features.h"

namespace haqsim::bismo {

// For r < rows and c < cols, with count = sum over i < span of
// popcount(a[r * a_stride + i] & b[i * cols + c]): acc[r * cols + c] += count << shift, or -=
// when `negate`, in 32-bit two's complement (wrapping like the hardware's accumulator register).
// All rows of the array at once, so that the AVX-512 kernels load each limb of the columns once
// for a block of rows instead of once per row (a pointwise layer's runs are a few limbs long, and
// per-row calls spent more on set-up and column loads than on popcounts).
using AndPopcountInterleavedFn = void (*)(const uint64_t* a, int64_t a_stride, int rows,
                                          const uint64_t* b, int cols, int64_t span, int shift,
                                          bool negate, uint32_t* acc);

// The kernel for `level`; the level must be one the CPU supports.
AndPopcountInterleavedFn and_popcount_interleaved_kernel(SimdLevel level);

}  // namespace haqsim::bismo
