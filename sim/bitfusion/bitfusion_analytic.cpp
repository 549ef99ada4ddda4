#include "sim/bitfusion/bitfusion_analytic.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "base/int_math.h"
#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/bitfusion_energy.h"
#include "sim/bitfusion/tiler.h"

namespace haqsim {

BitFusionAnalytic::BitFusionAnalytic(ArchConfig config) : config_(std::move(config)) {
  bitfusion_config(config_);  // checks it is a BitFusion config
}

LayerStats BitFusionAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const BitFusionConfig& f = bitfusion_config(config_);
  const BitFusionTiling t = choose_bitfusion_tiling(layer, config_, bits);
  const int pf = bitfusion_products_per_unit(bits.wbits, bits.abits);
  const int64_t bw_bits = int64_t(config_.dram.ports) * config_.dram.port_width_bits;

  LayerStats s;
  s.compute_cycles = t.compute_cycles;
  s.cycles = t.cycles;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.transfer_cycles =
      std::max(ceil_div(t.weight_read_bits + t.input_read_bits + t.output_read_bits, bw_bits),
               ceil_div(t.output_write_bits, bw_bits));
  classify_bound(s);
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

  bitfusion::BitFusionActivity activity;
  activity.bits = bits;
  activity.vectors = t.compute_cycles;
  activity.macs = layer.macs();
  activity.activation_sharing =
      layer.kind == LayerKind::kDepthwise
          ? 1
          : std::min<int64_t>(layer.out_channels / layer.groups, f.cols);
  activity.weight_load_bits = t.weight_read_bits;
  activity.input_load_bits = t.input_read_bits;
  activity.partial_read_bits = t.output_read_bits;
  activity.output_write_bits = t.output_write_bits;
  activity.cycles = s.cycles;
  bitfusion::account_energy(config_, activity, s);
  s.details = {{"tiling", describe(t)},
               {"products_per_unit", std::to_string(pf)},
               {"fill_drain_cycles", std::to_string(bitfusion_fill_drain_cycles(f))}};
  return s;
}

}  // namespace haqsim
