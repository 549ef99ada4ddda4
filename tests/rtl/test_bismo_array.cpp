// The verilated BISMO dot-product array computes integer matrix products bit-serially, the way
// BISMO's host drives it, and its timing matches the documented pipeline depth.
//
// The host side here decomposes both operands into bit planes and issues, for every Dm x Dn
// output tile, every bit-plane pair (i, j) and every Dk-wide chunk of K, one beat with
// shift = i + j and negate = (exactly one of i, j is the sign plane of a signed operand). Tiles
// follow each other back to back and each tile's accumulators are read in exactly the step its
// last beat lands (pipeline_depth() steps after issue, one step before the next tile's clear
// lands), so every product check also checks the timing contract. Results are compared with an
// Eigen integer matrix product.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "rtl/bismo/bismo_array_rtl.h"

namespace {

using haqsim::rtl::BismoArrayRtl;
using haqsim::rtl::BismoBeat;
using haqsim::rtl::make_bismo_array_rtl;
using IntMatrix = Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic>;

struct Operand {
  int bits;
  bool is_signed;
  int64_t lo() const { return is_signed ? -(int64_t{1} << (bits - 1)) : 0; }
  int64_t hi() const {
    return is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
  }
  bool is_sign_plane(int plane) const { return is_signed && plane == bits - 1; }
};

// Uniform values, with one entry in five pinned to a range end (where sign handling breaks).
IntMatrix random_matrix(int rows, int cols, Operand op, std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> value(op.lo(), op.hi());
  std::uniform_int_distribution<int> pick(0, 9);
  IntMatrix m(rows, cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const int p = pick(rng);
      m(r, c) = p == 0 ? op.lo() : p == 1 ? op.hi() : value(rng);
    }
  }
  return m;
}

// Bit plane `plane` of each row of `vectors` (rows x K), packed 64 bits per word and zero-padded
// to `words` words per row: planes[row * words + k / 64] bit k % 64.
std::vector<uint64_t> pack_plane(const IntMatrix& vectors, int plane, int words) {
  std::vector<uint64_t> packed(static_cast<size_t>(vectors.rows()) * words, 0);
  for (int r = 0; r < vectors.rows(); ++r) {
    for (int k = 0; k < vectors.cols(); ++k) {
      // Two's complement bits of the value: the sign plane of a signed operand is its top bit.
      const uint64_t bit = (static_cast<uint64_t>(vectors(r, k)) >> plane) & 1u;
      packed[r * words + k / 64] |= bit << (k % 64);
    }
  }
  return packed;
}

struct RunResult {
  IntMatrix product;
  uint64_t cycles = 0;
};

// C = A (M x K) * B (K x N) on the array, scheduled as described at the top of the file.
RunResult multiply_on_array(BismoArrayRtl& array, const IntMatrix& a, Operand a_op,
                            const IntMatrix& b, Operand b_op) {
  const int dm = array.dm(), dk = array.dk(), dn = array.dn();
  const int depth = array.pipeline_depth();
  EXPECT_EQ(dk % 64, 0) << "this host packs Dk-wide chunks on 64-bit word boundaries";
  const int wpv = array.words_per_vector();
  const int m = static_cast<int>(a.rows()), k = static_cast<int>(a.cols()),
            n = static_cast<int>(b.cols());
  const int k_chunks = (k + dk - 1) / dk;
  const int row_words = k_chunks * wpv;

  const IntMatrix b_t = b.transpose();  // RHS vectors are B's columns
  std::vector<std::vector<uint64_t>> a_planes, b_planes;
  for (int p = 0; p < a_op.bits; ++p) a_planes.push_back(pack_plane(a, p, row_words));
  for (int p = 0; p < b_op.bits; ++p) b_planes.push_back(pack_plane(b_t, p, row_words));

  RunResult result;
  result.product = IntMatrix::Zero(m, n);
  struct Pending {
    int row0, col0;
    uint64_t read_after_step;
  };
  std::deque<Pending> pending;
  uint64_t step = 0;
  std::vector<int32_t> acc(static_cast<size_t>(dm) * dn);
  auto after_step = [&] {
    while (!pending.empty() && pending.front().read_after_step == step) {
      const Pending tile = pending.front();
      pending.pop_front();
      EXPECT_TRUE(array.acc_valid());
      array.read_accumulators(acc.data());
      for (int i = 0; i < dm && tile.row0 + i < m; ++i) {
        for (int j = 0; j < dn && tile.col0 + j < n; ++j) {
          result.product(tile.row0 + i, tile.col0 + j) = acc[i * dn + j];
        }
      }
    }
    ++step;
  };

  std::vector<uint64_t> lhs(static_cast<size_t>(dm) * wpv), rhs(static_cast<size_t>(dn) * wpv);
  const uint64_t first_step = array.cycle();
  for (int row0 = 0; row0 < m; row0 += dm) {
    for (int col0 = 0; col0 < n; col0 += dn) {
      bool first_beat = true;
      for (int pa = 0; pa < a_op.bits; ++pa) {
        for (int pb = 0; pb < b_op.bits; ++pb) {
          for (int chunk = 0; chunk < k_chunks; ++chunk) {
            std::fill(lhs.begin(), lhs.end(), 0);
            std::fill(rhs.begin(), rhs.end(), 0);
            for (int i = 0; i < dm && row0 + i < m; ++i) {
              for (int w = 0; w < wpv; ++w) {
                lhs[i * wpv + w] = a_planes[pa][(row0 + i) * row_words + chunk * wpv + w];
              }
            }
            for (int j = 0; j < dn && col0 + j < n; ++j) {
              for (int w = 0; w < wpv; ++w) {
                rhs[j * wpv + w] = b_planes[pb][(col0 + j) * row_words + chunk * wpv + w];
              }
            }
            BismoBeat beat;
            beat.shift = static_cast<unsigned>(pa + pb);
            beat.negate = a_op.is_sign_plane(pa) != b_op.is_sign_plane(pb);
            beat.clear = first_beat;
            first_beat = false;
            array.step(lhs.data(), rhs.data(), beat);
            after_step();
          }
        }
      }
      // The tile's last beat went in at step - 1 and lands pipeline_depth() steps after issue.
      pending.push_back({row0, col0, step - 1 + depth - 1});
    }
  }
  while (!pending.empty()) {
    array.idle(1);
    after_step();
  }
  result.cycles = array.cycle() - first_step;
  return result;
}

// Multiplies random M x K and K x N matrices on `array` and compares with Eigen.
void expect_product_matches(BismoArrayRtl& array, int m, int k, int n, Operand a_op, Operand b_op,
                            unsigned seed) {
  std::mt19937 rng(seed);
  const IntMatrix a = random_matrix(m, k, a_op, rng);
  const IntMatrix b = random_matrix(k, n, b_op, rng);
  const IntMatrix expected = a * b;
  const RunResult run = multiply_on_array(array, a, a_op, b, b_op);
  EXPECT_TRUE(run.product == expected) << "RTL:\n" << run.product << "\nEigen:\n" << expected;
  // Cycle count: one beat per (tile, plane pair, K chunk), back to back, plus the pipeline drain.
  const int tiles = ((m + array.dm() - 1) / array.dm()) * ((n + array.dn() - 1) / array.dn());
  const int chunks = (k + array.dk() - 1) / array.dk();
  const uint64_t beats = uint64_t(tiles) * a_op.bits * b_op.bits * chunks;
  EXPECT_EQ(run.cycles, beats + array.pipeline_depth() - 1);
}

// --- small variant: every precision pair and signedness ---------------------------------------

class BismoArrayPrecisions : public ::testing::TestWithParam<std::tuple<int, int, bool, bool>> {};

TEST_P(BismoArrayPrecisions, RandomProductMatchesEigen) {
  const auto [a_bits, b_bits, a_signed, b_signed] = GetParam();
  auto array = make_bismo_array_rtl(2, 64, 3);
  // 5 x 150 x 7 does not divide into 2 x 64 x 3 tiles, so padding of every dimension is used.
  expect_product_matches(*array, 5, 150, 7, {a_bits, a_signed}, {b_bits, b_signed},
                         1000u * a_bits + 10u * b_bits + 2u * a_signed + b_signed);
}

std::string precision_name(const ::testing::TestParamInfo<BismoArrayPrecisions::ParamType>& info) {
  const auto& [a_bits, b_bits, a_signed, b_signed] = info.param;
  return "a" + std::to_string(a_bits) + (a_signed ? "s" : "u") + "_b" + std::to_string(b_bits) +
         (b_signed ? "s" : "u");
}

INSTANTIATE_TEST_SUITE_P(Small2x64x3, BismoArrayPrecisions,
                         ::testing::Combine(::testing::Range(1, 9), ::testing::Range(1, 9),
                                            ::testing::Bool(), ::testing::Bool()),
                         precision_name);

// --- timing ------------------------------------------------------------------------------------

TEST(BismoArrayTiming, StreamCompletesAfterPipelineDepth) {
  auto array = make_bismo_array_rtl(2, 64, 3);
  // Documented in bismo_dpu.sv / bismo_dpu_array.sv; read from the RTL's localparam.
  ASSERT_EQ(array->pipeline_depth(), 3);
  const int depth = array->pipeline_depth();

  // T beats of all-ones vectors: each adds 64 << b (beat b has shift b), so the accumulator
  // value tells exactly which beats have landed.
  const int beats = 5;
  const std::vector<uint64_t> ones(static_cast<size_t>(array->dn()) * array->words_per_vector(),
                                   ~uint64_t{0});
  std::vector<int32_t> landed_sum(beats + 1, 0);
  for (int b = 0; b < beats; ++b) landed_sum[b + 1] = landed_sum[b] + (64 << b);

  for (int s = 0; s < beats + depth + 2; ++s) {
    if (s < beats) {
      BismoBeat beat;
      beat.shift = static_cast<unsigned>(s);
      beat.clear = s == 0;
      array->step(ones.data(), ones.data(), beat);
    } else {
      array->idle(1);
    }
    // After step s (the (s+1)-th step), beats 0..s-depth+1 are in: a beat needs `depth` steps
    // counting its own.
    const int landed = std::clamp(s - depth + 2, 0, beats);
    for (int i = 0; i < array->dm(); ++i) {
      for (int j = 0; j < array->dn(); ++j) {
        EXPECT_EQ(array->acc(i, j), landed_sum[landed]) << "after step " << s;
      }
    }
    const int just_landed = s - depth + 1;
    EXPECT_EQ(array->acc_valid(), just_landed >= 0 && just_landed < beats) << "after step " << s;
  }
  // In particular the stream of `beats` beats is complete after beats + depth - 1 steps (landed
  // == beats) and not one step earlier.
}

TEST(BismoArrayTiming, NegateShiftAndClearInTheMiddleOfAStream) {
  auto array = make_bismo_array_rtl(2, 64, 3);
  const std::vector<uint64_t> ones(3, ~uint64_t{0});
  std::vector<uint64_t> lhs = {0xffull, 0x1ull};  // popcounts against all-ones: 8 and 1
  BismoBeat beat;
  beat.clear = true;
  beat.shift = 4;
  array->step(lhs.data(), ones.data(), beat);  // +8<<4, +1<<4
  beat.clear = false;
  beat.negate = true;
  beat.shift = 0;
  array->step(lhs.data(), ones.data(), beat);  // -8, -1
  beat.clear = true;
  beat.negate = true;
  beat.shift = 31;
  array->step(lhs.data(), ones.data(), beat);  // restart: -(8<<31) wraps to 0, -(1<<31)
  array->idle(1);
  EXPECT_EQ(array->acc(0, 0), 128 - 8);
  EXPECT_EQ(array->acc(1, 2), 16 - 1);
  array->idle(1);
  EXPECT_EQ(array->acc(0, 0), 0);  // 32-bit two's complement wrap
  EXPECT_EQ(array->acc(1, 2), INT32_MIN);
  array->reset();
  EXPECT_EQ(array->acc(1, 2), 0);
}

// --- full-size variants --------------------------------------------------------------------------

TEST(BismoArrayEdge8x256x8, RandomProductsMatchEigen) {
  auto array = make_bismo_array_rtl(8, 256, 8);
  expect_product_matches(*array, 16, 700, 13, {3, true}, {5, false}, 1);
  expect_product_matches(*array, 9, 256, 8, {8, true}, {8, true}, 2);
  expect_product_matches(*array, 8, 1000, 16, {1, false}, {2, true}, 3);
}

TEST(BismoArrayCloud16x256x16, RandomProductMatchesEigen) {
  auto array = make_bismo_array_rtl(16, 256, 16);
  expect_product_matches(*array, 20, 300, 17, {4, true}, {4, false}, 4);
}

// --- factory and tracing -------------------------------------------------------------------------

TEST(BismoArrayFactory, ListsVariantsAndRejectsUnknownShapes) {
  const auto variants = haqsim::rtl::bismo_array_rtl_variants();
  ASSERT_EQ(variants.size(), 3u);
  auto array = make_bismo_array_rtl(8, 256, 8);
  EXPECT_EQ(array->dm(), 8);
  EXPECT_EQ(array->dk(), 256);
  EXPECT_EQ(array->dn(), 8);
  try {
    make_bismo_array_rtl(4, 128, 4);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Dm=4, Dk=128, Dn=4"), std::string::npos) << what;
    EXPECT_NE(what.find("2x64x3, 8x256x8, 16x256x16"), std::string::npos) << what;
  }
}

TEST(BismoArrayTrace, WritesOnlyTheEnabledCycleWindow) {
  EXPECT_THROW(make_bismo_array_rtl(2, 64, 3)->trace_open("unused.vcd"), std::logic_error);

  const auto path = std::filesystem::path(::testing::TempDir()) / "bismo_window.vcd";
  {
    auto array = make_bismo_array_rtl(2, 64, 3, /*trace=*/true);
    const std::vector<uint64_t> ones(3, ~uint64_t{0});
    const uint64_t start = array->cycle();  // reset took one cycle
    array->idle(2);
    array->trace_open(path.string());  // records from cycle start + 2
    BismoBeat beat;
    beat.clear = true;
    array->step(ones.data(), ones.data(), beat);
    array->idle(2);
    array->trace_enable(false);  // window: cycles start+2 .. start+4
    array->idle(3);
    array->trace_close();
    ASSERT_EQ(array->cycle(), start + 8);
  }
  std::ifstream vcd(path);
  ASSERT_TRUE(vcd.good());
  std::stringstream text;
  text << vcd.rdbuf();
  const std::string s = text.str();
  EXPECT_NE(s.find("$enddefinitions"), std::string::npos);
  EXPECT_NE(s.find("acc_valid"), std::string::npos);
  EXPECT_NE(s.find("\n#30\n"), std::string::npos);  // cycle 3 (start = 1): first in the window
  EXPECT_NE(s.find("\n#55\n"), std::string::npos);  // rising edge of cycle 5: last in the window
  EXPECT_EQ(s.find("\n#25\n"), std::string::npos);  // before the window
  EXPECT_EQ(s.find("\n#60\n"), std::string::npos);  // after the window
  std::filesystem::remove(path);
}

}  // namespace
