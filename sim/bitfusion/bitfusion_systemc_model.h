// BitFusion's cycle-accurate model: the tiler picks the tiling, the schedule spells out its tile
// steps, and the SystemC machine runs them with the model's compute core (behavioural, or the
// verilated Fusion Unit array); the accumulators are read back from the simulated DRAM.
// Options, verification and tracing: sim/common/cycle_accurate_model.h.
#pragma once

#include <memory>

#include "sim/bitfusion/fusion_array_core.h"
#include "sim/common/cycle_accurate_model.h"

namespace haqsim::bitfusion {

class BitFusionSystemCModel final : public CycleAccurateModel<FusionArrayCore> {
 public:
  using CycleAccurateModel::CycleAccurateModel;

 protected:
  LayerJobResult simulate(const LayerJob& job, FusionArrayCore& core,
                          const TraceRequest* trace) override;
};

// The model with the behavioural core (Backend::kSystemC) or the verilated array (kRtl; the
// caller checks the shape was verilated, see bitfusion_accelerator.cpp).
std::unique_ptr<BitFusionSystemCModel> make_systemc_model(const ArchConfig& config, Backend backend,
                                                          const ModelOptions& options = {});

}  // namespace haqsim::bitfusion
