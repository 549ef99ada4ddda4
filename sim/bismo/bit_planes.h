// Host-side bit-plane packing. An integer matrix of b-bit two's-complement (or unsigned) values
// becomes b bit planes; each row of a plane is padded with zeros to whole Dk-bit words. BISMO
// fetches these words into its buffers and ANDs them in the DPUs.
#pragma once

#include <cstdint>
#include <vector>

namespace haqsim::bismo {

// Writes row `row` of a `rows` x `k` matrix (values given by `value(row, col)`) as `bits`
// planes of `k_words` words of `dk` bits, plane-major, into `out` at byte `offset`:
// out[offset + (plane * k_words + word) * dk/8 ...]. Bit `col % dk` of word `col / dk` of plane
// p is bit p of the value (two's complement for negative values).
template <typename ValueAt>
void pack_row_planes(std::vector<uint8_t>& out, int64_t offset, int64_t k, int bits, int64_t k_words,
                     int dk, ValueAt value) {
  const int64_t word_bytes = dk / 8;
  for (int64_t col = 0; col < k; ++col) {
    const uint32_t v = static_cast<uint32_t>(value(col));
    const int64_t word = col / dk, bit = col % dk;
    for (int plane = 0; plane < bits; ++plane) {
      if ((v >> plane) & 1u) {
        out[offset + (plane * k_words + word) * word_bytes + bit / 8] |= uint8_t(1u << (bit % 8));
      }
    }
  }
}

}  // namespace haqsim::bismo
