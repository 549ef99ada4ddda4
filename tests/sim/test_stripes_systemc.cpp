// Stripes' own claims, beyond the contract every machine keeps (tests/contract): compute time
// scales with activation bits only (16/p over a 16-bit bit-parallel baseline, the paper's headline)
// and not with weight bits, except fully connected layers, which gain nothing from activation
// bits; the mappings and the pass timing as stripes_plan.h states them; the memory behaviour
// (inputs resident in NM or reloaded, weights double-buffered per filter set); undersized buffers
// refused by name.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "base/input_error.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "sim/stripes/stripes_config.h"
#include "sim/stripes/stripes_plan.h"
#include "sim/stripes/stripes_systemc_model.h"
#include "tests/sim/layer_fixtures.h"

namespace haqsim {
namespace {

ArchConfig shipped() {
  return load_arch_config("arch-configs/stripes.yaml");
}

std::unique_ptr<stripes::StripesSystemCModel> systemc(const ArchConfig& config) {
  ModelOptions options;
  options.verify = false;
  return stripes::make_systemc_model(config, Backend::kSystemC, options);
}

// The pass formula of stripes_plan.h on hand-counted layers of the shipped 16 x 16 x 16 x 16
// instance.
TEST(StripesPlan, PassesAndCyclesAsStated) {
  const ArchConfig config = shipped();
  // 3x3 conv, 40 -> 300 channels, 10x10 (100 windows): bricks = 9 taps x ceil(40/16) = 27;
  // filter sets = ceil(300/256) = 2; window sets = ceil(100/16) = 7.
  const LayerWorkload conv = testing::conv_workload(40, 300, 10, 3, 1, 1, 1, false);
  const stripes::Plan p = stripes::plan_layer(conv, config, {8, 5});
  EXPECT_EQ(p.mapping, stripes::Mapping::kConv);
  EXPECT_EQ(p.bricks, 27);
  EXPECT_EQ(p.filter_sets, 2);
  EXPECT_EQ(p.window_sets, 7);
  ASSERT_EQ(p.passes.size(), 14u);
  EXPECT_EQ(p.passes[0].stream_cycles, 1 + 27 * 5);
  EXPECT_EQ(p.passes[0].tiles, 16);
  EXPECT_EQ(p.passes[7].tiles, 3);  // 44 filters left
  EXPECT_EQ(p.passes[7].filters, 44);
  EXPECT_EQ(p.passes.back().windows, 100 - 6 * 16);
  // Weights once per filter set; the whole input once (it fits half of NM), during the first set.
  EXPECT_EQ(p.weight_bits(), 300 * 40 * 9 * 8);
  EXPECT_EQ(p.input_bits(), 40 * 10 * 10 * 5);
  EXPECT_EQ(p.passes[7].input_bits, 0);
  EXPECT_EQ(p.output_bits(), 300 * 100 * 5);

  // Depthwise: blocks of 16 channels on one tile, one brick per tap.
  const LayerWorkload dw = testing::conv_workload(40, 40, 10, 3, 2, 40, 1, false);
  const stripes::Plan d = stripes::plan_layer(dw, config, {8, 8});
  EXPECT_EQ(d.mapping, stripes::Mapping::kLaneDiagonal);
  EXPECT_EQ(d.groups, 3);
  EXPECT_EQ(d.bricks, 9);
  EXPECT_EQ(d.passes.back().filters, 8);
  EXPECT_EQ(d.passes.back().tiles, 1);
  EXPECT_EQ(d.weight_bits(), 40 * 9 * 8);

  // Fully connected, one image: 1000 outputs over 4 filter sets, 64 bricks (1024 inputs)
  // through min(16 columns, 8 bits) = 8 column groups: 1 + 63 % 8 + (63 / 8 + 1) x 8 + 7.
  LayerWorkload fc = testing::conv_workload(1024, 1000, 1, 1, 1, 1, 1, false);
  fc.kind = LayerKind::kFullyConnected;
  const stripes::Plan f = stripes::plan_layer(fc, config, {8, 8});
  EXPECT_EQ(f.mapping, stripes::Mapping::kColumnPipelined);
  EXPECT_EQ(f.column_groups, 8);
  EXPECT_EQ(f.passes[0].stream_cycles, 1 + 7 + 8 * 8 + 7);
  EXPECT_EQ(stripes::plan_layer(fc, config, {8, 2}).passes[0].stream_cycles, 1 + 1 + 32 * 2 + 1);
}

// Compute cycles per layer kind at 16, 8, 4, 2 activation bits against 16 bits, on MobileNet-V1
// at 224 (systemc): convolutions and depthwise layers scale as p/16 up to the one-cycle weight
// preload per pass; weight bits never change compute time; fully connected layers do not speed
// up. Prints the per-kind ratios of compute and total cycles (the closing note quotes them).
TEST(StripesScaling, ComputeScalesWithActivationBitsOnly) {
  const ArchConfig config = shipped();
  auto model = systemc(config);
  const auto layers = lower_network(build_mobilenet_v1({}));
  for (const LayerWorkload& layer : layers) {
    const LayerStats base = model->evaluate(layer, {8, 16});
    const stripes::Plan plan16 = stripes::plan_layer(layer, config, {8, 16});
    EXPECT_EQ(base.compute_cycles, plan16.compute_cycles()) << layer.name;
    // The one-cycle weight preload of each pass is what keeps the ratio above p/16.
    const double preload = 1.0 / double(1 + 16 * plan16.bricks);
    for (int p : {8, 4, 2}) {
      const LayerStats s = model->evaluate(layer, {8, p});
      const double compute = double(s.compute_cycles) / double(base.compute_cycles);
      if (layer.kind == LayerKind::kFullyConnected) {
        // About one brick per cycle whatever p; what changes is the column groups' stagger
        // and reduction (P - 1 cycles each, P = min(16, p)).
        EXPECT_GT(compute, 0.6) << layer.name << " p=" << p;
      } else {
        EXPECT_GE(compute, p / 16.0) << layer.name << " p=" << p;
        EXPECT_LE(compute, p / 16.0 + preload) << layer.name << " p=" << p;
      }
    }
    // Weight bits: the same compute cycles at 2 and 8 bits.
    EXPECT_EQ(model->evaluate(layer, {2, 8}).compute_cycles,
              model->evaluate(layer, {8, 8}).compute_cycles)
        << layer.name;
  }
  // The per-kind ratios on both networks (the closing note quotes them).
  for (const Network& net : {build_mobilenet_v1({}), build_mobilenet_v2({})}) {
    std::printf(
        "%-12s %-8s %6s %6s %6s   %6s %6s %6s   (cycles at p / at 16; c compute, t total)\n",
        net.name.c_str(), "kind", "c8", "c4", "c2", "t8", "t4", "t2");
    for (LayerKind kind : {LayerKind::kConv, LayerKind::kDepthwise, LayerKind::kPointwise,
                           LayerKind::kFullyConnected}) {
      double compute[4] = {}, total[4] = {};
      const int bits[4] = {16, 8, 4, 2};
      for (const LayerWorkload& layer : lower_network(net)) {
        if (layer.kind != kind) continue;
        for (int i = 0; i < 4; ++i) {
          const LayerStats s = model->evaluate(layer, {8, bits[i]});
          compute[i] += double(s.compute_cycles);
          total[i] += double(s.cycles);
        }
      }
      std::printf("%-12s %-8s %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f\n", "", to_string(kind),
                  compute[1] / compute[0], compute[2] / compute[0], compute[3] / compute[0],
                  total[1] / total[0], total[2] / total[0], total[3] / total[0]);
    }
  }
}

// A small NM makes every pass reload its input rows (more traffic), a large one keeps the input
// resident; both are exact (the contract suite runs the small instance) and the first costs more
// DRAM reads.
TEST(StripesMemory, InputsReloadedWhenNeuronMemoryIsSmall) {
  ArchConfig config = shipped();
  const LayerWorkload layer = testing::conv_workload(64, 64, 28, 3, 1, 1, 1, false);
  const stripes::Plan resident = stripes::plan_layer(layer, config, {8, 8});
  stripes_config(config).nm_bytes = 32768;  // 16 KiB halves: a pass's rows, not the input
  const stripes::Plan reloaded = stripes::plan_layer(layer, config, {8, 8});
  EXPECT_TRUE(resident.inputs_resident);
  EXPECT_FALSE(reloaded.inputs_resident);
  EXPECT_EQ(resident.input_bits(), 64 * 28 * 28 * 8);
  EXPECT_GT(reloaded.input_bits(), resident.input_bits());
  auto model = stripes::make_systemc_model(config, Backend::kSystemC);
  const LayerStats s = model->evaluate(layer, {8, 8});
  EXPECT_TRUE(s.bit_exact.value_or(false));
  // At 8 bits every request is a whole number of bytes: the machine read what the plan says.
  EXPECT_EQ(s.dram_read_bytes * 8, reloaded.weight_bits() + reloaded.input_bits());
}

TEST(StripesMemory, UndersizedBuffersAreRefusedByName) {
  ArchConfig config = shipped();
  stripes_config(config).sb_bytes_per_tile = 1024;
  const LayerWorkload layer = testing::conv_workload(512, 512, 7, 3, 1, 1, 1, false);
  try {
    stripes::plan_layer(layer, config, {8, 8});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("stripes.sb_bytes_per_tile"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("stripes.yaml"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace haqsim
