// BISMO's cycle-accurate model as a LayerCostModel: each layer job is lowered on the host,
// executed by the SystemC machine with the chosen compute core (behavioural or verilated RTL),
// and its accumulators are read back from simulated DRAM.
#pragma once

#include <memory>

#include "sim/bismo/dpu_array_core.h"
#include "sim/common/cost_model.h"
#include "sim/common/layer_job.h"
#include "sim/common/trace_request.h"

namespace haqsim::bismo {

using CoreFactory = std::unique_ptr<DpuArrayCore> (*)(const BismoConfig&);

class BismoSystemCModel : public LayerCostModel, public LayerExecutor {
 public:
  BismoSystemCModel(ArchConfig config, Backend backend, CoreFactory make_core);

  // Runs real operands; the accumulators are what the accelerator wrote to DRAM.
  LayerJobResult run(const LayerJob& job) override;

  // Runs seeded synthetic operands of the layer's shape (cycles never depend on the values) and
  // checks the accumulators against the direct-convolution reference when `verify` is set.
  LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) override;
  const ArchConfig& config() const override { return config_; }

  bool verify = true;
  uint64_t seed = 1;
  // Waveforms of one layer: the machine's SystemC signals (systemc backend) or the verilated
  // array's (rtl backend), in the request's cycle window.
  TraceRequest trace;

 private:
  ArchConfig config_;
  Backend backend_;
  CoreFactory make_core_;
  std::unique_ptr<DpuArrayCore> core_;
};

}  // namespace haqsim::bismo
