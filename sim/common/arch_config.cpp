#include "sim/common/arch_config.h"

#include <fmt/format.h>

#include <cmath>

#include "base/atomic_file.h"

namespace haqsim {

const char* to_string(AcceleratorType type) {
  return type == AcceleratorType::kBismo ? "bismo" : "bitfusion";
}

const char* to_string(BismoDepthwiseMapping mapping) {
  return mapping == BismoDepthwiseMapping::kPerChannel ? "per_channel" : "block_diagonal";
}

const char* to_string(BitFusionDepthwiseMapping) {
  return "taps_on_rows";
}

double BismoConfig::estimated_luts() const {
  return dm * dn * (1.17 * dk + 44.1);
}

int64_t BismoConfig::estimated_bram36() const {
  auto ceil_div = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  return ceil_div(dk, 32) * (dm * ceil_div(lhs_depth, 1024) + dn * ceil_div(rhs_depth, 1024));
}

double BitFusionConfig::estimated_area_mm2() const {
  const double reference_units = 16.0 * 32.0;
  return core_area_mm2 * (rows * cols / reference_units) + (total_area_mm2 - core_area_mm2);
}

namespace {

constexpr int64_t kMaxDim = 4096;
constexpr int64_t kMaxOperandBits = 8;

bool is_power_of_two(int64_t v) {
  return v > 0 && (v & (v - 1)) == 0;
}

int power_of_two(const YamlInput& in, const std::string& key, int64_t min, int64_t max) {
  int64_t v = in.integer(key, min, max);
  if (!is_power_of_two(v)) {
    in.fail(key, fmt::format("a power of two in [{}, {}]", min, max), std::to_string(v));
  }
  return static_cast<int>(v);
}

DramConfig parse_dram(const YamlInput& in) {
  DramConfig d;
  d.ports = static_cast<int>(in.integer("ports", 1, 64));
  d.port_width_bits = static_cast<int>(in.integer("port_width_bits", 8, 4096));
  if (d.port_width_bits % 8 != 0) {
    in.fail("port_width_bits", "a multiple of 8", std::to_string(d.port_width_bits));
  }
  d.latency_cycles = static_cast<int>(in.integer("latency_cycles", 0, 100000));
  d.max_burst_beats = static_cast<int>(in.integer("max_burst_beats", 1, 256));
  d.energy_pj_per_bit = in.number("energy_pj_per_bit", 0, 1e6);
  in.reject_unknown_keys();
  return d;
}

BismoConfig parse_bismo(const YamlInput& in, const YamlInput& energy, const YamlInput& device) {
  BismoConfig b;
  b.dm = static_cast<int>(in.integer("dm", 1, kMaxDim));
  b.dk = power_of_two(in, "dk", 8, kMaxDim);  // bit planes are packed in bytes
  b.dn = static_cast<int>(in.integer("dn", 1, kMaxDim));
  // Each half of a buffer (the other half is being fetched) must hold one Dk-bit word of every
  // bit plane of an 8-bit operand, or no tile of an 8-bit layer fits (the planner's smallest
  // K chunk): 2 x 8 words at least.
  b.lhs_depth = power_of_two(in, "lhs_depth", 2 * kMaxOperandBits, 1 << 24);
  b.rhs_depth = power_of_two(in, "rhs_depth", 2 * kMaxOperandBits, 1 << 24);
  b.result_depth = static_cast<int>(in.integer("result_depth", 1, 1 << 16));
  b.instruction_overhead_cycles =
      static_cast<int>(in.integer("instruction_overhead_cycles", 0, 1000));
  std::string mapping =
      in.choice_or("depthwise_mapping", "block_diagonal", {"per_channel", "block_diagonal"});
  b.depthwise_mapping = mapping == "per_channel" ? BismoDepthwiseMapping::kPerChannel
                                                 : BismoDepthwiseMapping::kBlockDiagonal;
  in.reject_unknown_keys();

  b.dpu_pj_per_binary_op = energy.number("dpu_pj_per_binary_op", 0, 1e6);
  b.buffer_read_pj_per_bit = energy.number("buffer_read_pj_per_bit", 0, 1e6);
  b.buffer_write_pj_per_bit = energy.number("buffer_write_pj_per_bit", 0, 1e6);

  b.device_luts = device.integer("luts", 1, int64_t(1) << 40);
  b.device_bram36 = device.integer("bram36", 1, int64_t(1) << 40);
  return b;
}

BitFusionConfig parse_bitfusion(const YamlInput& in, const YamlInput& energy,
                                const YamlInput& device) {
  BitFusionConfig f;
  f.rows = static_cast<int>(in.integer("rows", 1, kMaxDim));
  f.cols = static_cast<int>(in.integer("cols", 1, kMaxDim));
  const int64_t max_buffer = int64_t(1) << 32;  // 4 GiB: beyond any on-chip SRAM
  f.wbuf_bytes = in.integer("wbuf_bytes", 16, max_buffer);
  f.ibuf_bytes = in.integer("ibuf_bytes", 16, max_buffer);
  f.obuf_bytes = in.integer("obuf_bytes", 16, max_buffer);
  f.accumulator_bits = static_cast<int>(in.integer("accumulator_bits", 16, 64));
  in.choice_or("depthwise_mapping", "taps_on_rows", {"taps_on_rows"});
  in.reject_unknown_keys();

  f.core_pj_per_cycle = energy.number("core_pj_per_cycle", 0, 1e9);
  f.wbuf_read_pj_per_bit = energy.number("wbuf_read_pj_per_bit", 0, 1e6);
  f.wbuf_write_pj_per_bit = energy.number("wbuf_write_pj_per_bit", 0, 1e6);
  f.ibuf_read_pj_per_bit = energy.number("ibuf_read_pj_per_bit", 0, 1e6);
  f.ibuf_write_pj_per_bit = energy.number("ibuf_write_pj_per_bit", 0, 1e6);
  f.obuf_read_pj_per_bit = energy.number("obuf_read_pj_per_bit", 0, 1e6);
  f.obuf_write_pj_per_bit = energy.number("obuf_write_pj_per_bit", 0, 1e6);

  f.core_area_mm2 = device.number("core_area_mm2", 0, 1e6, true);
  f.total_area_mm2 = device.number("total_area_mm2", f.core_area_mm2, 1e6);
  f.device_area_mm2 = device.number_or("area_budget_mm2", 0, 0, 1e6);
  return f;
}

}  // namespace

ArchConfig parse_arch_config(const YamlInput& root, const std::string& content) {
  ArchConfig c;
  c.file = root.file();
  c.content = content;
  c.name = root.string("name");
  std::string type = root.choice("type", {"bismo", "bitfusion"});
  c.type = type == "bismo" ? AcceleratorType::kBismo : AcceleratorType::kBitFusion;
  c.clock_mhz = root.number("clock_mhz", 0, 1e5, /*min_exclusive=*/true);
  c.batch = static_cast<int>(root.integer("batch", 1, 4096));
  c.dram = parse_dram(root.map("dram"));

  YamlInput energy = root.map("energy");
  YamlInput device = root.map("device");
  c.device_name = device.string("name");
  c.static_power_mw = energy.number("static_mw", 0, 1e9);
  if (c.type == AcceleratorType::kBismo) {
    if (root.has("bitfusion"))
      root.fail("bitfusion", "no 'bitfusion' section in a bismo config", "one");
    c.bismo = parse_bismo(root.map("bismo"), energy, device);
  } else {
    if (root.has("bismo")) root.fail("bismo", "no 'bismo' section in a bitfusion config", "one");
    c.bitfusion = parse_bitfusion(root.map("bitfusion"), energy, device);
  }
  energy.reject_unknown_keys();
  device.reject_unknown_keys();
  root.reject_unknown_keys();
  return c;
}

ArchConfig load_arch_config(const std::string& path) {
  std::string text = read_whole_file(path);
  return parse_arch_config(YamlInput::load_string(text, path), text);
}

}  // namespace haqsim
