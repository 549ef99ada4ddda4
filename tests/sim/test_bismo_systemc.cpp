// The cycle-accurate BISMO model computes real layers bit-exactly (against the direct
// convolution in sim/common/layer_job.cpp, which shares no code with the lowering, packing or
// DPU paths), for every precision pair, signedness, mapping and tiling regime. What every
// machine must do (cycles independent of data, many runs per process, analytic agreement, rtl ==
// systemc) is checked for all of them by the contract suite (tests/contract).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "models/zoo.h"
#include "sim/bismo/bismo_config.h"
#include "sim/bismo/bismo_systemc_model.h"
#include "sim/bismo/gemm_mapping.h"
#include "sim/bismo/gemm_operands.h"
#include "sim/common/layer_job.h"
#include "sim/registry.h"
#include "tests/sim/layer_fixtures.h"

namespace haqsim {
namespace {

ArchConfig small_config(int dm, int dk, int dn, int depth = 256) {
  ArchConfig c;
  c.name = "test";
  c.type = "bismo";
  c.clock_mhz = 100;
  c.dram = {2, 64, 7, 16, 10.0};
  BismoConfig b;
  b.dm = dm;
  b.dk = dk;
  b.dn = dn;
  b.lhs_depth = b.rhs_depth = depth;
  b.result_depth = 2;
  b.instruction_overhead_cycles = 1;
  c.machine = std::make_unique<BismoConfig>(b);
  return c;
}

LayerWorkload conv_layer(int in_c, int out_c, int hw, int kernel, int stride, int groups, int batch,
                         bool input_signed) {
  return testing::conv_workload(in_c, out_c, hw, kernel, stride, groups, batch, input_signed);
}

std::unique_ptr<bismo::BismoSystemCModel> behavioural(const ArchConfig& c) {
  return bismo::make_systemc_model(c, Backend::kSystemC);
}

void expect_exact(bismo::BismoSystemCModel& model, const LayerWorkload& layer, LayerBits bits,
                  uint64_t seed = 7) {
  const LayerJob job = make_synthetic_job(layer, bits, seed);
  const LayerJobResult r = model.run(job);
  ASSERT_EQ(r.accumulators, reference_accumulators(job))
      << layer.shape_string() << " w" << bits.wbits << "a" << bits.abits
      << (layer.input_signed ? " signed" : " unsigned");
  EXPECT_GT(r.stats.cycles, 0);
}

TEST(BismoSystemC, EveryBitPairSignedAndUnsigned) {
  auto model = behavioural(small_config(2, 64, 3));
  for (bool is_signed : {false, true}) {
    // K = 5*3*3 = 45 (< Dk), M = 7 and N = 2*4*4 = 32: neither a multiple of the array.
    const LayerWorkload layer = conv_layer(5, 7, 8, 3, 2, 1, 2, is_signed);
    for (int w = 1; w <= 8; ++w) {
      for (int a = 1; a <= 8; ++a) expect_exact(*model, layer, {w, a});
    }
  }
}

TEST(BismoSystemC, MultiWordKAndLargerArrays) {
  auto model = behavioural(small_config(4, 128, 4));
  expect_exact(*model, conv_layer(40, 12, 6, 3, 1, 1, 1, false), {8, 8});  // K = 360: 3 words
  expect_exact(*model, conv_layer(40, 12, 6, 3, 1, 1, 1, true), {3, 5});
  auto wide = behavioural(small_config(3, 256, 5));
  expect_exact(*wide, conv_layer(300, 10, 4, 1, 1, 1, 3, true), {4, 7});  // pointwise, batch 3
}

TEST(BismoSystemC, KSplitWhenTheBuffersAreSmall) {
  // 8-word regions cannot hold K = 5 words x 8 planes: K is streamed in chunks.
  auto model = behavioural(small_config(2, 64, 2, 16));
  const LayerWorkload layer = conv_layer(320, 3, 3, 1, 1, 1, 1, true);
  const LayerJob job = make_synthetic_job(layer, {8, 8}, 3);
  const LayerJobResult r = model->run(job);
  EXPECT_EQ(r.accumulators, reference_accumulators(job));
  bool split = false;
  for (const auto& [key, value] : r.stats.details)
    split |= value.find("k_split=yes") != std::string::npos;
  EXPECT_TRUE(split);
}

TEST(BismoSystemC, DepthwiseMappingsAndGroupedConv) {
  for (auto mapping : {BismoDepthwiseMapping::kPerChannel, BismoDepthwiseMapping::kBlockDiagonal,
                       BismoDepthwiseMapping::kWeightPlanes, BismoDepthwiseMapping::kAuto}) {
    ArchConfig c = small_config(4, 64, 2);
    bismo_config(c).depthwise_mapping = mapping;
    auto model = behavioural(c);
    // 10 channels: the last block-diagonal tile holds 2 of 4.
    expect_exact(*model, conv_layer(10, 10, 7, 3, 2, 10, 1, false), {4, 3});
    expect_exact(*model, conv_layer(10, 10, 7, 3, 1, 10, 2, true), {8, 8});
  }
  auto model = behavioural(small_config(2, 64, 2));
  expect_exact(*model, conv_layer(8, 12, 5, 3, 1, 4, 1, true), {5, 6});  // 4 groups
}

TEST(BismoSystemC, FullyConnected) {
  auto model = behavioural(small_config(4, 256, 2));
  Network net = build_mobilenet_v1([] {
    NetworkSpec s;
    s.resolution = 32;
    s.classes = 10;
    return s;
  }());
  expect_exact(*model, lower_layer(net.quantizable(27), 2), {2, 8});
}

TEST(BismoSystemC, StagesOverlapAndAccountForEveryCycle) {
  ArchConfig edge = load_arch_config("arch-configs/bismo-edge.yaml");
  auto model = behavioural(edge);
  Network net = build_mobilenet_v1({});
  LayerStats s = model->evaluate(lower_layer(net.quantizable(6), 1), {4, 4});
  ASSERT_EQ(s.stages.size(), 3u);
  for (const StageStats& st : s.stages) {
    EXPECT_LE(st.busy + st.wait_token + st.wait_memory, s.cycles) << st.name;
  }
  // Fetch and execute ran concurrently: their busy times add up to more than the total would
  // allow if they were serialized with the result stage.
  EXPECT_LT(s.cycles, s.stages[0].busy + s.stages[1].busy + s.stages[2].busy);
  EXPECT_TRUE(s.bit_exact.value_or(false));
}

// The block of RHS columns the fetch stage reads (its pointwise fast path included: batch
// boundaries, groups, channels past the group) equals the columns one at a time, for every kind
// of layer and mapping.
TEST(BismoSystemC, ColumnBlocksEqualSingleColumns) {
  const ArchConfig c = small_config(4, 64, 3);
  struct Case {
    LayerWorkload layer;
    BismoMappingKind kind;
  };
  const std::vector<Case> cases = {
      {conv_layer(24, 16, 5, 1, 1, 1, 3, false), BismoMappingKind::kGemm},
      {conv_layer(24, 16, 5, 1, 1, 2, 2, true), BismoMappingKind::kGrouped},
      {conv_layer(8, 12, 6, 3, 2, 1, 2, false), BismoMappingKind::kGemm},
      {conv_layer(8, 8, 6, 3, 1, 8, 2, false), BismoMappingKind::kPerChannel},
      {conv_layer(8, 8, 6, 3, 1, 8, 2, false), BismoMappingKind::kBlockDiagonal},
      {conv_layer(8, 8, 6, 3, 1, 8, 2, false), BismoMappingKind::kWeightPlanes},
  };
  int64_t compared = 0;
  for (const Case& t : cases) {
    const LayerJob job = make_synthetic_job(t.layer, {4, 4}, 9);
    const BismoLayerMapping mapping = map_layer_to_bismo(t.layer, bismo_config(c), t.kind, 4);
    const bismo::GemmOperands operands(job, mapping);
    const BismoGemm& g = mapping.gemm;
    for (int64_t gi = 0; gi < g.count; ++gi) {
      for (int64_t n0 : {int64_t(0), int64_t(7), g.n - 5}) {
        const int64_t count = std::min<int64_t>(11, g.n - n0);
        std::vector<int32_t> block(size_t(count * g.k)), one(size_t(g.k));
        operands.input_columns(gi, n0, count, block.data());
        for (int64_t i = 0; i < count; ++i) {
          operands.input_column(gi, n0 + i, one.data());
          ASSERT_TRUE(std::equal(one.begin(), one.end(), block.begin() + i * g.k))
              << mapping.name << " instance " << gi << " column " << n0 + i;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 300);
}

}  // namespace
}  // namespace haqsim
