// BitFusion's cycle-accurate model as a LayerCostModel: the tiler picks the tiling, the schedule
// spells out its tile steps, and the SystemC machine runs them with the chosen compute core
// (behavioural, or the verilated Fusion Unit array); the accumulators are read back from the
// simulated DRAM.
#pragma once

#include <memory>

#include "sim/bitfusion/fusion_array_core.h"
#include "sim/common/cost_model.h"
#include "sim/common/layer_job.h"
#include "sim/common/trace_request.h"

namespace haqsim::bitfusion {

using CoreFactory = std::unique_ptr<FusionArrayCore> (*)(const BitFusionConfig&);

class BitFusionSystemCModel : public LayerCostModel, public LayerExecutor {
 public:
  BitFusionSystemCModel(ArchConfig config, Backend backend, CoreFactory make_core);

  // Runs real operands; the accumulators are what the accelerator wrote to DRAM.
  LayerJobResult run(const LayerJob& job) override;

  // Runs seeded synthetic operands of the layer's shape (cycles never depend on the values) and
  // checks the accumulators against the direct-convolution reference when `verify` is set.
  LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) override;
  const ArchConfig& config() const override { return config_; }

  bool verify = true;
  uint64_t seed = 1;
  // Waveforms of one layer in the request's cycle window: the machine's SystemC signals
  // (backend systemc) or the verilated array's (backend rtl).
  TraceRequest trace;

 private:
  ArchConfig config_;
  Backend backend_;
  CoreFactory make_core_;
  std::unique_ptr<FusionArrayCore> core_;
};

}  // namespace haqsim::bitfusion
