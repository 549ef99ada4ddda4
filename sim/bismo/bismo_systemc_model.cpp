#include "sim/bismo/bismo_systemc_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/bismo/bismo_energy.h"
#include "sim/bismo/bismo_machine.h"
#include "sim/bismo/program_builder.h"

namespace haqsim::bismo {

BismoSystemCModel::BismoSystemCModel(ArchConfig config, Backend backend, CoreFactory make_core)
    : config_(std::move(config)),
      backend_(backend),
      make_core_(make_core),
      core_(make_core(*config_.bismo)) {}

LayerJobResult BismoSystemCModel::run(const LayerJob& job) {
  const BismoConfig& b = *config_.bismo;
  LoweredLayer lowered = lower_layer_job(job, b);
  MachineActivity a;
  if (!trace.wants(job.layer.quant_index)) {
    a = run_bismo_machine(lowered, config_, *core_);
  } else if (backend_ == Backend::kRtl) {
#ifdef HAQSIM_HAVE_BISMO_RTL
    // A fresh traced array for this layer, whose clock starts with the layer. Two verilated
    // instances of one variant must not be alive at once (Verilator 5.006 crashes destroying
    // the second), so the untraced core makes way and is rebuilt afterwards.
    core_.reset();
    auto traced = make_traced_rtl_core(b, trace);
    a = run_bismo_machine(lowered, config_, *traced);
    traced.reset();
    core_ = make_core_(b);
#else
    throw BackendUnavailable("this build has no verilated BISMO array to trace");
#endif
  } else {
    a = run_bismo_machine(lowered, config_, *core_, &trace);
  }

  LayerJobResult result;
  result.accumulators = read_back_accumulators(lowered, job, b);
  LayerStats& s = result.stats;
  s.cycles = a.cycles;
  s.compute_cycles = a.execute.busy;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages = {a.fetch, a.execute, a.result};
  s.dram_read_bytes = a.dram_read_bytes;
  s.dram_write_bytes = a.dram_write_bytes;
  // Memory-bound when the DRAM data phases alone outlast the array's work.
  s.memory_bound = a.fetch.busy + a.result.busy > a.execute.busy;
  s.mapping = lowered.mapping.name;
  s.mapping_utilization = lowered.mapping.mapping_utilization;
  const double useful = 2.0 * job.layer.macs() * job.bits.wbits * job.bits.abits;
  s.utilization = useful / (double(s.cycles) * b.peak_binary_ops_per_cycle());
  BismoActivity activity{a.streamed_words, a.lhs_fetch_bytes, a.rhs_fetch_bytes, a.dram_write_bytes,
                         a.cycles};
  account_energy(config_, activity, s);
  s.details = {
      {"gemm", fmt::format("{} x ({}x{}x{})", lowered.mapping.gemm.count, lowered.mapping.gemm.m,
                           lowered.mapping.gemm.k, lowered.mapping.gemm.n)},
      {"tiling", describe(lowered.plan)},
      {"core", core_->name()},
      {"instructions",
       fmt::format("fetch {} execute {} result {}", lowered.programs.fetch.size(),
                   lowered.programs.execute.size(), lowered.programs.result.size())},
      {"dram_contention_cycles", std::to_string(a.dram_contention_cycles)},
  };
  return result;
}

LayerStats BismoSystemCModel::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const LayerJob job = make_synthetic_job(layer, bits, seed + uint64_t(layer.quant_index));
  LayerJobResult r = run(job);
  if (verify) {
    r.stats.bit_exact = r.accumulators == reference_accumulators(job);
  }
  return r.stats;
}

}  // namespace haqsim::bismo
