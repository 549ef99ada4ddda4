// Analytic models on small layers whose numbers are computed by hand in the comments.
#include <gtest/gtest.h>

#include "base/input_error.h"
#include "models/zoo.h"
#include "sim/bismo/bismo_analytic.h"
#include "sim/bismo/dpu_array_core.h"
#include "sim/bismo/gemm_mapping.h"
#include "sim/bitfusion/bitfusion_analytic.h"
#include "sim/bitfusion/tiler.h"
#include "sim/registry.h"

namespace haqsim {
namespace {

ArchConfig small_bismo() {
  ArchConfig c;
  c.name = "small";
  c.type = "bismo";
  c.clock_mhz = 100;
  c.dram = {1, 64, 10, 16, 10.0};  // 8 bytes per cycle, latency 10
  BismoConfig b;
  b.dm = 2;
  b.dk = 64;
  b.dn = 2;
  b.lhs_depth = 64;
  b.rhs_depth = 64;
  b.instruction_overhead_cycles = 1;
  b.dpu_pj_per_binary_op = 1.0;
  b.buffer_read_pj_per_bit = 0;
  b.buffer_write_pj_per_bit = 0;
  c.machine = std::make_unique<BismoConfig>(b);
  return c;
}

LayerWorkload pointwise(int in_c, int out_c, int hw, int batch = 1) {
  LayerWorkload w;
  w.name = "pw";
  w.kind = LayerKind::kPointwise;
  w.batch = batch;
  w.in_channels = in_c;
  w.out_channels = out_c;
  w.in_height = w.in_width = w.out_height = w.out_width = hw;
  w.gemm_m = out_c;
  w.gemm_k = in_c;
  w.gemm_n = int64_t(batch) * hw * hw;
  return w;
}

TEST(BismoAnalytic, HandComputedPointwise) {
  // M = 4, K = 64, N = 4 on a 2 x 64 x 2 array at w2/a3:
  // k_words = 1, m_tiles = n_tiles = 2, bit pairs = 6 -> 24 instructions of 1 word + 1 overhead,
  // plus the DPU pipeline drain after each of the 4 output tiles.
  BismoAnalytic model(small_bismo());
  LayerWorkload w = pointwise(64, 4, 2);
  LayerStats s = model.evaluate(w, {2, 3});
  EXPECT_EQ(s.compute_cycles, 48 + 4 * bismo::kDpuDrainCycles);
  // LHS: 4 rows x 64 bits x 2 planes = 64 B; RHS: 4 cols x 64 bits x 3 planes = 96 B, each
  // fetched once (everything fits). Results: 16 x 4 B.
  EXPECT_EQ(s.dram_read_bytes, 160);
  EXPECT_EQ(s.dram_write_bytes, 64);
  // Reads 160 B / 8 = 20 cycles, writes 64 B / 8 = 8 on their own AXI channel: compute-bound.
  // The first step's LHS (64 B) and RHS (48 B) requests arrive by cycle 10 + 14 = 24; after the
  // last tile, its write (2 cycles) and the response (10) take 12 more.
  EXPECT_FALSE(s.memory_bound);
  EXPECT_EQ(s.cycles, s.compute_cycles + 24 + 12);
  // Energy: 24 streamed cycles x 2 x 2 x 64 binary ops x 1 pJ.
  EXPECT_DOUBLE_EQ(s.energy.compute_pj, 24.0 * 256);
}

TEST(BismoAnalytic, KSplitWhenBuffersAreSmall) {
  ArchConfig c = small_bismo();
  bismo_config(c).lhs_depth = 4;  // 2-word regions: K of 5 words x 8 planes cannot fit
  bismo_config(c).rhs_depth = 4;
  BismoTilePlan p = plan_bismo_tiles({1, 2, 320, 2}, bismo_config(c), 8, 8);
  EXPECT_TRUE(p.k_split);
  EXPECT_EQ(p.k_words, 5);
  EXPECT_EQ(p.k_chunk_words, 1);  // 2 words per region / 8 planes -> at least 1
  EXPECT_EQ(p.execute_stream_cycles, 64 * 5);
}

TEST(BismoAnalytic, DepthwiseMappings) {
  BismoConfig b = bismo_config(small_bismo());
  Network net = build_mobilenet_v1({});
  LayerWorkload dw = lower_layer(net.quantizable(1), 1);  // 32 channels, 3x3, 112x112
  BismoLayerMapping per_channel = map_layer_to_bismo(dw, b, BismoMappingKind::kPerChannel, 8);
  EXPECT_EQ(per_channel.gemm.count, 32);
  EXPECT_EQ(per_channel.gemm.m, 1);
  BismoLayerMapping block = map_layer_to_bismo(dw, b, BismoMappingKind::kBlockDiagonal, 8);
  EXPECT_EQ(block.gemm.count, 16);
  EXPECT_EQ(block.gemm.m, 2);
  EXPECT_EQ(block.gemm.k, 18);
  // Block-diagonal fills both rows: twice the utilization of per-channel on a 2-row array.
  EXPECT_NEAR(block.mapping_utilization, 2 * per_channel.mapping_utilization, 1e-12);
  // Weight planes: a channel's 2 planes on the 2 rows as 1-bit unsigned operands.
  BismoLayerMapping planes = map_layer_to_bismo(dw, b, BismoMappingKind::kWeightPlanes, 2);
  EXPECT_EQ(planes.gemm.count, 32);
  EXPECT_EQ(planes.gemm.m, 2);
  EXPECT_EQ(planes.gemm.k, 9);
  EXPECT_EQ(planes.lhs_bits, 1);
  EXPECT_FALSE(planes.lhs_signed);
  // auto offers every depthwise mapping; a pointwise layer has one.
  b.depthwise_mapping = BismoDepthwiseMapping::kAuto;
  EXPECT_EQ(candidate_mappings(dw, b).size(), 3u);
  EXPECT_EQ(candidate_mappings(lower_layer(net.quantizable(2), 1), b).size(), 1u);
}

TEST(BismoAnalytic, CostGrowsWithBitsAndEdgeIsMoreMemoryBoundThanCloud) {
  ArchConfig edge = load_arch_config("arch-configs/bismo-edge.yaml");
  BismoAnalytic model(edge);
  Network net = build_mobilenet_v1({});
  LayerWorkload pw = lower_layer(net.quantizable(14), 1);
  EXPECT_GT(model.evaluate(pw, {8, 8}).compute_cycles, model.evaluate(pw, {4, 8}).compute_cycles);
  EXPECT_GT(model.evaluate(pw, {4, 8}).compute_cycles, model.evaluate(pw, {4, 4}).compute_cycles);
}

TEST(BitFusion, ProductsPerUnit) {
  EXPECT_EQ(bitfusion_products_per_unit(8, 8), 1);
  EXPECT_EQ(bitfusion_products_per_unit(4, 8), 2);
  EXPECT_EQ(bitfusion_products_per_unit(4, 4), 4);
  EXPECT_EQ(bitfusion_products_per_unit(2, 8), 4);
  EXPECT_EQ(bitfusion_products_per_unit(2, 4), 8);
  EXPECT_EQ(bitfusion_products_per_unit(2, 2), 16);
  EXPECT_EQ(bitfusion_products_per_unit(3, 3), 4);  // 3 bits run at the 4-bit rate
  EXPECT_EQ(bitfusion_products_per_unit(5, 7), 1);  // 5..7 at the 8-bit rate
  EXPECT_EQ(bitfusion_products_per_unit(1, 1), 16);
}

TEST(BitFusionAnalytic, ComputeCyclesFollowThePaperFormula) {
  ArchConfig c = load_arch_config("arch-configs/bitfusion.yaml");
  bitfusion_config(c).wbuf_bytes = bitfusion_config(c).ibuf_bytes = bitfusion_config(c).obuf_bytes =
      1 << 26;
  BitFusionAnalytic model(c);
  LayerWorkload w = pointwise(64, 64, 14);
  w.kind = LayerKind::kConv;
  w.kernel_h = w.kernel_w = 3;
  w.pad_top = w.pad_left = w.pad_bottom = w.pad_right = 1;
  w.gemm_k = 64 * 9;
  // batch * ceil(oc/32) * oh*ow*kh*kw * ceil(ic/(16*pf))
  EXPECT_EQ(model.evaluate(w, {8, 8}).compute_cycles, 1 * 2 * 196 * 9 * 4);
  EXPECT_EQ(model.evaluate(w, {4, 4}).compute_cycles, 1 * 2 * 196 * 9 * 1);
  EXPECT_EQ(model.evaluate(w, {2, 2}).compute_cycles, 1 * 2 * 196 * 9 * 1);
  // Energy: 4/4 below 8/8.
  EXPECT_LT(model.evaluate(w, {4, 4}).energy.total_pj(),
            model.evaluate(w, {8, 8}).energy.total_pj());
}

TEST(BitFusionAnalytic, TilesFitHalfOfEachBuffer) {
  ArchConfig c = load_arch_config("arch-configs/bitfusion.yaml");
  Network net = build_mobilenet_v1({});
  for (const LayerWorkload& w : lower_network(net)) {
    BitFusionTiling t = choose_bitfusion_tiling(w, c, {8, 8});
    const int64_t to = t.tile[kLoopOut], ti = t.depthwise ? 1 : t.tile[kLoopIn];
    EXPECT_LE(to * ti * w.kernel_h * w.kernel_w * 8, bitfusion_config(c).wbuf_bytes * 8 / 2)
        << w.name;
    EXPECT_LE(t.tile[kLoopBatch] * to * t.tile[kLoopSpatial] * t.tile_cols * 32,
              bitfusion_config(c).obuf_bytes * 8 / 2)
        << w.name;
    EXPECT_GE(t.cycles, t.compute_cycles);
  }
}

TEST(BitFusionAnalytic, TinyBuffersAreRefusedByName) {
  ArchConfig c = load_arch_config("arch-configs/bitfusion.yaml");
  bitfusion_config(c).wbuf_bytes = 16;
  Network net = build_mobilenet_v1({});
  try {
    choose_bitfusion_tiling(lower_layer(net.quantizable(2), 1), c, {8, 8});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bitfusion.wbuf_bytes"), std::string::npos);
  }
}

}  // namespace
}  // namespace haqsim
