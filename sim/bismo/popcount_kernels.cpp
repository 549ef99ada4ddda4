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

void and_popcount_row_scalar(const uint64_t* a, const uint64_t* b, int64_t col_stride, int cols,
                             int64_t span, int shift, bool negate, uint32_t* acc) {
  for (int c = 0; c < cols; ++c) {
    const uint64_t* bc = b + c * col_stride;
    uint64_t count = 0;
    for (int64_t i = 0; i < span; ++i) count += uint64_t(__builtin_popcountll(a[i] & bc[i]));
    acc[c] = accumulate(acc[c], count, shift, negate);
  }
}

void and_popcount_interleaved_scalar(const uint64_t* a, const uint64_t* b, int cols, int64_t span,
                                     int shift, bool negate, uint32_t* acc) {
  for (int c = 0; c < cols; ++c) {
    uint64_t count = 0;
    for (int64_t i = 0; i < span; ++i) {
      if (a[i] != 0) count += uint64_t(__builtin_popcountll(a[i] & b[i * cols + c]));
    }
    acc[c] = accumulate(acc[c], count, shift, negate);
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#define HAQSIM_TARGET_AVX2 __attribute__((target("avx2")))
#define HAQSIM_TARGET_AVX512BW __attribute__((target("avx512f,avx512bw")))
#define HAQSIM_TARGET_VPOPCNTDQ __attribute__((target("avx512f,avx512bw,avx512vpopcntdq")))

// Eight vectors of eight 64-bit partial sums -> one vector of their eight totals, in order.
HAQSIM_TARGET_AVX512BW inline __m512i transpose_sum8(const __m512i v[8]) {
  // Within each 128-bit lane: [v0 pair sum, v1 pair sum], ...
  const __m512i a01 =
      _mm512_add_epi64(_mm512_unpacklo_epi64(v[0], v[1]), _mm512_unpackhi_epi64(v[0], v[1]));
  const __m512i a23 =
      _mm512_add_epi64(_mm512_unpacklo_epi64(v[2], v[3]), _mm512_unpackhi_epi64(v[2], v[3]));
  const __m512i a45 =
      _mm512_add_epi64(_mm512_unpacklo_epi64(v[4], v[5]), _mm512_unpackhi_epi64(v[4], v[5]));
  const __m512i a67 =
      _mm512_add_epi64(_mm512_unpacklo_epi64(v[6], v[7]), _mm512_unpackhi_epi64(v[6], v[7]));
  // Lanes (L0+L1, L2+L3) of a01, then of a23.
  const __m512i c0123 = _mm512_add_epi64(_mm512_shuffle_i64x2(a01, a23, 0x88),   // 2,0,2,0
                                         _mm512_shuffle_i64x2(a01, a23, 0xDD));  // 3,1,3,1
  const __m512i c4567 =
      _mm512_add_epi64(_mm512_shuffle_i64x2(a45, a67, 0x88), _mm512_shuffle_i64x2(a45, a67, 0xDD));
  return _mm512_add_epi64(_mm512_shuffle_i64x2(c0123, c4567, 0x88),
                          _mm512_shuffle_i64x2(c0123, c4567, 0xDD));
}

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

// The AVX-512 kernels differ only in the lane popcount; a macro keeps each one compiled for
// its own target (a template would not carry the target attribute into the instantiation).
#define HAQSIM_AVX512_ROW_KERNEL(NAME, TARGET, POPCOUNT)                                         \
  TARGET void NAME(const uint64_t* a, const uint64_t* b, int64_t col_stride, int cols,           \
                   int64_t span, int shift, bool negate, uint32_t* acc) {                        \
    int c = 0;                                                                                   \
    for (; c + 8 <= cols; c += 8) {                                                              \
      __m512i sum[8];                                                                            \
      for (int j = 0; j < 8; ++j) sum[j] = _mm512_setzero_si512();                               \
      for (int64_t i = 0; i < span; i += 8) {                                                    \
        const __mmask8 m = span - i >= 8 ? __mmask8(0xff) : __mmask8((1u << (span - i)) - 1);    \
        const __m512i va = _mm512_maskz_loadu_epi64(m, a + i);                                   \
        for (int j = 0; j < 8; ++j) {                                                            \
          const __m512i vb = _mm512_maskz_loadu_epi64(m, b + (c + j) * col_stride + i);          \
          sum[j] = _mm512_add_epi64(sum[j], POPCOUNT(_mm512_and_si512(va, vb)));                 \
        }                                                                                        \
      }                                                                                          \
      const __m256i counts = _mm512_cvtepi64_epi32(transpose_sum8(sum));                         \
      const __m256i terms = _mm256_sll_epi32(counts, _mm_cvtsi32_si128(shift));                  \
      __m256i* row = reinterpret_cast<__m256i*>(acc + c);                                        \
      const __m256i old = _mm256_loadu_si256(row);                                               \
      _mm256_storeu_si256(row,                                                                   \
                          negate ? _mm256_sub_epi32(old, terms) : _mm256_add_epi32(old, terms)); \
    }                                                                                            \
    for (; c < cols; ++c) {                                                                      \
      __m512i sum = _mm512_setzero_si512();                                                      \
      for (int64_t i = 0; i < span; i += 8) {                                                    \
        const __mmask8 m = span - i >= 8 ? __mmask8(0xff) : __mmask8((1u << (span - i)) - 1);    \
        const __m512i va = _mm512_maskz_loadu_epi64(m, a + i);                                   \
        const __m512i vb = _mm512_maskz_loadu_epi64(m, b + c * col_stride + i);                  \
        sum = _mm512_add_epi64(sum, POPCOUNT(_mm512_and_si512(va, vb)));                         \
      }                                                                                          \
      acc[c] = accumulate(acc[c], uint64_t(_mm512_reduce_add_epi64(sum)), shift, negate);        \
    }                                                                                            \
  }

HAQSIM_AVX512_ROW_KERNEL(and_popcount_row_vpopcntdq, HAQSIM_TARGET_VPOPCNTDQ,
                         popcount_epi64_vpopcntdq)
HAQSIM_AVX512_ROW_KERNEL(and_popcount_row_avx512bw, HAQSIM_TARGET_AVX512BW, popcount_epi64_bw)

// Eight columns at a time, two groups per pass so the column loop's vectors share each broadcast
// limb of `a`. Counts of a group land in acc with 256-bit adds when all eight columns are real.
#define HAQSIM_AVX512_INTERLEAVED_KERNEL(NAME, TARGET, POPCOUNT)                                 \
  TARGET void NAME(const uint64_t* a, const uint64_t* b, int cols, int64_t span, int shift,      \
                   bool negate, uint32_t* acc) {                                                 \
    for (int c0 = 0; c0 < cols; c0 += 16) {                                                      \
      const int n = cols - c0 < 16 ? cols - c0 : 16;                                             \
      const __mmask8 m0 = n >= 8 ? __mmask8(0xff) : __mmask8((1u << n) - 1);                     \
      const __mmask8 m1 = n >= 16 ? __mmask8(0xff) : n > 8 ? __mmask8((1u << (n - 8)) - 1) : 0;  \
      __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();                          \
      for (int64_t i = 0; i < span; ++i) {                                                       \
        if (a[i] == 0) continue;                                                                 \
        const __m512i va = _mm512_set1_epi64(static_cast<long long>(a[i]));                      \
        const uint64_t* bi = b + i * cols + c0;                                                  \
        s0 = _mm512_add_epi64(s0,                                                                \
                              POPCOUNT(_mm512_and_si512(va, _mm512_maskz_loadu_epi64(m0, bi)))); \
        if (m1) {                                                                                \
          s1 = _mm512_add_epi64(                                                                 \
              s1, POPCOUNT(_mm512_and_si512(va, _mm512_maskz_loadu_epi64(m1, bi + 8))));         \
        }                                                                                        \
      }                                                                                          \
      const __m128i count_shift = _mm_cvtsi32_si128(shift);                                      \
      const __m512i groups[2] = {s0, s1};                                                        \
      for (int g = 0; g * 8 < n; ++g) {                                                          \
        const __m256i terms = _mm256_sll_epi32(_mm512_cvtepi64_epi32(groups[g]), count_shift);   \
        uint32_t* dst = acc + c0 + g * 8;                                                        \
        if (n - g * 8 >= 8) {                                                                    \
          __m256i* row = reinterpret_cast<__m256i*>(dst);                                        \
          const __m256i old = _mm256_loadu_si256(row);                                           \
          _mm256_storeu_si256(                                                                   \
              row, negate ? _mm256_sub_epi32(old, terms) : _mm256_add_epi32(old, terms));        \
        } else {                                                                                 \
          alignas(32) uint32_t t[8];                                                             \
          _mm256_store_si256(reinterpret_cast<__m256i*>(t), terms);                              \
          for (int j = 0; j < n - g * 8; ++j) dst[j] = negate ? dst[j] - t[j] : dst[j] + t[j];   \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

HAQSIM_AVX512_INTERLEAVED_KERNEL(and_popcount_interleaved_vpopcntdq, HAQSIM_TARGET_VPOPCNTDQ,
                                 popcount_epi64_vpopcntdq)
HAQSIM_AVX512_INTERLEAVED_KERNEL(and_popcount_interleaved_avx512bw, HAQSIM_TARGET_AVX512BW,
                                 popcount_epi64_bw)

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

// Four vectors of four partial sums -> their four totals, in order.
HAQSIM_TARGET_AVX2 inline __m256i transpose_sum4(const __m256i v[4]) {
  const __m256i a01 =
      _mm256_add_epi64(_mm256_unpacklo_epi64(v[0], v[1]), _mm256_unpackhi_epi64(v[0], v[1]));
  const __m256i a23 =
      _mm256_add_epi64(_mm256_unpacklo_epi64(v[2], v[3]), _mm256_unpackhi_epi64(v[2], v[3]));
  return _mm256_add_epi64(_mm256_permute2x128_si256(a01, a23, 0x20),
                          _mm256_permute2x128_si256(a01, a23, 0x31));
}

// AVX2 has no masked 64-bit loads for partial vectors; the tail of a span goes limb by limb.
HAQSIM_TARGET_AVX2 void and_popcount_row_avx2(const uint64_t* a, const uint64_t* b,
                                              int64_t col_stride, int cols, int64_t span, int shift,
                                              bool negate, uint32_t* acc) {
  const int64_t whole = span & ~int64_t(3);
  int c = 0;
  for (; c + 4 <= cols; c += 4) {
    __m256i sum[4];
    for (int j = 0; j < 4; ++j) sum[j] = _mm256_setzero_si256();
    for (int64_t i = 0; i < whole; i += 4) {
      const __m256i va = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));
      for (int j = 0; j < 4; ++j) {
        const __m256i vb =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + (c + j) * col_stride + i));
        sum[j] = _mm256_add_epi64(sum[j], popcount_epi64_avx2(_mm256_and_si256(va, vb)));
      }
    }
    alignas(32) uint64_t sums[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums), transpose_sum4(sum));
    for (int j = 0; j < 4; ++j) {
      const uint64_t* bc = b + (c + j) * col_stride;
      for (int64_t i = whole; i < span; ++i)
        sums[j] += uint64_t(__builtin_popcountll(a[i] & bc[i]));
      acc[c + j] = accumulate(acc[c + j], sums[j], shift, negate);
    }
  }
  if (c < cols) {
    and_popcount_row_scalar(a, b + c * col_stride, col_stride, cols - c, span, shift, negate,
                            acc + c);
  }
}

// Four columns per vector, two vectors per pass; a ragged last group goes column by column.
HAQSIM_TARGET_AVX2 void and_popcount_interleaved_avx2(const uint64_t* a, const uint64_t* b,
                                                      int cols, int64_t span, int shift,
                                                      bool negate, uint32_t* acc) {
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

AndPopcountRowFn and_popcount_row_kernel(SimdLevel level) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  switch (level) {
    case SimdLevel::kAvx512Vpopcntdq:
      return and_popcount_row_vpopcntdq;
    case SimdLevel::kAvx512bw:
      return and_popcount_row_avx512bw;
    case SimdLevel::kAvx2:
      return and_popcount_row_avx2;
    case SimdLevel::kScalar:
      break;
  }
#else
  (void)level;
#endif
  return and_popcount_row_scalar;
}

AndPopcountInterleavedFn and_popcount_interleaved_kernel(SimdLevel level) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  switch (level) {
    case SimdLevel::kAvx512Vpopcntdq:
      return and_popcount_interleaved_vpopcntdq;
    case SimdLevel::kAvx512bw:
      return and_popcount_interleaved_avx512bw;
    case SimdLevel::kAvx2:
      return and_popcount_interleaved_avx2;
    case SimdLevel::kScalar:
      break;
  }
#else
  (void)level;
#endif
  return and_popcount_interleaved_scalar;
}

}  // namespace haqsim::bismo
