// BISMO's cycle-accurate model: each layer job is lowered on the host (im2col, bit-plane packing,
// the three stages' programs), executed by the SystemC machine with the model's compute core
// (behavioural popcounts, or the verilated DPU array), and its accumulators are read back from
// the simulated DRAM. The lowering is produced while the machine runs (one step of programs,
// one packed column at a time), so memory follows a step, not the layer. Options, verification and
// tracing: sim/common/cycle_accurate_model.h.
#pragma once

#include <memory>
#include <vector>

#include "sim/bismo/dpu_array_core.h"
#include "sim/bismo/program_builder.h"
#include "sim/common/cycle_accurate_model.h"

namespace haqsim::bismo {

class BismoSystemCModel final : public CycleAccurateModel<DpuArrayCore> {
 public:
  using CycleAccurateModel::CycleAccurateModel;

 protected:
  LayerJobResult simulate(const LayerJob& job, DpuArrayCore& core,
                          const TraceRequest* trace) override;
};

// The model with the behavioural core (Backend::kSystemC) or the verilated array (kRtl; the
// caller checks the shape was verilated, see bismo_accelerator.cpp).
std::unique_ptr<BismoSystemCModel> make_systemc_model(const ArchConfig& config, Backend backend,
                                                      const ModelOptions& options = {});

}  // namespace haqsim::bismo
