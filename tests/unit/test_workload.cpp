// Lowering layers to the GEMM/conv workloads the hardware sees.
#include <gtest/gtest.h>

#include "models/workload.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

TEST(Lowering, StandardConvIm2col) {
  Network net = build_mobilenet_v1({});
  LayerWorkload w = lower_layer(net.quantizable(0), 1);
  EXPECT_EQ(w.gemm_m, 32);
  EXPECT_EQ(w.gemm_k, 3 * 3 * 3);
  EXPECT_EQ(w.gemm_n, 112 * 112);
  EXPECT_EQ(w.groups, 1);
  EXPECT_EQ(w.macs(), 32LL * 27 * 112 * 112);
  EXPECT_TRUE(w.input_signed);  // the image is normalized, not post-ReLU
  // Stride 2 with a 3x3 kernel: each input element lands in ~9/4 columns.
  EXPECT_NEAR(w.im2col_expansion(), 27.0 * 112 * 112 / (3 * 224 * 224), 1e-12);
}

TEST(Lowering, DepthwiseIsOneGemmPerChannel) {
  Network net = build_mobilenet_v1({});
  LayerWorkload w = lower_layer(net.quantizable(1), 1);
  EXPECT_EQ(w.kind, LayerKind::kDepthwise);
  EXPECT_EQ(w.groups, 32);
  EXPECT_EQ(w.gemm_m, 1);
  EXPECT_EQ(w.gemm_k, 9);
  EXPECT_EQ(w.gemm_n, 112 * 112);
  EXPECT_FALSE(w.input_signed);
}

TEST(Lowering, PointwiseAndFcWithBatch) {
  Network net = build_mobilenet_v1({});
  LayerWorkload pw = lower_layer(net.quantizable(2), 16);
  EXPECT_EQ(pw.gemm_m, 64);
  EXPECT_EQ(pw.gemm_k, 32);
  EXPECT_EQ(pw.gemm_n, 16 * 112 * 112);
  EXPECT_DOUBLE_EQ(pw.im2col_expansion(), 1.0);
  LayerWorkload fc = lower_layer(net.quantizable(27), 16);
  EXPECT_EQ(fc.gemm_m, 1000);
  EXPECT_EQ(fc.gemm_k, 1024);
  EXPECT_EQ(fc.gemm_n, 16);
}

TEST(Lowering, PackedBytes) {
  EXPECT_EQ(packed_bytes(10, 8), 10);
  EXPECT_EQ(packed_bytes(10, 3), 4);  // 30 bits
  EXPECT_EQ(packed_bytes(1, 1), 1);
}

TEST(Lowering, NetworkOrderMatchesQuantIndex) {
  Network net = build_mobilenet_v2({});
  auto all = lower_network(net);
  ASSERT_EQ(all.size(), 53u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].quant_index, int(i));
}

}  // namespace
}  // namespace haqsim
