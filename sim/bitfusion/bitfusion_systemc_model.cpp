#include "sim/bitfusion/bitfusion_systemc_model.h"

#include <fmt/format.h>

#include <algorithm>

#include <stdexcept>

#include "sim/bitfusion/bitfusion_energy.h"
#include "sim/bitfusion/bitfusion_machine.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"

namespace haqsim::bitfusion {

BitFusionSystemCModel::BitFusionSystemCModel(ArchConfig config, Backend backend,
                                             CoreFactory make_core)
    : config_(std::move(config)), backend_(backend), make_core_(make_core) {
  if (!config_.bitfusion) {
    throw std::invalid_argument("BitFusionSystemCModel needs a bitfusion config");
  }
  core_ = make_core(*config_.bitfusion);
}

LayerJobResult BitFusionSystemCModel::run(const LayerJob& job) {
  const BitFusionConfig& f = *config_.bitfusion;
  const BitFusionTiling tiling = choose_bitfusion_tiling(job.layer, config_, job.bits);
  const TileSchedule schedule = schedule_tiles(job.layer, f, job.bits, tiling);
  LayerJobResult result;
  MachineActivity a;
  if (!trace.wants(job.layer.quant_index)) {
    a = run_bitfusion_machine(job, schedule, config_, *core_, result.accumulators);
  } else if (backend_ == Backend::kRtl) {
#ifdef HAQSIM_HAVE_BITFUSION_RTL
    // A fresh traced array for this layer, whose clock starts with the layer. Two verilated
    // instances of one variant must not be alive at once (Verilator 5.006 crashes destroying
    // the second), so the untraced core makes way and is rebuilt afterwards.
    core_.reset();
    auto traced = make_traced_rtl_core(f, trace);
    a = run_bitfusion_machine(job, schedule, config_, *traced, result.accumulators);
    traced.reset();
    core_ = make_core_(f);
#else
    throw BackendUnavailable("this build has no verilated BitFusion array to trace");
#endif
  } else {
    a = run_bitfusion_machine(job, schedule, config_, *core_, result.accumulators, &trace);
  }

  LayerStats& s = result.stats;
  s.cycles = a.cycles;
  s.compute_cycles = a.vectors;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages = {a.load, a.compute, a.store};
  s.dram_read_bytes = a.dram_read_bytes;
  s.dram_write_bytes = a.dram_write_bytes;
  const int64_t bw_bits = int64_t(config_.dram.ports) * config_.dram.port_width_bits;
  const int64_t dram_bits =
      a.weight_load_bits + a.input_load_bits + a.partial_read_bits + a.output_write_bits;
  s.memory_bound = (dram_bits + bw_bits - 1) / bw_bits > a.vectors;
  const bool dw = job.layer.kind == LayerKind::kDepthwise;
  s.mapping = dw ? "dw:taps_on_rows" : "conv";
  const int pf = bitfusion_products_per_unit(job.bits.wbits, job.bits.abits);
  const double peak = double(f.rows) * f.cols * pf;
  s.utilization = double(job.layer.macs()) / (double(s.cycles) * peak);
  s.mapping_utilization = double(job.layer.macs()) / (double(a.vectors) * peak);
  BitFusionActivity activity;
  activity.bits = job.bits;
  activity.vectors = a.vectors;
  activity.macs = job.layer.macs();
  activity.activation_sharing =
      job.layer.kind == LayerKind::kDepthwise
          ? 1
          : std::min<int64_t>(job.layer.out_channels / job.layer.groups, config_.bitfusion->cols);
  activity.weight_load_bits = a.weight_load_bits;
  activity.input_load_bits = a.input_load_bits;
  activity.partial_read_bits = a.partial_read_bits;
  activity.output_write_bits = a.output_write_bits;
  activity.cycles = a.cycles;
  account_energy(config_, activity, s);
  s.details = {
      {"tiling", describe(tiling)},
      {"products_per_unit", std::to_string(pf)},
      {"core", core_->name()},
      {"steps",
       fmt::format("{} (weight loads {}, input loads {}, output visits {})", schedule.steps.size(),
                   schedule.weight_loads, schedule.input_loads, schedule.output_visits)},
      {"fill_drain_cycles", std::to_string(a.fill_drain_cycles)},
      {"memory_stall_cycles", std::to_string(s.cycles - a.vectors - a.fill_drain_cycles)},
      {"drain_during_stalls", std::to_string(a.drain_during_stalls)},
      {"dram_contention_cycles", std::to_string(a.dram_contention_cycles)},
  };
  return result;
}

LayerStats BitFusionSystemCModel::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const LayerJob job = make_synthetic_job(layer, bits, seed + uint64_t(layer.quant_index));
  LayerJobResult r = run(job);
  if (verify) r.stats.bit_exact = r.accumulators == reference_accumulators(job);
  return r.stats;
}

}  // namespace haqsim::bitfusion
