#include "sim/stripes/stripes_systemc_model.h"

#include <fmt/format.h>

#include "sim/stripes/stripes_config.h"
#include "sim/stripes/stripes_energy.h"
#include "sim/stripes/stripes_machine.h"
#include "sim/stripes/stripes_plan.h"

namespace haqsim::stripes {

void fill_stats(const ArchConfig& config, const LayerWorkload& layer, LayerBits bits,
                const Plan& plan, LayerStats& s) {
  const StripesConfig& c = stripes_config(config);
  s.stall_cycles = s.cycles - s.compute_cycles;
  classify_bound(s);
  s.mapping = to_string(plan.mapping);
  // Peak: every SIP lane finishes one product every abits cycles.
  const double peak_per_cycle = double(c.sips()) * c.lanes / bits.abits;
  s.utilization = double(layer.macs()) / (double(s.cycles) * peak_per_cycle);
  s.mapping_utilization = double(layer.macs()) / (double(s.compute_cycles) * peak_per_cycle);
  StripesActivity activity = plan_activity(plan, c, bits);
  activity.cycles = s.cycles;
  account_energy(config, activity, s);
  s.details.insert(s.details.begin(), {"plan", describe(plan)});
  s.details.insert(
      s.details.begin() + 1,
      {"pass_cycles", fmt::format("{} ({} bricks at {} bits)", plan.passes.front().stream_cycles,
                                  plan.bricks, bits.abits)});
}

LayerJobResult StripesSystemCModel::simulate(const LayerJob& job, SipArrayCore& core,
                                             const TraceRequest* trace) {
  const Plan plan = plan_layer(job.layer, config_, job.bits);
  LayerJobResult result;
  const MachineActivity a =
      run_stripes_machine(job, plan, config_, core, result.accumulators, trace);
  LayerStats& s = result.stats;
  s.cycles = a.cycles;
  s.compute_cycles = a.stream_cycles;
  s.stages = {a.load, a.compute, a.store};
  s.dram_read_bytes = a.dram_read_bytes;
  s.dram_write_bytes = a.dram_write_bytes;
  s.transfer_cycles = a.transfer_cycles;
  s.details = {
      {"core", core.name()},
      {"exposed_drain_cycles", std::to_string(a.exposed_drain_cycles)},
      {"dram_contention_cycles", std::to_string(a.dram_contention_cycles)},
  };
  fill_stats(config_, job.layer, job.bits, plan, s);
  return result;
}

std::unique_ptr<StripesSystemCModel> make_systemc_model(const ArchConfig& config, Backend backend,
                                                        const ModelOptions& options) {
  const StripesConfig& c = stripes_config(config);
  if (backend == Backend::kRtl) {
#ifdef HAQSIM_HAVE_STRIPES_RTL
    return std::make_unique<StripesSystemCModel>(
        config, options,
        CoreFactory<SipArrayCore>{
            [c] { return make_rtl_core(c); },
            [c](const TraceRequest& trace) { return make_traced_rtl_core(c, trace); }});
#else
    throw BackendUnavailable("this build has no verilated Stripes tile; use --backend systemc");
#endif
  }
  return std::make_unique<StripesSystemCModel>(
      config, options, CoreFactory<SipArrayCore>{[c] { return make_behavioural_core(c); }, {}});
}

}  // namespace haqsim::stripes
