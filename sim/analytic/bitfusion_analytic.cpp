#include "sim/analytic/bitfusion_analytic.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/bitfusion/tiler.h"

namespace haqsim {

namespace {
int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
}  // namespace

BitFusionAnalytic::BitFusionAnalytic(ArchConfig config) : config_(std::move(config)) {
  if (!config_.bitfusion) throw std::invalid_argument("BitFusionAnalytic needs a bitfusion config");
}

LayerStats BitFusionAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const BitFusionConfig& f = *config_.bitfusion;
  const BitFusionTiling t = choose_bitfusion_tiling(layer, config_, bits);
  const int pf = bitfusion_products_per_unit(bits.wbits, bits.abits);
  const int64_t bw_bits = int64_t(config_.dram.ports) * config_.dram.port_width_bits;

  LayerStats s;
  s.compute_cycles = t.compute_cycles;
  s.cycles = t.cycles;
  s.stall_cycles = s.cycles - s.compute_cycles;
  const int64_t memory = ceil_div(t.dram_bits(), bw_bits);
  s.memory_bound = memory > t.compute_cycles;
  s.dram_read_bytes = ceil_div(t.weight_read_bits + t.input_read_bits + t.output_read_bits, 8);
  s.dram_write_bytes = ceil_div(t.output_write_bits, 8);
  s.mapping = layer.kind == LayerKind::kDepthwise ? "dw:taps_on_rows" : "conv";
  const double peak_products = double(f.rows) * f.cols * pf;
  s.utilization = double(layer.macs()) / (double(s.cycles) * peak_products);
  s.mapping_utilization = double(layer.macs()) / (double(t.compute_cycles) * peak_products);
  s.stages = {
      {"load", ceil_div(t.weight_read_bits + t.input_read_bits + t.output_read_bits, bw_bits), 0,
       0},
      {"compute", t.compute_cycles, 0, s.stall_cycles},
      {"store", ceil_div(t.output_write_bits, bw_bits), 0, 0},
  };

  // Buffer traffic. Per compute cycle each row reads pf activations from its IBUF bank (shared
  // along the row), each Fusion Unit reads pf weights from its WBUF bank, and each column
  // reads and writes one partial sum in its OBUF bank.
  const int64_t wslot = bitfusion_slot_bits(bits.wbits), aslot = bitfusion_slot_bits(bits.abits);
  BufferTraffic wbuf{"wbuf", t.compute_cycles * f.rows * f.cols * pf * wslot, t.weight_read_bits};
  BufferTraffic ibuf{"ibuf", t.compute_cycles * f.rows * pf * aslot, t.input_read_bits};
  BufferTraffic obuf{"obuf", t.compute_cycles * f.cols * f.accumulator_bits + t.output_write_bits,
                     t.compute_cycles * f.cols * f.accumulator_bits + t.output_read_bits};
  s.buffers = {wbuf, ibuf, obuf};
  const double pj[3][2] = {{f.wbuf_read_pj_per_bit, f.wbuf_write_pj_per_bit},
                           {f.ibuf_read_pj_per_bit, f.ibuf_write_pj_per_bit},
                           {f.obuf_read_pj_per_bit, f.obuf_write_pj_per_bit}};
  for (int i = 0; i < 3; ++i) {
    double e = s.buffers[i].read_bits * pj[i][0] + s.buffers[i].write_bits * pj[i][1];
    s.energy.buffer_detail_pj.emplace_back(s.buffers[i].name, e);
    s.energy.buffer_pj += e;
  }
  // The core energy table is for the 16 x 32 reference array; scale with Fusion Units.
  s.energy.compute_pj = double(t.compute_cycles) * f.core_pj_per_cycle * (f.rows * f.cols / 512.0);
  s.energy.dram_pj = double(t.dram_bits()) * config_.dram.energy_pj_per_bit;
  s.energy.static_pj = config_.static_power_mw * config_.cycles_to_ms(s.cycles) * 1e6;
  s.details = {{"tiling", describe(t)}, {"products_per_unit", std::to_string(pf)}};
  return s;
}

}  // namespace haqsim
