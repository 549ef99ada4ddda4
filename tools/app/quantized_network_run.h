// A whole quantized network executed layer by layer on an accelerator model, as the host would
// drive it: each conv/fc layer's integer input goes to the accelerator, the raw accumulators
// come back from its simulated DRAM, the host requantizes them (bias, multiplier, shift, clamp)
// and runs the residual adds and pools, and the result feeds the next layer. Every layer's
// accumulators are compared with the integer reference (models/quant/integer_executor.h), and
// the final logits with a run of the reference alone.
#pragma once

#include <vector>

#include "models/quant/integer_executor.h"
#include "models/quant/quantized_network.h"
#include "tools/app/network_run.h"

namespace haqsim {

struct QuantizedNetworkRun {
  NetworkRun report;  // per-layer statistics; each layer's bit_exact is set
  bool logits_match_reference = false;
  std::vector<int> predicted;  // per image, from the accelerator's run
  std::vector<int> reference_predicted;
};

// `model` must execute data (LayerExecutor: the systemc and rtl backends); throws
// BackendUnavailable otherwise.
QuantizedNetworkRun run_quantized_network_on(LayerCostModel& model, const QuantizedNetwork& qnet,
                                             const IntTensor& input, Backend backend);

}  // namespace haqsim
