// Stripes' cycle-accurate model: the plan (stripes_plan.h) says what every pass does, the SystemC
// machine (stripes_machine.h) runs the passes with the model's compute core (behavioural, or the
// verilated SIP tile), and the accumulators are read back from the simulated DRAM. Options,
// verification and tracing: sim/common/cycle_accurate_model.h.
#pragma once

#include <memory>

#include "sim/common/cycle_accurate_model.h"
#include "sim/stripes/sip_array_core.h"
#include "sim/stripes/stripes_plan.h"

namespace haqsim::stripes {

class StripesSystemCModel final : public CycleAccurateModel<SipArrayCore> {
 public:
  using CycleAccurateModel::CycleAccurateModel;

 protected:
  LayerJobResult simulate(const LayerJob& job, SipArrayCore& core,
                          const TraceRequest* trace) override;
};

// The model with the behavioural core (Backend::kSystemC) or the verilated tile (kRtl; the caller
// checks the shape was verilated, see stripes_accelerator.cpp).
std::unique_ptr<StripesSystemCModel> make_systemc_model(const ArchConfig& config, Backend backend,
                                                        const ModelOptions& options = {});

// What the analytic and the SystemC model both report from a plan (mapping, utilization, energy,
// details); `compute_cycles` and `cycles` are the model's own.
void fill_stats(const ArchConfig& config, const LayerWorkload& layer, LayerBits bits,
                const Plan& plan, LayerStats& stats);

}  // namespace haqsim::stripes
