// The cycle-accurate BitFusion model computes real layers bit-exactly (against the direct
// convolution in sim/common/layer_job.cpp, which shares no code with the tiling, the schedule or
// the core), for every precision pair, signedness, layer kind, loop order and tiling regime
// (partial-sum spills included); it agrees with the analytic model in compute cycles and traffic;
// and lower precision costs less energy. What every machine must do is checked by the contract
// suite (tests/contract).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "base/input_error.h"
#include "base/int_math.h"
#include "base/yaml_input.h"
#include "models/zoo.h"
#include "sim/bitfusion/bitfusion_analytic.h"
#include "sim/bitfusion/bitfusion_machine.h"
#include "sim/bitfusion/bitfusion_systemc_model.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/layer_job.h"
#include "sim/registry.h"
#include "tests/sim/bitfusion_fixtures.h"
#include "tests/sim/layer_fixtures.h"

namespace haqsim {
namespace {

ArchConfig small_config(int rows, int cols, int64_t wbuf, int64_t ibuf, int64_t obuf) {
  return testing::small_bitfusion_config(rows, cols, wbuf, ibuf, obuf);
}

LayerWorkload conv_layer(int in_c, int out_c, int hw, int kernel, int stride, int groups, int batch,
                         bool input_signed) {
  return testing::conv_workload(in_c, out_c, hw, kernel, stride, groups, batch, input_signed);
}

std::unique_ptr<bitfusion::BitFusionSystemCModel> behavioural(const ArchConfig& c,
                                                              bool verify = true) {
  ModelOptions options;
  options.verify = verify;
  return bitfusion::make_systemc_model(c, Backend::kSystemC, options);
}

std::string detail(const LayerStats& s, const std::string& key) {
  for (const auto& [k, v] : s.details) {
    if (k == key) return v;
  }
  return "";
}

LayerJobResult expect_exact(bitfusion::BitFusionSystemCModel& model, const LayerWorkload& layer,
                            LayerBits bits, uint64_t seed = 7) {
  const LayerJob job = make_synthetic_job(layer, bits, seed);
  LayerJobResult r = model.run(job);
  EXPECT_EQ(r.accumulators, reference_accumulators(job))
      << layer.shape_string() << " w" << bits.wbits << "a" << bits.abits
      << (layer.input_signed ? " signed" : " unsigned") << " " << detail(r.stats, "tiling");
  EXPECT_GT(r.stats.cycles, r.stats.compute_cycles);
  return r;
}

ArchConfig tiny() {
  return testing::tiny_bitfusion_config();
}

TEST(BitFusionSystemC, EveryBitPairSignedAndUnsigned) {
  auto model = behavioural(tiny());
  for (bool is_signed : {false, true}) {
    // 5 -> 7 channels, 3x3 stride 2 on 7x7, batch 2: nothing divides the array or the tiles.
    const LayerWorkload layer = conv_layer(5, 7, 7, 3, 2, 1, 2, is_signed);
    for (int w = 1; w <= 8; ++w) {
      for (int a = 1; a <= 8; ++a) expect_exact(*model, layer, {w, a});
    }
  }
}

TEST(BitFusionSystemC, PointwiseDepthwiseGroupedAndFullyConnected) {
  auto model = behavioural(tiny());
  expect_exact(*model, conv_layer(19, 13, 5, 1, 1, 1, 3, true), {4, 7});  // pointwise, batch 3
  expect_exact(*model, conv_layer(19, 13, 5, 1, 1, 1, 1, false), {2, 2});
  expect_exact(*model, conv_layer(10, 10, 9, 3, 2, 10, 1, false), {4, 3});  // depthwise
  expect_exact(*model, conv_layer(10, 10, 7, 3, 1, 10, 2, true), {8, 8});
  expect_exact(*model, conv_layer(8, 12, 5, 3, 1, 4, 1, true), {5, 6});  // 4 groups
  const LayerJobResult dw = expect_exact(*model, conv_layer(7, 7, 6, 3, 1, 7, 1, false), {1, 1});
  EXPECT_EQ(dw.stats.mapping, "dw:row_shared");
  // 1 bit runs at the 2-bit rate: 2 rows x 16 lanes hold the 9 taps of 3 channels (all 3
  // columns busy), one vector per pixel and group of 3 channels: 3 groups x 36 pixels.
  EXPECT_EQ(dw.stats.compute_cycles, 3 * 36);
  // At 8/8 the 2 lanes hold part of one channel's taps: 5 chunks per channel and pixel on one
  // busy column; the act_per_unit extension runs 3 channels at once on the 3 columns.
  const LayerWorkload dw8 = conv_layer(7, 7, 6, 3, 1, 7, 1, false);
  EXPECT_EQ(expect_exact(*model, dw8, {8, 8}).stats.compute_cycles, 7 * 5 * 36);
  auto per_unit = behavioural(testing::with_taps_on_rows(tiny()));
  const LayerJobResult apu = expect_exact(*per_unit, dw8, {8, 8});
  EXPECT_EQ(apu.stats.mapping, "dw:taps_on_rows");
  EXPECT_EQ(apu.stats.compute_cycles, 3 * 5 * 36);
  Network net = build_mobilenet_v1([] {
    NetworkSpec s;
    s.resolution = 32;
    s.classes = 10;
    return s;
  }());
  const LayerWorkload fc = lower_layer(net.quantizable(27), 2);
  ASSERT_EQ(fc.kind, LayerKind::kFullyConnected);
  auto fc_model = behavioural(small_config(4, 4, 4096, 1024, 512));
  expect_exact(*fc_model, fc, {2, 8});
}

// Every loop order and a spread of tile sizes, including input-channel tiles outside the output
// loops (partial sums spill to DRAM and come back): exact results, and the schedule's DRAM
// traffic equals what the tiler counted for that tiling.
TEST(BitFusionSystemC, EveryLoopOrderAndPartialSumSpills) {
  const ArchConfig config = small_config(2, 2, 4096, 4096, 4096);
  const LayerWorkload layer = conv_layer(9, 5, 6, 3, 1, 1, 2, true);
  const LayerBits bits{8, 8};
  const LayerJob job = make_synthetic_job(layer, bits, 11);
  const std::vector<int32_t> reference = reference_accumulators(job);
  auto core = bitfusion::make_behavioural_core(bitfusion_config(config));
  int spilled = 0;
  testing::for_each_loop_order(
      layer, config, bits,
      {{{1, 2, 2, 1}, 6}, {{2, 4, 4, 2}, 6}, {{1, 2, 8, 1}, 4}, {{2, 5, 9, 6}, 6}},
      [&](const BitFusionTiling& t, const bitfusion::TileSchedule& s) {
        std::vector<int32_t> acc;
        const bitfusion::MachineActivity a =
            bitfusion::run_bitfusion_machine(job, s, config, *core, acc);
        ASSERT_EQ(acc, reference) << describe(t);
        EXPECT_EQ(a.vectors, t.compute_cycles) << describe(t);
        EXPECT_EQ(a.weight_load_bits, t.weight_read_bits) << describe(t);
        EXPECT_EQ(a.input_load_bits, t.input_read_bits) << describe(t);
        EXPECT_EQ(a.partial_read_bits, t.output_read_bits) << describe(t);
        EXPECT_EQ(a.output_write_bits, t.output_write_bits) << describe(t);
        spilled += a.partial_read_bits > 0;
      });
  EXPECT_GT(spilled, 0);
}

TEST(BitFusionSystemC, StagesOverlapAndAccountForEveryCycle) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  auto model = behavioural(config);
  NetworkSpec spec;
  spec.resolution = 64;
  const Network net = build_mobilenet_v2(spec);
  for (const LayerWorkload& layer : lower_network(net)) {
    const LayerStats s = model->evaluate(layer, {4, 4});
    ASSERT_TRUE(s.bit_exact.value_or(false)) << layer.name;
    ASSERT_EQ(s.stages.size(), 3u);
    for (const StageStats& st : s.stages) {
      EXPECT_LE(st.busy + st.wait_token + st.wait_memory, s.cycles) << layer.name << " " << st.name;
    }
    const int64_t fill_drain = std::stoll(detail(s, "fill_drain_cycles"));
    const int64_t memory = std::stoll(detail(s, "memory_stall_cycles"));
    EXPECT_EQ(fill_drain, bitfusion_fill_drain_cycles(bitfusion_config(config))) << layer.name;
    EXPECT_GE(memory, 0) << layer.name;
    EXPECT_EQ(s.compute_cycles + fill_drain + memory, s.cycles) << layer.name;
  }
}

// Compute cycles equal BitFusion's formula summed over the tiles, exactly; total cycles agree
// with the analytic model within 20% on the reference instance (the issue's closing note
// tabulates the differences: the analytic step model is an average over tiles).
TEST(BitFusionSystemC, AgreesWithTheAnalyticModel) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  auto model = behavioural(config, /*verify=*/false);
  BitFusionAnalytic analytic(config);
  NetworkSpec spec;
  spec.resolution = 64;  // keeps the test fast; shapes and mappings as at 224
  for (const Network& net : {build_mobilenet_v1(spec), build_mobilenet_v2(spec)}) {
    for (const LayerWorkload& layer : lower_network(net)) {
      for (LayerBits bits : {LayerBits{8, 8}, LayerBits{4, 4}, LayerBits{2, 3}}) {
        const LayerStats sc = model->evaluate(layer, bits);
        const LayerStats an = analytic.evaluate(layer, bits);
        EXPECT_EQ(sc.compute_cycles, an.compute_cycles) << net.name << " " << layer.name;
        // The same traffic; the SystemC model rounds each request up to whole bytes.
        const double sc_bytes = double(sc.dram_read_bytes + sc.dram_write_bytes);
        const double an_bytes = double(an.dram_read_bytes + an.dram_write_bytes);
        EXPECT_NEAR(sc_bytes / an_bytes, 1.0, 0.01) << net.name << " " << layer.name;
        EXPECT_NEAR(double(sc.cycles) / double(an.cycles), 1.0, 0.20)
            << net.name << " " << layer.name << " w" << bits.wbits << "a" << bits.abits
            << ": systemc " << sc.cycles << " analytic " << an.cycles;
      }
    }
  }
}

// BitFusion's analytic compute model, batch * ceil(oc/M) * oh*ow * kh*kw * ceil(ic/(N*pf)) per
// convolution group, against the SystemC model's compute cycles (vectors) for MobileNet-V1/V2 at
// 224, 8/8, on the reference instance; prints the per-layer table. Standard, pointwise and fc
// layers match it exactly: the tiler only picks tiles whose output channels are a multiple of M
// and input channels a multiple of N * pf (or the whole dimension), so the formula summed over
// tiles is the whole layer's. Depthwise layers do not follow it: read per group (ic = oc = 1) the
// formula runs one channel on one Fusion Unit, kh*kw cycles per pixel; dw:row_shared puts the
// taps of floor(N*pf/taps) channels on the reduction lanes (one channel at 8/8), ceil(C/that) *
// ceil(taps/(N*pf)) cycles per pixel (9 times fewer than the formula at 8/8). For compute-bound
// layers the table also gives the total cycles' excess over the formula and where it goes: DRAM
// time over compute (dram/cmp, at the 192-bit interface), memory stalls (first load, last store,
// steps whose loads or OBUF turnaround outlast their compute) and the final fill/drain.
TEST(BitFusionSystemC, ComputeCyclesAgainstThePaperFormula) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  const BitFusionConfig& f = bitfusion_config(config);
  const double bw = double(config.dram.ports) * config.dram.port_width_bits;
  auto model = behavioural(config, /*verify=*/false);
  const NetworkSpec spec;  // 224 x 224
  const LayerBits bits{8, 8};
  const int64_t pf = bitfusion_products_per_unit(bits.wbits, bits.abits), lanes = f.rows * pf;
  for (const Network& net : {build_mobilenet_v1(spec), build_mobilenet_v2(spec)}) {
    std::printf("\n%s at 224, w8a8, %dx%d Fusion Units\n", net.name.c_str(), f.rows, f.cols);
    std::printf("%3s %-16s %-6s %9s %9s %7s %9s %-7s %8s %7s %4s %7s\n", "#", "layer", "kind",
                "formula", "systemc", "diff", "cycles", "bound", "dram/cmp", "stall", "f/d",
                "excess");
    int64_t formula_total = 0, vectors_total = 0;
    for (const LayerWorkload& l : lower_network(net)) {
      const bool dw = l.kind == LayerKind::kDepthwise;
      const int64_t oc = l.out_channels / l.groups, ic = l.in_channels / l.groups;
      const int64_t pixels = int64_t(l.batch) * l.out_height * l.out_width;
      const int64_t taps = int64_t(l.kernel_h) * l.kernel_w;
      const int64_t formula = l.groups * ceil_div(oc, f.cols) * pixels * taps * ceil_div(ic, lanes);
      const LayerStats s = model->evaluate(l, bits);
      std::printf("%3d %-16s %-6s %9lld %9lld %6.1f%% %9lld %-7s", l.quant_index, l.name.c_str(),
                  dw ? "dw" : to_string(l.kind), static_cast<long long>(formula),
                  static_cast<long long>(s.compute_cycles),
                  100.0 * double(s.compute_cycles - formula) / double(formula),
                  static_cast<long long>(s.cycles), s.memory_bound ? "memory" : "compute");
      if (!s.memory_bound) {
        const double dram = double(s.dram_read_bytes + s.dram_write_bytes) * 8 / bw;
        std::printf(" %8.2f %7s %4s %6.1f%%", dram / double(s.compute_cycles),
                    detail(s, "memory_stall_cycles").c_str(),
                    detail(s, "fill_drain_cycles").c_str(),
                    100.0 * double(s.cycles - formula) / double(formula));
      }
      std::printf("\n");
      formula_total += formula;
      vectors_total += s.compute_cycles;
      if (dw) {
        // dw:row_shared at 8/8: the 16 lanes hold one channel's 9 taps, one busy column.
        const int64_t per_vector = std::min<int64_t>(f.cols, taps <= lanes ? lanes / taps : 1);
        EXPECT_EQ(s.compute_cycles,
                  ceil_div(l.out_channels, per_vector) * pixels * ceil_div(taps, lanes))
            << net.name << " " << l.name;
      } else {
        EXPECT_EQ(s.compute_cycles, formula) << net.name << " " << l.name;
      }
    }
    std::printf("total: formula %lld, systemc %lld\n", static_cast<long long>(formula_total),
                static_cast<long long>(vectors_total));
  }
}

// Uniform 4/4 takes less energy than 8/8 on every layer of both networks at 224.
TEST(BitFusionSystemC, FourBitsCostLessEnergyThanEightOnEveryLayer) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  auto model = behavioural(config, /*verify=*/false);
  const NetworkSpec spec;  // 224 x 224, as the report
  for (const Network& net : {build_mobilenet_v1(spec), build_mobilenet_v2(spec)}) {
    for (const LayerWorkload& layer : lower_network(net)) {
      const LayerStats e8 = model->evaluate(layer, {8, 8});
      const LayerStats e4 = model->evaluate(layer, {4, 4});
      EXPECT_LT(e4.energy.total_pj(), e8.energy.total_pj()) << net.name << " " << layer.name;
      // Depthwise layers: 9 taps fit the 16 reduction lanes at 8 bits already, so 4 bits do not
      // shorten compute; their saving is in buffer and DRAM bits.
      EXPECT_LE(e4.energy.compute_pj, e8.energy.compute_pj) << net.name << " " << layer.name;
      EXPECT_LT(e4.energy.buffer_pj, e8.energy.buffer_pj) << net.name << " " << layer.name;
      EXPECT_LT(e4.energy.dram_pj, e8.energy.dram_pj) << net.name << " " << layer.name;
    }
  }
}

// The shipped BitFusion config with `from` replaced by `to` (each must occur once).
ArchConfig shipped_with(const std::vector<std::pair<std::string, std::string>>& edits) {
  std::ifstream in("arch-configs/bitfusion.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& [from, to] : edits) {
    const size_t at = text.find(from);
    if (at == std::string::npos) throw std::logic_error("not in bitfusion.yaml: " + from);
    text.replace(at, from.size(), to);
  }
  return parse_arch_config(YamlInput::load_string(text, "edited-bitfusion.yaml"), text);
}

// The published array's depthwise mapping is the default; the per-unit activation ports that
// dw:taps_on_rows needs are an explicit extension, refused without them and charged in area and
// energy when present; output precision is a key.
TEST(BitFusionConfigKeys, DepthwiseMappingActPerUnitAndOutputPrecision) {
  const ArchConfig shipped = load_arch_config("arch-configs/bitfusion.yaml");
  EXPECT_EQ(bitfusion_config(shipped).depthwise_mapping, BitFusionDepthwiseMapping::kRowShared);
  try {
    shipped_with({{"depthwise_mapping: row_shared", "depthwise_mapping: taps_on_rows"}});
    ADD_FAILURE() << "taps_on_rows without act_per_unit was accepted";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("edited-bitfusion.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find("depthwise_mapping"), std::string::npos) << message;
    EXPECT_NE(message.find("act_per_unit: true"), std::string::npos) << message;
  }
  const ArchConfig per_unit =
      shipped_with({{"depthwise_mapping: row_shared", "depthwise_mapping: taps_on_rows"},
                    {"act_per_unit: false", "act_per_unit: true"}});
  const BitFusionConfig& f = bitfusion_config(per_unit);
  EXPECT_NEAR(f.estimated_area_mm2() - bitfusion_config(shipped).estimated_area_mm2(),
              f.act_per_unit_area_mm2, 1e-12);
  EXPECT_GT(f.act_per_unit_area_mm2, 0.0);

  NetworkSpec spec;
  spec.resolution = 64;
  const auto v1 = lower_network(build_mobilenet_v1(spec));
  const LayerWorkload& dw = v1[1];
  ASSERT_EQ(dw.kind, LayerKind::kDepthwise);
  auto row_shared = behavioural(shipped, /*verify=*/true);
  auto taps_on_rows = behavioural(per_unit, /*verify=*/true);
  const LayerJobResult a = expect_exact(*row_shared, dw, {8, 8});
  const LayerJobResult b = expect_exact(*taps_on_rows, dw, {8, 8});
  EXPECT_EQ(a.stats.mapping, "dw:row_shared");
  EXPECT_EQ(b.stats.mapping, "dw:taps_on_rows");
  // 32 channels per vector against one: the extension is 32x faster in compute at 8/8 ...
  EXPECT_EQ(a.stats.compute_cycles, 32 * b.stats.compute_cycles);
  // ... and pays for its ports per activation bit delivered.
  auto port_bits = [](const LayerStats& s) {
    for (const auto& buffer : s.buffers) {
      if (buffer.name == "ibuf_unit_ports") return buffer.read_bits;
    }
    return int64_t{0};
  };
  EXPECT_EQ(port_bits(a.stats), 0);
  EXPECT_EQ(port_bits(b.stats), dw.macs() * 8);

  // 32-bit outputs, as the authors' simulator writes them: 4x the final-output traffic at 8/8.
  const ArchConfig partial =
      shipped_with({{"output_precision: requantized", "output_precision: partial_sums"}});
  const LayerWorkload& pw = v1[2];
  const LayerStats q = make_cost_model(shipped, Backend::kAnalytic)->evaluate(pw, {8, 8});
  const LayerStats p = make_cost_model(partial, Backend::kAnalytic)->evaluate(pw, {8, 8});
  EXPECT_EQ(q.dram_write_bytes, pw.output_elements());
  EXPECT_EQ(p.dram_write_bytes, 4 * pw.output_elements());
}

}  // namespace
}  // namespace haqsim
