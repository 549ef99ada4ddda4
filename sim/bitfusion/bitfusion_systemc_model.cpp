#include "sim/bitfusion/bitfusion_systemc_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/bitfusion_energy.h"
#include "sim/bitfusion/bitfusion_machine.h"
#include "sim/bitfusion/bitfusion_timing.h"
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

  result.stats = layer_stats(job.layer, job.bits, config_, tiling, schedule, a);
  result.stats.details.insert(result.stats.details.begin() + 2, {"core", core.name()});
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
