// The verilated BitFusion systolic array computes convolutions, streamed weight-stationary the
// way BitFusion's controller does, equal to an Eigen (im2col x weights) product, and its outputs
// appear exactly at the documented cycles.
//
// Mapping used by the host code here: a pass fixes one kernel tap (ky, kx), one block of M output
// channels (columns) and one block of N * P input channels, P = products per Fusion Unit; cell
// (i, j) holds the weights of output channel j for input channels i*P .. i*P+P-1 of the block,
// and every output pixel streams through as one vector. Column sums are accumulated over passes
// by the host (BitFusion's OBUF).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "rtl/bitfusion/fusion_array_rtl.h"
#include "rtl/bitfusion/fusion_operands.h"

namespace {

using haqsim::rtl::fusion_products_per_cycle;
using haqsim::rtl::FusionArrayRtl;
using haqsim::rtl::FusionCycle;
using haqsim::rtl::FusionPrecision;
using haqsim::rtl::make_fusion_array_rtl;
using haqsim::rtl::pack_fusion_operands;
using IntMatrix = Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic>;

struct Conv {
  int c_in, h, w, c_out, kh, kw;  // stride 1, no padding
  int oh() const { return h - kh + 1; }
  int ow() const { return w - kw + 1; }
  int pixels() const { return oh() * ow(); }
};

struct ConvData {
  std::vector<int32_t> input;    // [c][y][x]
  std::vector<int32_t> weights;  // [oc][c][ky][kx]
  int32_t in(const Conv& cv, int c, int y, int x) const { return input[(c * cv.h + y) * cv.w + x]; }
  int32_t wt(const Conv& cv, int oc, int c, int ky, int kx) const {
    return weights[((oc * cv.c_in + c) * cv.kh + ky) * cv.kw + kx];
  }
};

int32_t lo(int bits, bool s) {
  return s ? -(1 << (bits - 1)) : 0;
}
int32_t hi(int bits, bool s) {
  return s ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
}

ConvData random_conv(const Conv& cv, const FusionPrecision& p, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> a(lo(p.abits, p.a_signed), hi(p.abits, p.a_signed));
  std::uniform_int_distribution<int32_t> w(lo(p.wbits, p.w_signed), hi(p.wbits, p.w_signed));
  ConvData d;
  d.input.resize(static_cast<size_t>(cv.c_in) * cv.h * cv.w);
  d.weights.resize(static_cast<size_t>(cv.c_out) * cv.c_in * cv.kh * cv.kw);
  for (auto& v : d.input) v = a(rng);
  for (auto& v : d.weights) v = w(rng);
  return d;
}

// Reference: im2col (pixels x c_in*kh*kw) times weights^T, in Eigen.
IntMatrix reference_conv(const Conv& cv, const ConvData& d) {
  const int taps = cv.c_in * cv.kh * cv.kw;
  IntMatrix cols(cv.pixels(), taps), wmat(cv.c_out, taps);
  for (int oy = 0; oy < cv.oh(); ++oy) {
    for (int ox = 0; ox < cv.ow(); ++ox) {
      for (int c = 0; c < cv.c_in; ++c) {
        for (int ky = 0; ky < cv.kh; ++ky) {
          for (int kx = 0; kx < cv.kw; ++kx) {
            cols(oy * cv.ow() + ox, (c * cv.kh + ky) * cv.kw + kx) = d.in(cv, c, oy + ky, ox + kx);
          }
        }
      }
    }
  }
  for (int oc = 0; oc < cv.c_out; ++oc) {
    for (int t = 0; t < taps; ++t) wmat(oc, t) = d.weights[static_cast<size_t>(oc) * taps + t];
  }
  return cols * wmat.transpose();
}

// The convolution on the array, mapped as described at the top of the file. Returns
// pixels x c_out.
IntMatrix conv_on_array(FusionArrayRtl& array, const FusionPrecision& p, const Conv& cv,
                        const ConvData& d) {
  const int n = array.rows(), m = array.cols();
  const int lanes = fusion_products_per_cycle(p.abits, p.wbits);
  const int block = n * lanes;
  array.set_precision(p);
  IntMatrix out = IntMatrix::Zero(cv.pixels(), cv.c_out);
  std::vector<uint32_t> weights(static_cast<size_t>(n) * m);
  std::vector<uint32_t> vectors(static_cast<size_t>(cv.pixels()) * n);
  std::vector<int32_t> sums(static_cast<size_t>(cv.pixels()) * m);
  std::vector<int32_t> values(lanes);

  for (int oc0 = 0; oc0 < cv.c_out; oc0 += m) {
    for (int c0 = 0; c0 < cv.c_in; c0 += block) {
      for (int ky = 0; ky < cv.kh; ++ky) {
        for (int kx = 0; kx < cv.kw; ++kx) {
          for (int i = 0; i < n; ++i) {
            for (int j = 0; j < m; ++j) {
              for (int k = 0; k < lanes; ++k) {
                const int c = c0 + i * lanes + k, oc = oc0 + j;
                values[k] = c < cv.c_in && oc < cv.c_out ? d.wt(cv, oc, c, ky, kx) : 0;
              }
              weights[i * m + j] = pack_fusion_operands(values.data(), lanes, p.wbits, p.w_signed);
            }
          }
          array.load_weights(weights.data());

          for (int px = 0; px < cv.pixels(); ++px) {
            const int oy = px / cv.ow(), ox = px % cv.ow();
            for (int i = 0; i < n; ++i) {
              for (int k = 0; k < lanes; ++k) {
                const int c = c0 + i * lanes + k;
                values[k] = c < cv.c_in ? d.in(cv, c, oy + ky, ox + kx) : 0;
              }
              vectors[px * n + i] = pack_fusion_operands(values.data(), lanes, p.abits, p.a_signed);
            }
          }
          const uint64_t cycles = array.stream(vectors.data(), cv.pixels(), sums.data());
          EXPECT_EQ(cycles, static_cast<uint64_t>(cv.pixels() + n + m - 1));
          for (int px = 0; px < cv.pixels(); ++px) {
            for (int j = 0; j < m && oc0 + j < cv.c_out; ++j) out(px, oc0 + j) += sums[px * m + j];
          }
        }
      }
    }
  }
  return out;
}

void expect_conv_matches(FusionArrayRtl& array, const Conv& cv, const FusionPrecision& p,
                         unsigned seed) {
  const ConvData d = random_conv(cv, p, seed);
  const IntMatrix expected = reference_conv(cv, d);
  const IntMatrix got = conv_on_array(array, p, cv, d);
  EXPECT_TRUE(got == expected) << "RTL:\n" << got << "\nEigen:\n" << expected;
}

// --- small variant: every precision pair and signedness ---------------------------------------

class FusionArrayPrecisions : public ::testing::TestWithParam<std::tuple<int, int, bool, bool>> {};

TEST_P(FusionArrayPrecisions, ConvTileMatchesEigen) {
  const auto [abits, wbits, a_signed, w_signed] = GetParam();
  auto array = make_fusion_array_rtl(2, 3);
  // 7 input channels and 5 output channels leave partial channel blocks on both axes.
  const Conv cv{7, 5, 5, 5, 3, 3};
  expect_conv_matches(*array, cv, {abits, a_signed, wbits, w_signed},
                      100u * abits + 10u * wbits + 2u * a_signed + w_signed);
}

std::string precision_name(const ::testing::TestParamInfo<FusionArrayPrecisions::ParamType>& info) {
  const auto& [abits, wbits, a_signed, w_signed] = info.param;
  return "a" + std::to_string(abits) + (a_signed ? "s" : "u") + "_w" + std::to_string(wbits) +
         (w_signed ? "s" : "u");
}

INSTANTIATE_TEST_SUITE_P(Small2x3, FusionArrayPrecisions,
                         ::testing::Combine(::testing::Range(1, 9), ::testing::Range(1, 9),
                                            ::testing::Bool(), ::testing::Bool()),
                         precision_name);

// --- timing ------------------------------------------------------------------------------------

// One vector, skewed by hand: column j's sum is valid after exactly N + 1 + j steps counting the
// step that presented row 0, and at no other step.
TEST(FusionArrayTiming, ColumnSumsAppearAfterFillLatencyPlusColumnSkew) {
  auto array = make_fusion_array_rtl(2, 3);
  const int n = array->rows(), m = array->cols();
  FusionPrecision p{8, false, 8, false};
  array->set_precision(p);
  // Weight of cell (i, j) = 10 * i + j + 1; activation of row i = i + 2.
  std::vector<uint32_t> weights;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) weights.push_back(static_cast<uint32_t>(10 * i + j + 1));
  }
  array->load_weights(weights.data());
  std::vector<int32_t> expected(m, 0);
  for (int j = 0; j < m; ++j) {
    for (int i = 0; i < n; ++i) expected[j] += (i + 2) * (10 * i + j + 1);
  }

  std::vector<uint32_t> act(n, 0);
  for (int s = 0; s < n + m + 3; ++s) {
    FusionCycle cycle;
    cycle.act = act.data();
    if (s < n) {  // input skew: row s in step s
      act[s] = static_cast<uint32_t>(s + 2);
      cycle.act_valid = uint64_t{1} << s;
    }
    array->step(cycle);
    for (int j = 0; j < m; ++j) {
      const bool due = s + 1 == array->result_latency(j);
      EXPECT_EQ(array->psum_valid(j), due) << "column " << j << " after step " << s;
      if (due) {
        EXPECT_EQ(array->psum(j), expected[j]) << "column " << j;
      }
    }
  }
  EXPECT_EQ(array->result_latency(0), n + 1);
  EXPECT_EQ(array->result_latency(m - 1), n + m);
}

// --- the reference 16 x 32 instance ------------------------------------------------------------

TEST(FusionArray16x32, ConvTilesMatchEigen) {
  auto array = make_fusion_array_rtl(16, 32);
  const Conv cv{40, 5, 5, 40, 3, 3};
  expect_conv_matches(*array, cv, {8, false, 8, true}, 1);
  expect_conv_matches(*array, cv, {2, false, 2, true}, 2);
  expect_conv_matches(*array, cv, {5, false, 3, true}, 3);
  expect_conv_matches(*array, cv, {4, true, 8, true}, 4);
}

// --- factory and tracing -------------------------------------------------------------------------

TEST(FusionArrayFactory, ListsVariantsAndRejectsUnknownShapes) {
  ASSERT_EQ(haqsim::rtl::fusion_array_rtl_variants().size(), 2u);
  try {
    make_fusion_array_rtl(8, 8);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("N=8 rows, M=8 columns"), std::string::npos) << what;
    EXPECT_NE(what.find("2x3, 16x32"), std::string::npos) << what;
  }
  auto array = make_fusion_array_rtl(2, 3);
  EXPECT_THROW(array->set_precision({9, false, 8, false}), std::invalid_argument);
  EXPECT_THROW(array->trace_open("unused.vcd"), std::logic_error);
}

TEST(FusionArrayTrace, WritesAVcd) {
  const std::string path = ::testing::TempDir() + "/fusion_array.vcd";
  {
    auto array = make_fusion_array_rtl(2, 3, /*trace=*/true);
    array->trace_open(path);
    const std::vector<uint32_t> weights(6, 1);
    array->load_weights(weights.data());
    array->trace_close();
  }
  FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  EXPECT_NE(text.find("psum_valid"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
