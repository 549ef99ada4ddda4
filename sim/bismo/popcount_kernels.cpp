#include "sim/bismo/popcount_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_epi32(), which -Wmaybe-uninitialized
// reports wherever they are inlined (GCC bug 105593); nothing here reads an undefined value.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace haqsim::bismo {

namespace {

inline uint32_t accumulate(uint32_t acc, uint64_t count, int shift, bool negate) {
  const uint32_t term = uint32_t(count) << shift;
  return negate ? acc - term : acc + term;
}

// Limb by limb, each limb's counts added to every column's accumulator at once: shifting and
// negating each term instead of the sum gives the same value modulo 2^32.
void and_popcount_row_scalar(const uint64_t* a, const uint64_t* b, int cols, int64_t span,
                             int shift, bool negate, uint32_t* acc) {
  for (int64_t i = 0; i < span; ++i) {
    if (a[i] == 0) continue;
    const uint64_t* bi = b + i * cols;
    for (int c = 0; c < cols; ++c) {
      acc[c] = accumulate(acc[c], uint64_t(__builtin_popcountll(a[i] & bi[c])), shift, negate);
    }
  }
}

// AndPopcountInterleavedFn from a one-row kernel, row after row.
using AndPopcountRowFn = void (*)(const uint64_t* a, const uint64_t* b, int cols, int64_t span,
                                  int shift, bool negate, uint32_t* acc);
template <AndPopcountRowFn Row>
void row_by_row(const uint64_t* a, int64_t a_stride, int rows, const uint64_t* b, int cols,
                int64_t span, int shift, bool negate, uint32_t* acc) {
  for (int r = 0; r < rows; ++r)
    Row(a + r * a_stride, b, cols, span, shift, negate, acc + r * cols);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#define HAQSIM_TARGET_AVX2 __attribute__((target("avx2")))
#define HAQSIM_TARGET_AVX512BW __attribute__((target("avx512f,avx512bw")))
#define HAQSIM_TARGET_VPOPCNTDQ __attribute__((target("avx512f,avx512bw,avx512vpopcntdq")))

// popcount of each 64-bit lane, AVX-512BW without VPOPCNTDQ: nibble table, then byte sums.
HAQSIM_TARGET_AVX512BW inline __m512i popcount_epi64_bw(__m512i x) {
  const __m512i table =
      _mm512_broadcast_i32x4(_mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4));
  const __m512i nibble = _mm512_set1_epi8(0x0f);
  const __m512i lo = _mm512_and_si512(x, nibble);
  const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), nibble);
  const __m512i bytes =
      _mm512_add_epi8(_mm512_shuffle_epi8(table, lo), _mm512_shuffle_epi8(table, hi));
  return _mm512_sad_epu8(bytes, _mm512_setzero_si512());
}

HAQSIM_TARGET_VPOPCNTDQ inline __m512i popcount_epi64_vpopcntdq(__m512i x) {
  return _mm512_popcnt_epi64(x);
}

// Counts of up to 16 columns (two groups of eight 64-bit lanes) shifted and added to a row's
// accumulators, with 256-bit adds where all eight columns of a group are real.
#define HAQSIM_AVX512_STORE_COUNTS(NAME, TARGET)                                                   \
  TARGET inline void NAME(__m512i s0, __m512i s1, int n, int shift, bool negate, uint32_t* dst) {  \
    const __m128i count_shift = _mm_cvtsi32_si128(shift);                                          \
    const __m512i groups[2] = {s0, s1};                                                            \
    for (int g = 0; g * 8 < n; ++g) {                                                              \
      const __m256i terms = _mm256_sll_epi32(_mm512_cvtepi64_epi32(groups[g]), count_shift);       \
      uint32_t* d = dst + g * 8;                                                                   \
      if (n - g * 8 >= 8) {                                                                        \
        __m256i* row = reinterpret_cast<__m256i*>(d);                                              \
        const __m256i old = _mm256_loadu_si256(row);                                               \
        _mm256_storeu_si256(row,                                                                   \
                            negate ? _mm256_sub_epi32(old, terms) : _mm256_add_epi32(old, terms)); \
      } else {                                                                                     \
        alignas(32) uint32_t t[8];                                                                 \
        _mm256_store_si256(reinterpret_cast<__m256i*>(t), terms);                                  \
        for (int j = 0; j < n - g * 8; ++j) d[j] = negate ? d[j] - t[j] : d[j] + t[j];             \
      }                                                                                            \
    }                                                                                              \
  }

// Sixteen columns per pass (two vectors of eight), four rows per block: each limb of the columns
// is loaded once for the block and ANDed with each row's broadcast limb (eight accumulators). A
// limb that is zero in all four rows (K padding; a block-diagonal depthwise row's other
// channels, which neighbouring rows share) is skipped without reading the columns. Rows past
// the last full block go one at a time.
#define HAQSIM_AVX512_INTERLEAVED_KERNEL(NAME, TARGET, POPCOUNT, STORE)                           \
  TARGET void NAME##_row(const uint64_t* a, const uint64_t* b, int cols, int64_t span, int shift, \
                         bool negate, uint32_t* acc) {                                            \
    for (int c0 = 0; c0 < cols; c0 += 16) {                                                       \
      const int n = cols - c0 < 16 ? cols - c0 : 16;                                              \
      const __mmask8 m0 = n >= 8 ? __mmask8(0xff) : __mmask8((1u << n) - 1);                      \
      const __mmask8 m1 = n >= 16 ? __mmask8(0xff) : n > 8 ? __mmask8((1u << (n - 8)) - 1) : 0;   \
      __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();                           \
      for (int64_t i = 0; i < span; ++i) {                                                        \
        if (a[i] == 0) continue;                                                                  \
        const __m512i va = _mm512_set1_epi64(static_cast<long long>(a[i]));                       \
        const uint64_t* bi = b + i * cols + c0;                                                   \
        s0 = _mm512_add_epi64(s0,                                                                 \
                              POPCOUNT(_mm512_and_si512(va, _mm512_maskz_loadu_epi64(m0, bi))));  \
        if (m1) {                                                                                 \
          s1 = _mm512_add_epi64(                                                                  \
              s1, POPCOUNT(_mm512_and_si512(va, _mm512_maskz_loadu_epi64(m1, bi + 8))));          \
        }                                                                                         \
      }                                                                                           \
      STORE(s0, s1, n, shift, negate, acc + c0);                                                  \
    }                                                                                             \
  }                                                                                               \
  TARGET void NAME(const uint64_t* a, int64_t a_stride, int rows, const uint64_t* b, int cols,    \
                   int64_t span, int shift, bool negate, uint32_t* acc) {                         \
    int r0 = 0;                                                                                   \
    for (; r0 + 4 <= rows; r0 += 4) {                                                             \
      const uint64_t* a0 = a + r0 * a_stride;                                                     \
      const uint64_t* a1 = a0 + a_stride;                                                         \
      const uint64_t* a2 = a1 + a_stride;                                                         \
      const uint64_t* a3 = a2 + a_stride;                                                         \
      for (int c0 = 0; c0 < cols; c0 += 16) {                                                     \
        const int n = cols - c0 < 16 ? cols - c0 : 16;                                            \
        const __mmask8 m0 = n >= 8 ? __mmask8(0xff) : __mmask8((1u << n) - 1);                    \
        const __mmask8 m1 = n >= 16 ? __mmask8(0xff) : n > 8 ? __mmask8((1u << (n - 8)) - 1) : 0; \
        __m512i s00 = _mm512_setzero_si512(), s10 = s00, s20 = s00, s30 = s00;                    \
        __m512i s01 = s00, s11 = s00, s21 = s00, s31 = s00;                                       \
        for (int64_t i = 0; i < span; ++i) {                                                      \
          const uint64_t l0 = a0[i], l1 = a1[i], l2 = a2[i], l3 = a3[i];                          \
          if ((l0 | l1 | l2 | l3) == 0) continue;                                                 \
          const __m512i v0 = _mm512_set1_epi64(static_cast<long long>(l0));                       \
          const __m512i v1 = _mm512_set1_epi64(static_cast<long long>(l1));                       \
          const __m512i v2 = _mm512_set1_epi64(static_cast<long long>(l2));                       \
          const __m512i v3 = _mm512_set1_epi64(static_cast<long long>(l3));                       \
          const uint64_t* bi = b + i * cols + c0;                                                 \
          const __m512i c_lo = _mm512_maskz_loadu_epi64(m0, bi);                                  \
          s00 = _mm512_add_epi64(s00, POPCOUNT(_mm512_and_si512(v0, c_lo)));                      \
          s10 = _mm512_add_epi64(s10, POPCOUNT(_mm512_and_si512(v1, c_lo)));                      \
          s20 = _mm512_add_epi64(s20, POPCOUNT(_mm512_and_si512(v2, c_lo)));                      \
          s30 = _mm512_add_epi64(s30, POPCOUNT(_mm512_and_si512(v3, c_lo)));                      \
          if (m1) {                                                                               \
            const __m512i c_hi = _mm512_maskz_loadu_epi64(m1, bi + 8);                            \
            s01 = _mm512_add_epi64(s01, POPCOUNT(_mm512_and_si512(v0, c_hi)));                    \
            s11 = _mm512_add_epi64(s11, POPCOUNT(_mm512_and_si512(v1, c_hi)));                    \
            s21 = _mm512_add_epi64(s21, POPCOUNT(_mm512_and_si512(v2, c_hi)));                    \
            s31 = _mm512_add_epi64(s31, POPCOUNT(_mm512_and_si512(v3, c_hi)));                    \
          }                                                                                       \
        }                                                                                         \
        uint32_t* dst = acc + r0 * cols + c0;                                                     \
        STORE(s00, s01, n, shift, negate, dst);                                                   \
        STORE(s10, s11, n, shift, negate, dst + cols);                                            \
        STORE(s20, s21, n, shift, negate, dst + 2 * cols);                                        \
        STORE(s30, s31, n, shift, negate, dst + 3 * cols);                                        \
      }                                                                                           \
    }                                                                                             \
    row_by_row<NAME##_row>(a + r0 * a_stride, a_stride, rows - r0, b, cols, span, shift, negate,  \
                           acc + r0 * cols);                                                      \
  }

HAQSIM_AVX512_STORE_COUNTS(store_counts_vpopcntdq, HAQSIM_TARGET_VPOPCNTDQ)
HAQSIM_AVX512_STORE_COUNTS(store_counts_avx512bw, HAQSIM_TARGET_AVX512BW)

HAQSIM_AVX512_INTERLEAVED_KERNEL(and_popcount_interleaved_vpopcntdq, HAQSIM_TARGET_VPOPCNTDQ,
                                 popcount_epi64_vpopcntdq, store_counts_vpopcntdq)
HAQSIM_AVX512_INTERLEAVED_KERNEL(and_popcount_interleaved_avx512bw, HAQSIM_TARGET_AVX512BW,
                                 popcount_epi64_bw, store_counts_avx512bw)

HAQSIM_TARGET_AVX2 inline __m256i popcount_epi64_avx2(__m256i x) {
  const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2,
                                         1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(x, nibble);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
  const __m256i bytes =
      _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
  return _mm256_sad_epu8(bytes, _mm256_setzero_si256());
}

// Four columns per vector, two vectors per pass; a ragged last group goes column by column.
HAQSIM_TARGET_AVX2 void and_popcount_row_avx2(const uint64_t* a, const uint64_t* b, int cols,
                                              int64_t span, int shift, bool negate, uint32_t* acc) {
  int c0 = 0;
  for (; c0 + 8 <= cols; c0 += 8) {
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    for (int64_t i = 0; i < span; ++i) {
      if (a[i] == 0) continue;
      const __m256i va = _mm256_set1_epi64x(static_cast<long long>(a[i]));
      const __m256i* bi = reinterpret_cast<const __m256i*>(b + i * cols + c0);
      s0 = _mm256_add_epi64(s0, popcount_epi64_avx2(_mm256_and_si256(va, _mm256_loadu_si256(bi))));
      s1 = _mm256_add_epi64(s1,
                            popcount_epi64_avx2(_mm256_and_si256(va, _mm256_loadu_si256(bi + 1))));
    }
    alignas(32) uint64_t counts[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(counts), s0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(counts + 4), s1);
    for (int j = 0; j < 8; ++j) acc[c0 + j] = accumulate(acc[c0 + j], counts[j], shift, negate);
  }
  for (int c = c0; c < cols; ++c) {
    uint64_t count = 0;
    for (int64_t i = 0; i < span; ++i) {
      if (a[i] != 0) count += uint64_t(__builtin_popcountll(a[i] & b[i * cols + c]));
    }
    acc[c] = accumulate(acc[c], count, shift, negate);
  }
}

#endif  // x86-64

}  // namespace

AndPopcountInterleavedFn and_popcount_interleaved_kernel(SimdLevel level) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  switch (level) {
    case SimdLevel::kAvx512Vpopcntdq:
      return and_popcount_interleaved_vpopcntdq;
    case SimdLevel::kAvx512bw:
      return and_popcount_interleaved_avx512bw;
    case SimdLevel::kAvx2:
      return row_by_row<and_popcount_row_avx2>;
    case SimdLevel::kScalar:
      break;
  }
#else
  (void)level;
#endif
  return row_by_row<and_popcount_row_scalar>;
}

}  // namespace haqsim::bismo
