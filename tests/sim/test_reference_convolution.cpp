// The shared layer reference (sim/common/layer_job.h) against the definition of a convolution
// written as plainly as possible here: one int64 sum per output over every tap, padding by
// bounds check, wrapped to int32 at the end. Geometries cover each fast path of the reference
// and the edges of its blocks (widths and channel counts that are not multiples of a vector or
// a register block, strides, asymmetric pads, dilation, groups, batches, 1x1 spatial fc), and
// operands reach the full int32 range so the modulo-2^32 wrap-around is exercised.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "sim/common/layer_job.h"

namespace haqsim {
namespace {

struct Geometry {
  int batch, in_c, out_c, in_h, in_w, k_h, k_w, stride_h, stride_w, dil_h, dil_w;
  int pad_top, pad_left, pad_bottom, pad_right, groups;
};

LayerWorkload workload(const Geometry& g) {
  LayerWorkload l;
  l.name = "test";
  l.batch = g.batch;
  l.in_channels = g.in_c;
  l.out_channels = g.out_c;
  l.in_height = g.in_h;
  l.in_width = g.in_w;
  l.kernel_h = g.k_h;
  l.kernel_w = g.k_w;
  l.stride_h = g.stride_h;
  l.stride_w = g.stride_w;
  l.dilation_h = g.dil_h;
  l.dilation_w = g.dil_w;
  l.pad_top = g.pad_top;
  l.pad_left = g.pad_left;
  l.pad_bottom = g.pad_bottom;
  l.pad_right = g.pad_right;
  l.groups = g.groups;
  l.out_height = (g.in_h + g.pad_top + g.pad_bottom - g.dil_h * (g.k_h - 1) - 1) / g.stride_h + 1;
  l.out_width = (g.in_w + g.pad_left + g.pad_right - g.dil_w * (g.k_w - 1) - 1) / g.stride_w + 1;
  const bool depthwise = g.groups == g.in_c && g.groups == g.out_c && g.groups > 1;
  const bool one_by_one = g.k_h == 1 && g.k_w == 1;
  l.kind = depthwise ? LayerKind::kDepthwise
           : one_by_one
               ? (g.in_h == 1 && g.in_w == 1 ? LayerKind::kFullyConnected : LayerKind::kPointwise)
               : LayerKind::kConv;
  l.gemm_m = g.out_c / g.groups;
  l.gemm_k = int64_t(g.in_c / g.groups) * g.k_h * g.k_w;
  l.gemm_n = int64_t(g.batch) * l.out_height * l.out_width;
  return l;
}

std::vector<int32_t> plain_convolution(const LayerJob& job) {
  const LayerWorkload& l = job.layer;
  const int icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  std::vector<int32_t> out;
  for (int b = 0; b < l.batch; ++b) {
    for (int oc = 0; oc < l.out_channels; ++oc) {
      for (int oy = 0; oy < l.out_height; ++oy) {
        for (int ox = 0; ox < l.out_width; ++ox) {
          uint64_t sum = 0;  // modulo 2^64, whose low 32 bits are the sum modulo 2^32
          for (int ic = 0; ic < icg; ++ic) {
            const int c = oc / ocg * icg + ic;
            for (int ky = 0; ky < l.kernel_h; ++ky) {
              for (int kx = 0; kx < l.kernel_w; ++kx) {
                const int iy = oy * l.stride_h - l.pad_top + ky * l.dilation_h;
                const int ix = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
                if (iy < 0 || iy >= l.in_height || ix < 0 || ix >= l.in_width) continue;
                const uint64_t w = uint64_t(int64_t(
                    job.weights[((size_t(oc) * icg + ic) * l.kernel_h + ky) * l.kernel_w + kx]));
                const uint64_t x = uint64_t(int64_t(
                    job.input[((size_t(b) * l.in_channels + c) * l.in_height + iy) * l.in_width +
                              ix]));
                sum += w * x;
              }
            }
          }
          out.push_back(static_cast<int32_t>(static_cast<uint32_t>(sum)));
        }
      }
    }
  }
  return out;
}

const Geometry kGeometries[] = {
    // batch in out  h   w  kh kw sh sw dh dw pt pl pb pr groups
    {1, 19, 37, 5, 7, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1},     // pointwise, odd everything
    {2, 64, 24, 9, 15, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1},    // pointwise, batch
    {1, 12, 18, 6, 11, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 3},    // grouped pointwise
    {1, 8, 8, 17, 23, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1},     // strided 1x1
    {3, 40, 13, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1},     // fc
    {1, 300, 5, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1},     // fc, long K
    {2, 21, 21, 13, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 21},  // depthwise 3x3 s1
    {1, 10, 10, 14, 21, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, 10},  // depthwise s2, TF-style pads
    {1, 6, 6, 12, 12, 5, 5, 1, 1, 2, 2, 4, 4, 4, 4, 6},     // depthwise dilated 5x5
    {1, 3, 17, 23, 29, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1},    // stem conv s2
    {2, 7, 5, 9, 10, 7, 1, 1, 1, 1, 1, 3, 0, 3, 0, 1},      // 7x1
    {1, 8, 12, 11, 9, 3, 2, 2, 1, 1, 2, 2, 0, 1, 3, 4},     // grouped, mixed everything
    {1, 4, 4, 3, 3, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1},       // kernel wider than the image
};

std::string describe(const Geometry& g) {
  return "geometry in " + std::to_string(g.in_c) + "x" + std::to_string(g.in_h) + "x" +
         std::to_string(g.in_w) + " out " + std::to_string(g.out_c) + " k" + std::to_string(g.k_h) +
         "x" + std::to_string(g.k_w) + " groups " + std::to_string(g.groups);
}

TEST(ReferenceConvolution, MatchesThePlainDefinitionAtEveryPrecision) {
  for (const Geometry& g : kGeometries) {
    for (LayerBits bits : {LayerBits{8, 8}, LayerBits{4, 4}, LayerBits{2, 6}, LayerBits{1, 1}}) {
      for (bool input_signed : {true, false}) {
        LayerWorkload l = workload(g);
        l.input_signed = input_signed;
        const LayerJob job = make_synthetic_job(l, bits, 7);
        ASSERT_EQ(reference_accumulators(job), plain_convolution(job))
            << describe(g) << " bits " << bits.wbits << "/" << bits.abits;
      }
    }
  }
}

TEST(ReferenceConvolution, WrapsModulo2To32LikeA32BitAccumulator) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  for (const Geometry& g : kGeometries) {
    LayerJob job = make_synthetic_job(workload(g), {8, 8}, 3);
    for (auto& w : job.weights) w = any(rng);
    for (auto& x : job.input) x = any(rng);
    ASSERT_EQ(reference_accumulators(job), plain_convolution(job)) << describe(g);
  }
}

TEST(ReferenceConvolution, ZeroWeightsGiveZeroOutputs) {
  LayerJob job = make_synthetic_job(workload(kGeometries[6]), {8, 8}, 5);
  std::fill(job.weights.begin(), job.weights.end(), 0);
  const std::vector<int32_t> out = reference_accumulators(job);
  EXPECT_EQ(out.size(), size_t(job.layer.output_elements()));
  EXPECT_EQ(std::count(out.begin(), out.end(), 0), std::ptrdiff_t(out.size()));
}

}  // namespace
}  // namespace haqsim
