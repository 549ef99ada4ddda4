// `--backend rtl` for BitFusion (the verilated Fusion Unit array as the compute stage's core) and
// `--backend systemc` (the behavioural core) give identical cycles, stage statistics, DRAM
// traffic and details, and both match the reference accumulators bit for bit: every precision
// pair, signed and unsigned inputs, every layer kind, partial-sum spills and every loop order on
// the 2 x 3 variant; real MobileNet layer shapes on the 16 x 32 reference instance. The RTL core
// measures the fill/drain on the array and checks every step against it, so this also checks the
// behavioural model's bitfusion_fill_drain_cycles() against the hardware description, which
// RtlMeasuresTheBehaviouralFillDrain asserts directly for every built variant.
// Whole networks at 224 through both backends: the contract suite's long variant
// (tests/contract).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/input_error.h"
#include "models/zoo.h"
#include "rtl/bitfusion/fusion_array_rtl.h"
#include "sim/bitfusion/bitfusion_machine.h"
#include "sim/bitfusion/bitfusion_systemc_model.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/cost_model.h"
#include "sim/common/layer_job.h"
#include "sim/registry.h"
#include "tests/sim/bitfusion_fixtures.h"
#include "tests/sim/layer_fixtures.h"

namespace haqsim {
namespace {

using bitfusion::BitFusionSystemCModel;

LayerWorkload conv_layer(int in_c, int out_c, int hw, int kernel, int stride, int groups, int batch,
                         bool input_signed) {
  return testing::conv_workload(in_c, out_c, hw, kernel, stride, groups, batch, input_signed);
}

// One model per backend, kept across layers as the CLI does.
struct Pair {
  explicit Pair(const ArchConfig& config)
      : systemc(bitfusion::make_systemc_model(config, Backend::kSystemC)),
        rtl(bitfusion::make_systemc_model(config, Backend::kRtl)) {}
  std::unique_ptr<BitFusionSystemCModel> systemc, rtl;
};

std::string describe(const LayerWorkload& layer, LayerBits bits) {
  return layer.name + " " + layer.shape_string() + " w" + std::to_string(bits.wbits) + "a" +
         std::to_string(bits.abits) + (layer.input_signed ? " signed" : " unsigned");
}

void expect_same_stats(const LayerStats& a, const LayerStats& b, const std::string& what) {
  EXPECT_EQ(a.cycles, b.cycles) << what;
  EXPECT_EQ(a.compute_cycles, b.compute_cycles) << what;
  EXPECT_EQ(a.stall_cycles, b.stall_cycles) << what;
  ASSERT_EQ(a.stages.size(), b.stages.size()) << what;
  for (std::size_t s = 0; s < a.stages.size(); ++s) {
    EXPECT_EQ(a.stages[s].busy, b.stages[s].busy) << what << " " << a.stages[s].name;
    EXPECT_EQ(a.stages[s].wait_token, b.stages[s].wait_token) << what << " " << a.stages[s].name;
    EXPECT_EQ(a.stages[s].wait_memory, b.stages[s].wait_memory) << what << " " << a.stages[s].name;
  }
  EXPECT_EQ(a.dram_read_bytes, b.dram_read_bytes) << what;
  EXPECT_EQ(a.dram_write_bytes, b.dram_write_bytes) << what;
  EXPECT_EQ(a.energy.total_pj(), b.energy.total_pj()) << what;
  // Every detail but the core's name (fill/drain, stalls, tiling, steps...).
  ASSERT_EQ(a.details.size(), b.details.size()) << what;
  for (std::size_t d = 0; d < a.details.size(); ++d) {
    if (a.details[d].first != "core") {
      EXPECT_EQ(a.details[d], b.details[d]) << what;
    }
  }
}

std::string core_of(const LayerStats& s) {
  for (const auto& [key, value] : s.details) {
    if (key == "core") return value;
  }
  return "";
}

// Runs one job through both backends; returns the RTL's result.
LayerJobResult expect_same(Pair& models, const LayerWorkload& layer, LayerBits bits,
                           uint64_t seed = 11) {
  const LayerJob job = make_synthetic_job(layer, bits, seed);
  const LayerJobResult a = models.systemc->run(job);
  LayerJobResult b = models.rtl->run(job);
  const std::string what = describe(layer, bits);
  EXPECT_EQ(b.accumulators, reference_accumulators(job)) << what;
  EXPECT_EQ(a.accumulators, b.accumulators) << what;
  EXPECT_EQ(core_of(a.stats), "behavioural");
  EXPECT_EQ(core_of(b.stats), "rtl");
  expect_same_stats(a.stats, b.stats, what);
  return b;
}

// --- the fill/drain constant against the RTL ---------------------------------------------------

// For every verilated shape: V vectors streamed into the empty array have their last sum in the
// OBUF (added at the edge closing the cycle it leaves the array in, one cycle after the step it
// was read after) exactly V + bitfusion_fill_drain_cycles() cycles after the first one entered.
TEST(BitFusionRtlBackend, RtlMeasuresTheBehaviouralFillDrain) {
  ASSERT_FALSE(rtl::fusion_array_rtl_variants().empty());
  for (const rtl::FusionArrayShape& shape : rtl::fusion_array_rtl_variants()) {
    auto array = rtl::make_fusion_array_rtl(shape.rows, shape.cols);
    BitFusionConfig config;
    config.rows = shape.rows;
    config.cols = shape.cols;
    for (std::size_t vectors : {1u, 7u}) {
      const uint64_t steps = array->stream(
          vectors, [](std::size_t, rtl::FusionVector& v) { v.row_valid = 1; },
          [](std::size_t, const int32_t*) {});
      EXPECT_EQ(int64_t(steps) + 1, int64_t(vectors) + bitfusion_fill_drain_cycles(config))
          << shape.rows << "x" << shape.cols << ", " << vectors << " vectors";
    }
  }
}

// --- 2 x 3 variant, tiny buffers
// ------------------------------------------------------------------

TEST(BitFusionRtlBackend, SmallArrayEveryBitPairSignedAndUnsigned) {
  Pair models(testing::tiny_bitfusion_config());
  for (bool is_signed : {false, true}) {
    // 5 -> 7 channels, 3x3 stride 2 on 7x7, batch 2: nothing divides the array or the tiles.
    const LayerWorkload layer = conv_layer(5, 7, 7, 3, 2, 1, 2, is_signed);
    for (int w = 1; w <= 8; ++w) {
      for (int a = 1; a <= 8; ++a) expect_same(models, layer, {w, a});
    }
  }
}

TEST(BitFusionRtlBackend, SmallArrayEveryLayerKind) {
  Pair models(testing::tiny_bitfusion_config());
  expect_same(models, conv_layer(19, 13, 5, 1, 1, 1, 3, true), {4, 7});  // pointwise, batch 3
  expect_same(models, conv_layer(19, 13, 5, 1, 1, 1, 1, false), {2, 2});
  expect_same(models, conv_layer(10, 10, 9, 3, 2, 10, 1, false), {4, 3});  // depthwise
  expect_same(models, conv_layer(10, 10, 7, 3, 1, 10, 2, true), {8, 8});
  expect_same(models, conv_layer(7, 7, 6, 3, 1, 7, 1, false), {1, 1});
  expect_same(models, conv_layer(9, 9, 6, 5, 1, 9, 1, true), {3, 5});   // 25 taps: 2 tap chunks
  expect_same(models, conv_layer(8, 12, 5, 3, 1, 4, 1, true), {5, 6});  // 4 groups
  // Depthwise on the act_per_unit extension (each Fusion Unit its own activation word).
  Pair per_unit(testing::with_taps_on_rows(testing::tiny_bitfusion_config()));
  expect_same(per_unit, conv_layer(10, 10, 9, 3, 2, 10, 1, false), {4, 3});
  expect_same(per_unit, conv_layer(7, 7, 6, 3, 1, 7, 1, false), {8, 8});
  expect_same(per_unit, conv_layer(9, 9, 6, 5, 1, 9, 1, true), {3, 5});
  // Fully connected (1x1 map, 1x1 kernel): the weights change every cycle.
  const LayerWorkload fc = lower_layer(build_mobilenet_v1([] {
                                         NetworkSpec s;
                                         s.resolution = 32;
                                         s.classes = 10;
                                         return s;
                                       }())
                                           .quantizable(27),
                                       2);
  ASSERT_EQ(fc.kind, LayerKind::kFullyConnected);
  Pair fc_models(testing::small_bitfusion_config(2, 3, 4096, 1024, 512));
  expect_same(fc_models, fc, {2, 8});
  expect_same(fc_models, fc, {8, 3});
}

// Every loop order and a spread of tile sizes, including input-channel tiles outside the output
// loops (partial sums spill to DRAM and come back), through the machine directly.
TEST(BitFusionRtlBackend, SmallArrayEveryLoopOrderAndPartialSumSpills) {
  const ArchConfig config = testing::small_bitfusion_config(2, 3, 4096, 4096, 4096);
  const LayerWorkload layer = conv_layer(9, 5, 6, 3, 1, 1, 2, true);
  const LayerBits bits{8, 8};
  const LayerJob job = make_synthetic_job(layer, bits, 11);
  const std::vector<int32_t> reference = reference_accumulators(job);
  auto behavioural = bitfusion::make_behavioural_core(bitfusion_config(config));
  auto rtl = bitfusion::make_rtl_core(bitfusion_config(config));
  int spilled = 0;
  testing::for_each_loop_order(
      layer, config, bits,
      {{{1, 3, 2, 1}, 6}, {{2, 5, 4, 2}, 6}, {{1, 3, 8, 1}, 4}, {{2, 5, 9, 6}, 6}},
      [&](const BitFusionTiling& t, const bitfusion::TileSchedule& s) {
        std::vector<int32_t> acc_b, acc_r;
        const bitfusion::MachineActivity a =
            bitfusion::run_bitfusion_machine(job, s, config, *behavioural, acc_b);
        const bitfusion::MachineActivity r =
            bitfusion::run_bitfusion_machine(job, s, config, *rtl, acc_r);
        ASSERT_EQ(acc_r, reference) << describe(t);
        ASSERT_EQ(acc_b, reference) << describe(t);
        EXPECT_EQ(a.cycles, r.cycles) << describe(t);
        EXPECT_EQ(a.vectors, r.vectors) << describe(t);
        EXPECT_EQ(a.fill_drain_cycles, r.fill_drain_cycles) << describe(t);
        EXPECT_EQ(a.drain_during_stalls, r.drain_during_stalls) << describe(t);
        for (const auto& [x, y] : {std::pair{a.load, r.load}, std::pair{a.compute, r.compute},
                                   std::pair{a.store, r.store}}) {
          EXPECT_EQ(x.busy, y.busy) << describe(t) << " " << x.name;
          EXPECT_EQ(x.wait_token, y.wait_token) << describe(t) << " " << x.name;
          EXPECT_EQ(x.wait_memory, y.wait_memory) << describe(t) << " " << x.name;
        }
        EXPECT_EQ(a.dram_read_bytes, r.dram_read_bytes) << describe(t);
        EXPECT_EQ(a.dram_write_bytes, r.dram_write_bytes) << describe(t);
        spilled += r.partial_read_bits > 0;
      });
  EXPECT_GT(spilled, 0);
}

// A layer the RTL core refuses midway (an operand wider than the layer's precision cannot be
// packed) leaves the core usable: the next layer starts from an empty array.
TEST(BitFusionRtlBackend, AnAbandonedLayerLeavesTheCoreUsable) {
  Pair models(testing::tiny_bitfusion_config());
  const LayerWorkload layer = conv_layer(6, 7, 7, 3, 1, 1, 1, false);
  LayerJob bad = make_synthetic_job(layer, {4, 4}, 3);
  bad.input.back() = 1000;  // not a 4-bit value, in the last step
  EXPECT_ANY_THROW(models.rtl->run(bad));
  expect_same(models, layer, {4, 4});
  expect_same(models, conv_layer(6, 6, 7, 3, 1, 6, 1, false), {8, 2});
}

// --- 16 x 32 reference instance ---------------------------------------------------------------

// Real MobileNet layer shapes (standard, depthwise, pointwise, projection, fc) at 32 x 32: the RTL
// steps every cycle of a 512-unit array, so the maps are small.
TEST(BitFusionRtlBackend, ReferenceArrayOnMobileNetLayers) {
  Pair models(load_arch_config("arch-configs/bitfusion.yaml"));
  NetworkSpec spec;
  spec.resolution = 32;
  const auto v1 = lower_network(build_mobilenet_v1(spec));
  for (int index : {0, 1, 2, 25, 27}) {
    expect_same(models, v1[index], {8, 8});
    expect_same(models, v1[index], {2, 3});
  }
  const auto v2 = lower_network(build_mobilenet_v2(spec));
  for (int index : {1, 3, 5, 51}) expect_same(models, v2[index], {5, 4});
}

TEST(BitFusionRtlBackend, UnbuiltShapeIsAClearError) {
  ArchConfig c = load_arch_config("arch-configs/bitfusion.yaml");
  bitfusion_config(c).rows = 8;
  bitfusion_config(c).cols = 8;
  try {
    make_cost_model(c, Backend::kRtl);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bitfusion.rows"), std::string::npos) << what;
    EXPECT_NE(what.find("2x3, 16x32"), std::string::npos) << what;
    EXPECT_NE(what.find("8x8"), std::string::npos) << what;
  }
}

// --- whole networks at 224 (label "long") -------------------------------------------------------

}  // namespace
}  // namespace haqsim
