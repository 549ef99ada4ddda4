#include "sim/bismo/bit_planes.h"

#include <cstring>

#if defined(__AVX512BW__)
#include <immintrin.h>
#endif

namespace haqsim::bismo {

namespace {

// 64 values (as their low 8 bits) -> one 64-bit mask per plane.
void planes_of_chunk(const uint8_t* bytes, int bits, uint64_t* masks) {
#if defined(__AVX512BW__)
  const __m512i v = _mm512_loadu_si512(bytes);
  for (int p = 0; p < bits; ++p) {
    masks[p] = _mm512_test_epi8_mask(v, _mm512_set1_epi8(char(1 << p)));
  }
#else
  for (int p = 0; p < bits; ++p) {
    uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= uint64_t((bytes[i] >> p) & 1u) << i;
    masks[p] = m;
  }
#endif
}

}  // namespace

void pack_planes(const int32_t* values, int64_t k, int bits, int64_t plane_bytes, uint8_t* out) {
  uint8_t chunk[64];
  uint64_t masks[8];
  for (int64_t base = 0; base < k; base += 64) {
    const int64_t n = k - base < 64 ? k - base : 64;
    for (int64_t i = 0; i < n; ++i) chunk[i] = uint8_t(values[base + i]);  // two's complement
    for (int64_t i = n; i < 64; ++i) chunk[i] = 0;
    planes_of_chunk(chunk, bits, masks);
    const int64_t byte = base / 8;
    const int64_t len = plane_bytes - byte < 8 ? plane_bytes - byte : 8;
    for (int p = 0; p < bits; ++p)
      std::memcpy(out + p * plane_bytes + byte, &masks[p], size_t(len));
  }
}

}  // namespace haqsim::bismo
