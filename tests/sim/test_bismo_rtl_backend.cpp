// `--backend rtl` (the verilated array as the execute stage's core) and `--backend systemc`
// (behavioural popcounts) give identical cycle counts, stage statistics and outputs, and both
// match the reference. The RTL core measures the DPU drain on the RTL, so this also checks the
// behavioural model's pipeline depth against the hardware description.
#include <gtest/gtest.h>

#include "base/input_error.h"
#include "models/zoo.h"
#include "sim/bismo/bismo_systemc_model.h"
#include "sim/common/layer_job.h"
#include "sim/registry.h"
#include "tests/sim/layer_fixtures.h"

namespace haqsim {
namespace {

LayerWorkload conv_layer(int in_c, int out_c, int hw, int kernel, int stride, int groups,
                         bool input_signed) {
  return testing::conv_workload(in_c, out_c, hw, kernel, stride, groups, 1, input_signed);
}

void expect_same(const ArchConfig& config, const LayerWorkload& layer, LayerBits bits) {
  auto behavioural = bismo::make_systemc_model(config, Backend::kSystemC);
  auto rtl = bismo::make_systemc_model(config, Backend::kRtl);
  const LayerJob job = make_synthetic_job(layer, bits, 11);
  const LayerJobResult a = behavioural->run(job), b = rtl->run(job);
  const std::string what =
      layer.shape_string() + " w" + std::to_string(bits.wbits) + "a" + std::to_string(bits.abits);
  ASSERT_EQ(a.accumulators, reference_accumulators(job)) << what;
  ASSERT_EQ(b.accumulators, a.accumulators) << what;
  EXPECT_EQ(a.stats.cycles, b.stats.cycles) << what;
  EXPECT_EQ(a.stats.compute_cycles, b.stats.compute_cycles) << what;
  for (std::size_t s = 0; s < a.stats.stages.size(); ++s) {
    EXPECT_EQ(a.stats.stages[s].busy, b.stats.stages[s].busy) << what;
    EXPECT_EQ(a.stats.stages[s].wait_token, b.stats.stages[s].wait_token) << what;
    EXPECT_EQ(a.stats.stages[s].wait_memory, b.stats.stages[s].wait_memory) << what;
  }
}

ArchConfig small_rtl_config() {
  // The 2 x 64 x 3 variant verilated for tests.
  ArchConfig c = load_arch_config("arch-configs/bismo-edge.yaml");
  BismoConfig& b = bismo_config(c);
  b.dm = 2;
  b.dk = 64;
  b.dn = 3;
  b.lhs_depth = b.rhs_depth = 64;
  return c;
}

TEST(BismoRtlBackend, SmallArrayAllBitPairs) {
  const ArchConfig c = small_rtl_config();
  const LayerWorkload conv = conv_layer(5, 7, 6, 3, 2, 1, true);
  for (int w = 1; w <= 8; ++w) {
    for (int a = 1; a <= 8; ++a) expect_same(c, conv, {w, a});
  }
  expect_same(c, conv_layer(6, 6, 5, 3, 1, 6, false), {4, 4});   // depthwise
  expect_same(c, conv_layer(70, 5, 3, 1, 1, 1, false), {8, 8});  // k-split regions of 32 words
}

TEST(BismoRtlBackend, EdgeArrayOnMobileNetLayers) {
  const ArchConfig edge = load_arch_config("arch-configs/bismo-edge.yaml");
  NetworkSpec spec;
  spec.resolution = 32;  // real MobileNet-V1 layer shapes, small maps: the RTL steps every cycle
  const auto layers = lower_network(build_mobilenet_v1(spec));
  for (int index : {0, 1, 2, 13, 14, 27}) {
    expect_same(edge, layers[index], {8, 8});
    expect_same(edge, layers[index], {2, 3});
  }
}

// Names the config file, the key and the shapes that were built, as BitFusion's does (the CLI
// exits 2 with it).
TEST(BismoRtlBackend, UnbuiltShapeIsAClearError) {
  ArchConfig c = small_rtl_config();
  bismo_config(c).dn = 5;
  try {
    make_cost_model(c, Backend::kRtl);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bismo-edge.yaml"), std::string::npos) << what;
    EXPECT_NE(what.find("bismo.dm"), std::string::npos) << what;
    EXPECT_NE(what.find("2x64x3, 8x256x8, 16x256x16"), std::string::npos) << what;
    EXPECT_NE(what.find("2x64x5"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace haqsim
