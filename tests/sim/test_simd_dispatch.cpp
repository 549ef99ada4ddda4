// Runtime SIMD dispatch (base/cpu_features.h): every kernel this CPU supports, forced in turn,
// gives a plain loop's (or the scalar kernel's) results — on random operands at every span and
// column count the machines produce, and through a whole BISMO layer (bit-exact against the
// reference convolution, same cycles). A kernel the CPU lacks is skipped and named, not faked.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "base/cpu_features.h"
#include "base/input_error.h"
#include "sim/bismo/bismo_systemc_model.h"
#include "sim/bismo/bit_planes.h"
#include "sim/bismo/popcount_kernels.h"
#include "sim/common/layer_job.h"
#include "sim/registry.h"
#include "tests/sim/layer_fixtures.h"

namespace haqsim {
namespace {

class SimdDispatch : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (GetParam() > detected_simd_level()) {
      GTEST_SKIP() << "this CPU does not support " << to_string(GetParam()) << " (it has "
                   << to_string(detected_simd_level()) << ")";
    }
  }
  void TearDown() override { force_simd_level(detected_simd_level()); }
};

// Every kernel (the scalar one included) against a plain per-(row, column) loop over the same
// operands laid out column after column: zero limbs of `a` (which the kernels skip, alone and in
// whole blocks of rows) included, row counts on both sides of the four-row blocks.
TEST_P(SimdDispatch, AndPopcountInterleavedEqualsPerColumnSums) {
  const bismo::AndPopcountInterleavedFn kernel = bismo::and_popcount_interleaved_kernel(GetParam());
  std::mt19937_64 rng(13);
  for (int rows : {1, 3, 4, 5, 8, 9}) {
    for (int cols = 1; cols <= 35; cols += (cols < 18 ? 1 : 8)) {
      for (int64_t span = 1; span <= 37; span += (span < 12 ? 1 : 5)) {
        const int64_t stride = span + int64_t(rng() % 4);
        std::vector<uint64_t> a(static_cast<size_t>(stride * rows));
        for (auto& w : a) w = rng() % 3 == 0 ? 0 : rng();
        if (span > 2) {  // one limb zero in every row: a block-wide skip
          for (int r = 0; r < rows; ++r) a[size_t(r * stride + 2)] = 0;
        }
        std::vector<uint64_t> by_column(static_cast<size_t>(span * cols));
        std::vector<uint64_t> interleaved(by_column.size());
        for (int c = 0; c < cols; ++c) {
          for (int64_t i = 0; i < span; ++i) {
            const uint64_t w = rng() & rng();
            by_column[size_t(c * span + i)] = w;
            interleaved[size_t(i * cols + c)] = w;
          }
        }
        std::vector<uint32_t> want(static_cast<size_t>(rows * cols));
        for (auto& w : want) w = uint32_t(rng());
        std::vector<uint32_t> got(want);
        const int shift = int(rng() % 15);
        const bool negate = rng() % 2 == 1;
        kernel(a.data(), stride, rows, interleaved.data(), cols, span, shift, negate, got.data());
        for (int r = 0; r < rows; ++r) {
          for (int c = 0; c < cols; ++c) {
            uint64_t count = 0;
            for (int64_t i = 0; i < span; ++i) {
              count += uint64_t(__builtin_popcountll(a[size_t(r * stride + i)] &
                                                     by_column[size_t(c * span + i)]));
            }
            const uint32_t term = uint32_t(count) << shift;
            uint32_t& w = want[size_t(r * cols + c)];
            w = negate ? w - term : w + term;
          }
        }
        ASSERT_EQ(got, want) << to_string(GetParam()) << " rows " << rows << " cols " << cols
                             << " span " << span;
      }
    }
  }
}

TEST_P(SimdDispatch, PackPlanesEqualsScalar) {
  std::mt19937 rng(5);
  for (int64_t k : {1, 7, 63, 64, 65, 200, 513}) {
    for (int bits = 1; bits <= 8; ++bits) {
      std::vector<int32_t> values(static_cast<size_t>(k));
      for (auto& v : values) v = int32_t(rng() % (1u << bits)) - (bits > 1 ? 1 << (bits - 1) : 0);
      const int64_t plane_bytes = (k + 7) / 8 + 3;
      std::vector<uint8_t> got(static_cast<size_t>(plane_bytes * bits), 0);
      std::vector<uint8_t> want(got);
      bismo::pack_planes(values.data(), k, bits, plane_bytes, got.data(), GetParam());
      bismo::pack_planes(values.data(), k, bits, plane_bytes, want.data(), SimdLevel::kScalar);
      ASSERT_EQ(got, want) << to_string(GetParam()) << " k " << k << " bits " << bits;
    }
  }
}

TEST_P(SimdDispatch, BismoLayerBitExactWithEqualCycles) {
  const ArchConfig edge = load_arch_config("arch-configs/bismo-edge.yaml");
  // 96 -> 40 channels (K = 96 is not a multiple of Dk = 256), 3x3 stride 2 over 9x9.
  const LayerWorkload layer = testing::conv_workload(96, 40, 9, 3, 2, 1, 1, true);
  force_simd_level(SimdLevel::kScalar);
  const LayerJob job = make_synthetic_job(layer, {5, 3}, 3);
  const LayerJobResult scalar = bismo::make_systemc_model(edge, Backend::kSystemC)->run(job);
  force_simd_level(GetParam());
  const LayerJobResult got = bismo::make_systemc_model(edge, Backend::kSystemC)->run(job);
  EXPECT_EQ(got.accumulators, reference_accumulators(job));
  EXPECT_EQ(got.accumulators, scalar.accumulators);
  EXPECT_EQ(got.stats.cycles, scalar.stats.cycles);
}

INSTANTIATE_TEST_SUITE_P(EveryLevel, SimdDispatch,
                         ::testing::Values(SimdLevel::kScalar, SimdLevel::kAvx2,
                                           SimdLevel::kAvx512bw, SimdLevel::kAvx512Vpopcntdq),
                         [](const ::testing::TestParamInfo<SimdLevel>& info) {
                           return std::string(to_string(info.param));
                         });

TEST(SimdLevel, ParsesEverySpellingAndRefusesOthers) {
  for (SimdLevel level : supported_simd_levels()) {
    EXPECT_EQ(parse_simd_level(to_string(level)), level);
  }
  EXPECT_THROW(parse_simd_level("avx9"), InputError);
}

}  // namespace
}  // namespace haqsim
