#include "sim/bismo/bit_planes.h"

#include <cstring>

#include "base/cpu_features.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace haqsim::bismo {

namespace {

// 64 values (as their low 8 bits) -> one 64-bit mask per plane.
using PlanesOfChunkFn = void (*)(const uint8_t* bytes, int bits, uint64_t* masks);

void planes_of_chunk_scalar(const uint8_t* bytes, int bits, uint64_t* masks) {
  for (int p = 0; p < bits; ++p) {
    uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= uint64_t((bytes[i] >> p) & 1u) << i;
    masks[p] = m;
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

__attribute__((target("avx512f,avx512bw"))) void planes_of_chunk_avx512bw(const uint8_t* bytes,
                                                                          int bits,
                                                                          uint64_t* masks) {
  const __m512i v = _mm512_loadu_si512(bytes);
  for (int p = 0; p < bits; ++p) {
    masks[p] = _mm512_test_epi8_mask(v, _mm512_set1_epi8(char(1 << p)));
  }
}

// movemask collects each byte's top bit; shifting left by 7 - p brings bit p there (16-bit
// shifts leak bits across the byte boundary, but only into bits below the top one).
__attribute__((target("avx2"))) void planes_of_chunk_avx2(const uint8_t* bytes, int bits,
                                                          uint64_t* masks) {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + 32));
  for (int p = 0; p < bits; ++p) {
    const __m128i shift = _mm_cvtsi32_si128(7 - p);
    const uint32_t mlo = uint32_t(_mm256_movemask_epi8(_mm256_sll_epi16(lo, shift)));
    const uint32_t mhi = uint32_t(_mm256_movemask_epi8(_mm256_sll_epi16(hi, shift)));
    masks[p] = uint64_t(mlo) | uint64_t(mhi) << 32;
  }
}

#endif

PlanesOfChunkFn planes_of_chunk_kernel(SimdLevel level) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (level >= SimdLevel::kAvx512bw) return planes_of_chunk_avx512bw;
  if (level >= SimdLevel::kAvx2) return planes_of_chunk_avx2;
#else
  (void)level;
#endif
  return planes_of_chunk_scalar;
}

}  // namespace

void pack_planes(const int32_t* values, int64_t k, int bits, int64_t plane_bytes, uint8_t* out) {
  pack_planes(values, k, bits, plane_bytes, out, active_simd_level());
}

void pack_planes(const int32_t* values, int64_t k, int bits, int64_t plane_bytes, uint8_t* out,
                 SimdLevel level) {
  const PlanesOfChunkFn planes_of_chunk = planes_of_chunk_kernel(level);
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
