// The verilated BitFusion systolic array computes convolutions streamed the way the SystemC
// model's compute stage streams them (sim/bitfusion/fusion_array_core.h), equal to an Eigen
// (im2col x weights) product or a direct depthwise convolution, and its outputs appear exactly at
// the documented cycles.
//
// Standard convolutions: one vector per (block of M output channels, output pixel, kernel tap,
// block of N * P input channels), P = products per Fusion Unit, in that loop order; row i takes
// input channels i*P .. i*P+P-1 of the block, Fusion Unit (i, j) the weights of output channel j
// for them. The weights change from one vector to the next (every vector, when there is more than
// one tap or channel block). Depthwise convolutions (depthwise mode): one vector per (block of M
// channels, output pixel, block of N * P kernel taps); Fusion Unit (i, j) takes taps i*P ..
// i*P+P-1 of channel j, both the activations and the weights. Column sums are accumulated by the
// host (BitFusion's OBUF).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cstdint>
#include <cstdio>
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
using haqsim::rtl::FusionVector;
using haqsim::rtl::make_fusion_array_rtl;
using haqsim::rtl::pack_fusion_operands;
using IntMatrix = Eigen::Matrix<int64_t, Eigen::Dynamic, Eigen::Dynamic>;

struct Conv {
  int c_in, h, w, c_out, kh, kw;  // stride 1, no padding; depthwise: c_out == c_in
  int oh() const { return h - kh + 1; }
  int ow() const { return w - kw + 1; }
  int pixels() const { return oh() * ow(); }
  int taps() const { return kh * kw; }
};

struct ConvData {
  std::vector<int32_t> input;    // [c][y][x]
  std::vector<int32_t> weights;  // [oc][c][ky][kx] (depthwise: [c][ky][kx])
  int32_t in(const Conv& cv, int c, int y, int x) const { return input[(c * cv.h + y) * cv.w + x]; }
  int32_t wt(const Conv& cv, int oc, int c, int tap) const {
    return weights[(oc * cv.c_in + c) * cv.taps() + tap];
  }
};

int32_t lo(int bits, bool s) {
  return s ? -(1 << (bits - 1)) : 0;
}
int32_t hi(int bits, bool s) {
  return s ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
}

ConvData random_conv(const Conv& cv, const FusionPrecision& p, bool depthwise, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> a(lo(p.abits, p.a_signed), hi(p.abits, p.a_signed));
  std::uniform_int_distribution<int32_t> w(lo(p.wbits, p.w_signed), hi(p.wbits, p.w_signed));
  ConvData d;
  d.input.resize(static_cast<size_t>(cv.c_in) * cv.h * cv.w);
  d.weights.resize(static_cast<size_t>(cv.c_out) * (depthwise ? 1 : cv.c_in) * cv.taps());
  for (auto& v : d.input) v = a(rng);
  for (auto& v : d.weights) v = w(rng);
  return d;
}

// Reference: im2col (pixels x c_in*kh*kw) times weights^T, in Eigen.
IntMatrix reference_conv(const Conv& cv, const ConvData& d) {
  const int k = cv.c_in * cv.taps();
  IntMatrix cols(cv.pixels(), k), wmat(cv.c_out, k);
  for (int oy = 0; oy < cv.oh(); ++oy) {
    for (int ox = 0; ox < cv.ow(); ++ox) {
      for (int c = 0; c < cv.c_in; ++c) {
        for (int t = 0; t < cv.taps(); ++t) {
          cols(oy * cv.ow() + ox, c * cv.taps() + t) = d.in(cv, c, oy + t / cv.kw, ox + t % cv.kw);
        }
      }
    }
  }
  for (int oc = 0; oc < cv.c_out; ++oc) {
    for (int t = 0; t < k; ++t) wmat(oc, t) = d.weights[static_cast<size_t>(oc) * k + t];
  }
  return cols * wmat.transpose();
}

// Reference depthwise convolution: pixels x channels.
IntMatrix reference_depthwise(const Conv& cv, const ConvData& d) {
  IntMatrix out = IntMatrix::Zero(cv.pixels(), cv.c_in);
  for (int c = 0; c < cv.c_in; ++c) {
    for (int px = 0; px < cv.pixels(); ++px) {
      for (int t = 0; t < cv.taps(); ++t) {
        out(px, c) += int64_t{d.in(cv, c, px / cv.ow() + t / cv.kw, px % cv.ow() + t % cv.kw)} *
                      d.weights[static_cast<size_t>(c) * cv.taps() + t];
      }
    }
  }
  return out;
}

// The convolution on the array as one stream, mapped as described at the top of the file.
// Returns pixels x c_out.
IntMatrix conv_on_array(FusionArrayRtl& array, const FusionPrecision& p, const Conv& cv,
                        const ConvData& d, bool depthwise) {
  const int n = array.rows(), m = array.cols();
  const int lanes = fusion_products_per_cycle(p.abits, p.wbits);
  const int reduction = depthwise ? cv.taps() : cv.c_in;  // what the rows split
  const int blocks = (reduction + n * lanes - 1) / (n * lanes);
  const int taps = depthwise ? 1 : cv.taps();  // taps walked by the vector loop
  const int groups = (cv.c_out + m - 1) / m;
  const size_t count = static_cast<size_t>(groups) * cv.pixels() * taps * blocks;
  array.set_precision(p);
  array.set_act_per_unit(depthwise);

  struct Index {
    int group, px, tap, block;
  };
  auto decode = [&](size_t v) {
    Index x;
    x.block = static_cast<int>(v % blocks);
    v /= blocks;
    x.tap = static_cast<int>(v % taps);
    v /= taps;
    x.px = static_cast<int>(v % cv.pixels());
    x.group = static_cast<int>(v / cv.pixels());
    return x;
  };
  std::vector<int32_t> a(lanes), w(lanes);
  auto fill = [&](size_t v, FusionVector& vec) {
    const Index x = decode(v);
    const int oy = x.px / cv.ow(), ox = x.px % cv.ow();
    for (int i = 0; i < n; ++i) {
      const int first = x.block * n * lanes + i * lanes;  // first channel (tap) of row i
      if (first < reduction) vec.row_valid |= uint64_t{1} << i;
      if (!depthwise) {
        for (int k = 0; k < lanes; ++k) {
          const int c = first + k;
          a[k] = c < cv.c_in ? d.in(cv, c, oy + x.tap / cv.kw, ox + x.tap % cv.kw) : 0;
        }
        vec.act[i] = pack_fusion_operands(a.data(), lanes, p.abits, p.a_signed);
      }
      for (int j = 0; j < m; ++j) {
        const int oc = x.group * m + j;
        for (int k = 0; k < lanes; ++k) {
          const int r = first + k;
          const bool on = r < reduction && oc < cv.c_out;
          if (depthwise) {
            a[k] = on ? d.in(cv, oc, oy + r / cv.kw, ox + r % cv.kw) : 0;
            w[k] = on ? d.weights[static_cast<size_t>(oc) * cv.taps() + r] : 0;
          } else {
            w[k] = on ? d.wt(cv, oc, r, x.tap) : 0;
          }
        }
        vec.weights[i * m + j] = pack_fusion_operands(w.data(), lanes, p.wbits, p.w_signed);
        if (depthwise) {
          vec.act[i * m + j] = pack_fusion_operands(a.data(), lanes, p.abits, p.a_signed);
        }
      }
    }
  };
  IntMatrix out = IntMatrix::Zero(cv.pixels(), cv.c_out);
  size_t next = 0;
  auto sums = [&](size_t v, const int32_t* s) {
    EXPECT_EQ(v, next++);
    const Index x = decode(v);
    for (int j = 0; j < m && x.group * m + j < cv.c_out; ++j) out(x.px, x.group * m + j) += s[j];
  };
  const uint64_t steps = array.stream(count, fill, sums);
  EXPECT_EQ(next, count);
  EXPECT_EQ(steps, count + n + m - 1);
  return out;
}

void expect_matches(FusionArrayRtl& array, const Conv& cv, const FusionPrecision& p, unsigned seed,
                    bool depthwise) {
  const ConvData d = random_conv(cv, p, depthwise, seed);
  const IntMatrix expected = depthwise ? reference_depthwise(cv, d) : reference_conv(cv, d);
  const IntMatrix got = conv_on_array(array, p, cv, d, depthwise);
  EXPECT_TRUE(got == expected) << "RTL:\n" << got << "\nreference:\n" << expected;
}

void expect_conv_matches(FusionArrayRtl& array, const Conv& cv, const FusionPrecision& p,
                         unsigned seed) {
  expect_matches(array, cv, p, seed, false);
}

void expect_depthwise_matches(FusionArrayRtl& array, const Conv& cv, const FusionPrecision& p,
                              unsigned seed) {
  expect_matches(array, cv, p, seed, true);
}

// --- small variant: every precision pair and signedness ---------------------------------------

class FusionArrayPrecisions : public ::testing::TestWithParam<std::tuple<int, int, bool, bool>> {};

TEST_P(FusionArrayPrecisions, ConvMatchesEigen) {
  const auto [abits, wbits, a_signed, w_signed] = GetParam();
  auto array = make_fusion_array_rtl(2, 3);
  // 7 input channels and 5 output channels leave partial blocks on both axes; 9 taps make the
  // weights of every Fusion Unit change from each vector to the next.
  const Conv cv{7, 5, 5, 5, 3, 3};
  expect_conv_matches(*array, cv, {abits, a_signed, wbits, w_signed},
                      100u * abits + 10u * wbits + 2u * a_signed + w_signed);
}

TEST_P(FusionArrayPrecisions, DepthwiseMatchesReference) {
  const auto [abits, wbits, a_signed, w_signed] = GetParam();
  auto array = make_fusion_array_rtl(2, 3);
  // 5 channels on 3 columns; 9 taps on 2 rows: 2 tap blocks at 8x8 (P = 1: 2 lanes), one when
  // P >= 8, partial ones in between.
  const Conv cv{5, 5, 6, 5, 3, 3};
  expect_depthwise_matches(*array, cv, {abits, a_signed, wbits, w_signed},
                           1000u + 100u * abits + 10u * wbits + 2u * a_signed + w_signed);
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

// Fully connected: one pixel, so every vector has its own weights and nothing repeats.
TEST(FusionArraySmall, FullyConnectedChangesWeightsEveryCycle) {
  auto array = make_fusion_array_rtl(2, 3);
  for (const FusionPrecision p :
       {FusionPrecision{8, false, 8, true}, FusionPrecision{2, true, 4, true}}) {
    expect_conv_matches(*array, Conv{37, 1, 1, 8, 1, 1}, p, 5);
  }
}

// One array switches precision and mode between streams, as between layers.
TEST(FusionArraySmall, SwitchesPrecisionAndModeBetweenStreams) {
  auto array = make_fusion_array_rtl(2, 3);
  const Conv cv{6, 4, 4, 4, 3, 3}, dw{6, 4, 4, 6, 3, 3};
  expect_conv_matches(*array, cv, {8, false, 8, true}, 1);
  expect_depthwise_matches(*array, dw, {4, false, 2, true}, 2);
  expect_conv_matches(*array, cv, {3, true, 5, true}, 3);
  expect_depthwise_matches(*array, dw, {8, true, 8, true}, 4);
}

// --- timing ------------------------------------------------------------------------------------

// One vector, skewed by hand: Fusion Unit (i, j) must be given its weight (and, in depthwise
// mode, its activation) in step i + j exactly -- every other step presents junk there -- and
// column j's sum is valid after exactly N + 1 + j steps counting the vector's first step, and at
// no other step.
void check_one_vector_timing(bool depthwise) {
  auto array = make_fusion_array_rtl(2, 3);
  const int n = array->rows(), m = array->cols();
  array->set_precision({8, false, 8, true});
  array->set_act_per_unit(depthwise);
  // Weight of cell (i, j) = -(10 * i + j + 1); activation of row i = i + 2, of cell (i, j) in
  // depthwise mode = 3 * i + j + 1.
  auto weight = [](int i, int j) { return -(10 * i + j + 1); };
  auto activation = [&](int i, int j) { return depthwise ? 3 * i + j + 1 : i + 2; };
  std::vector<int32_t> expected(m, 0);
  for (int j = 0; j < m; ++j) {
    for (int i = 0; i < n; ++i) expected[j] += activation(i, j) * weight(i, j);
  }
  std::vector<uint32_t> act(n), weights(n * m), unit_act(n * m);
  for (int s = 0; s < n + m + 3; ++s) {
    FusionCycle cycle;
    for (int i = 0; i < n; ++i) {
      act[i] = s == i && !depthwise ? uint32_t(activation(i, 0)) : 0x5au + uint32_t(s);
      if (s == i) cycle.act_valid |= uint64_t{1} << i;
      for (int j = 0; j < m; ++j) {
        const bool due = s == i + j;
        weights[i * m + j] = due ? uint32_t(weight(i, j)) & 0xffu : 0x33u + uint32_t(s);
        unit_act[i * m + j] = due ? uint32_t(activation(i, j)) : 0x77u + uint32_t(s);
      }
    }
    cycle.act = act.data();
    cycle.weights = weights.data();
    cycle.unit_act = unit_act.data();
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

TEST(FusionArrayTiming, OperandsMeetAtTheSkewAndSumsLeaveAfterFillPlusColumnSkew) {
  check_one_vector_timing(false);
}

TEST(FusionArrayTiming, DepthwiseOperandsMeetAtTheSkew) {
  check_one_vector_timing(true);
}

// --- the reference 16 x 32 instance ------------------------------------------------------------

TEST(FusionArray16x32, ConvAndDepthwiseMatchTheReference) {
  auto array = make_fusion_array_rtl(16, 32);
  const Conv cv{40, 5, 5, 40, 3, 3};
  expect_conv_matches(*array, cv, {8, false, 8, true}, 1);
  expect_conv_matches(*array, cv, {2, false, 2, true}, 2);
  expect_conv_matches(*array, cv, {5, false, 3, true}, 3);
  expect_conv_matches(*array, cv, {4, true, 8, true}, 4);
  expect_depthwise_matches(*array, cv, {8, false, 8, true}, 5);
  expect_depthwise_matches(*array, cv, {3, true, 6, true}, 6);
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
  // A vector without a valid row would leave no sum to count.
  EXPECT_THROW(array->stream(
                   1, [](size_t, FusionVector&) {}, [](size_t, const int32_t*) {}),
               std::invalid_argument);
}

TEST(FusionArrayTrace, WritesAVcd) {
  const std::string path = ::testing::TempDir() + "/fusion_array.vcd";
  {
    auto array = make_fusion_array_rtl(2, 3, /*trace=*/true);
    array->trace_open(path);
    const Conv cv{3, 3, 3, 3, 1, 1};
    expect_conv_matches(*array, cv, {8, false, 8, true}, 1);
    array->trace_close();
  }
  FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string text(1 << 16, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  for (const char* signal : {"psum_valid", "act_per_unit", "wgt_q", "act_q"}) {
    EXPECT_NE(text.find(signal), std::string::npos) << signal;
  }
  std::remove(path.c_str());
}

}  // namespace
