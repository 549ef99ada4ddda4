#include "sim/bismo/bismo_systemc_model.h"

#include <fmt/format.h>

#include "sim/bismo/bismo_config.h"
#include "sim/bismo/bismo_energy.h"
#include "sim/bismo/bismo_machine.h"
#include "sim/bismo/layer_dram.h"
#include "sim/bismo/program_builder.h"

namespace haqsim::bismo {

LayerJobResult BismoSystemCModel::simulate(const LayerJob& job, DpuArrayCore& core,
                                           const TraceRequest* trace) {
  const BismoConfig& b = bismo_config(config_);
  const LayerLowering lowering(job, config_);
  LayerDram dram(job, lowering);
  const MachineActivity a = run_bismo_machine(lowering, dram, config_, core, trace);

  LayerJobResult result;
  result.accumulators = dram.take_accumulators();
  LayerStats& s = result.stats;
  s.cycles = a.cycles;
  s.compute_cycles = a.execute.busy;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages = {a.fetch, a.execute, a.result};
  s.dram_read_bytes = a.dram_read_bytes;
  s.dram_write_bytes = a.dram_write_bytes;
  s.transfer_cycles = a.transfer_cycles;
  classify_bound(s);
  s.mapping = lowering.mapping().name;
  s.mapping_utilization = lowering.mapping().mapping_utilization;
  const double useful = 2.0 * job.layer.macs() * job.bits.wbits * job.bits.abits;
  s.utilization = useful / (double(s.cycles) * b.peak_binary_ops_per_cycle());
  BismoActivity activity{a.streamed_words, a.lhs_fetch_bytes, a.rhs_fetch_bytes, a.dram_write_bytes,
                         a.cycles};
  account_energy(config_, activity, s);
  s.details = {
      {"gemm",
       fmt::format("{} x ({}x{}x{})", lowering.mapping().gemm.count, lowering.mapping().gemm.m,
                   lowering.mapping().gemm.k, lowering.mapping().gemm.n)},
      {"tiling", describe(lowering.plan())},
      {"core", core.name()},
      {"instructions", fmt::format("fetch {} execute {} result {}", a.fetch_program_length,
                                   a.execute_program_length, a.result_program_length)},
      {"dram_contention_cycles", std::to_string(a.dram_contention_cycles)},
  };
  return result;
}

std::unique_ptr<BismoSystemCModel> make_systemc_model(const ArchConfig& config, Backend backend,
                                                      const ModelOptions& options) {
  const BismoConfig& b = bismo_config(config);
  if (backend == Backend::kRtl) {
#ifdef HAQSIM_HAVE_BISMO_RTL
    return std::make_unique<BismoSystemCModel>(
        config, options,
        CoreFactory<DpuArrayCore>{
            [b] { return make_rtl_core(b); },
            [b](const TraceRequest& trace) { return make_traced_rtl_core(b, trace); }});
#else
    throw BackendUnavailable("this build has no verilated BISMO array; use --backend systemc");
#endif
  }
  return std::make_unique<BismoSystemCModel>(
      config, options, CoreFactory<DpuArrayCore>{[b] { return make_behavioural_core(b); }, {}});
}

}  // namespace haqsim::bismo
