#include "sim/bitfusion/bitfusion_systemc_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/bitfusion_energy.h"
#include "sim/bitfusion/bitfusion_machine.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"

namespace haqsim::bitfusion {

LayerJobResult BitFusionSystemCModel::simulate(const LayerJob& job, FusionArrayCore& core,
                                               const TraceRequest* trace) {
  const BitFusionConfig& f = bitfusion_config(config_);
  const BitFusionTiling tiling = choose_bitfusion_tiling(job.layer, config_, job.bits);
  const TileSchedule schedule = schedule_tiles(job.layer, f, job.bits, tiling);
  LayerJobResult result;
  const MachineActivity a =
      run_bitfusion_machine(job, schedule, config_, core, result.accumulators, trace);

  LayerStats& s = result.stats;
  s.cycles = a.cycles;
  s.compute_cycles = a.vectors;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages = {a.load, a.compute, a.store};
  s.dram_read_bytes = a.dram_read_bytes;
  s.dram_write_bytes = a.dram_write_bytes;
  s.transfer_cycles = a.transfer_cycles;
  classify_bound(s);
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
          : std::min<int64_t>(job.layer.out_channels / job.layer.groups, f.cols);
  activity.weight_load_bits = a.weight_load_bits;
  activity.input_load_bits = a.input_load_bits;
  activity.partial_read_bits = a.partial_read_bits;
  activity.output_write_bits = a.output_write_bits;
  activity.cycles = a.cycles;
  account_energy(config_, activity, s);
  s.details = {
      {"tiling", describe(tiling)},
      {"products_per_unit", std::to_string(pf)},
      {"core", core.name()},
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

std::unique_ptr<BitFusionSystemCModel> make_systemc_model(const ArchConfig& config, Backend backend,
                                                          const ModelOptions& options) {
  const BitFusionConfig& f = bitfusion_config(config);
  if (backend == Backend::kRtl) {
#ifdef HAQSIM_HAVE_BITFUSION_RTL
    return std::make_unique<BitFusionSystemCModel>(
        config, options,
        CoreFactory<FusionArrayCore>{
            [f] { return make_rtl_core(f); },
            [f](const TraceRequest& trace) { return make_traced_rtl_core(f, trace); }});
#else
    throw BackendUnavailable("this build has no verilated BitFusion array; use --backend systemc");
#endif
  }
  return std::make_unique<BitFusionSystemCModel>(
      config, options, CoreFactory<FusionArrayCore>{[f] { return make_behavioural_core(f); }, {}});
}

}  // namespace haqsim::bitfusion
