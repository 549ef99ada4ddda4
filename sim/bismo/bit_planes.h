// Host-side bit-plane packing. A row of k b-bit two's-complement (or unsigned) values becomes b
// bit planes; plane p is the bit string of bit p of every value, padded with zeros to
// `plane_bytes` (whole Dk-bit words). BISMO fetches these words into its buffers and ANDs them
// in the DPUs. Byte i, bit j of a plane is element 8*i + j.
#pragma once

#include <cstdint>

#include "base/cpu_features.h"

namespace haqsim::bismo {

// Writes `bits` planes of `values[0..k)` to `out`, plane p at out + p * plane_bytes. `out` must
// be zeroed; plane_bytes >= ceil(k / 8).
void pack_planes(const int32_t* values, int64_t k, int bits, int64_t plane_bytes, uint8_t* out);
// The same with the packing kernel of `level` (one the CPU supports); for the dispatch test.
void pack_planes(const int32_t* values, int64_t k, int bits, int64_t plane_bytes, uint8_t* out,
                 SimdLevel level);

}  // namespace haqsim::bismo
