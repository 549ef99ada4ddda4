// The interface every per-layer hardware cost model implements (analytic, SystemC, RTL), and
// the options a model is made with. Models are made by the registry (sim/registry.h) from the
// arch config's `type` and the CLI's `--backend`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "models/policy.h"
#include "models/workload.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_job.h"
#include "sim/common/layer_stats.h"
#include "sim/common/trace_request.h"

namespace haqsim {

enum class Backend { kAnalytic, kSystemC, kRtl };
const char* to_string(Backend backend);
Backend parse_backend(const std::string& text);  // InputError on an unknown name

// What the caller asks of a model when it is made. Analytic models have no operands and ignore
// all three.
struct ModelOptions {
  // Cycle-accurate models: compare every evaluated layer's outputs with the independent
  // reference (sim/common/layer_job.h) and report it in LayerStats::bit_exact.
  bool verify = true;
  // Seed of the synthetic operands evaluate() runs (cycle counts never depend on them).
  uint64_t seed = 1;
  // Waveforms of one layer: the machine's SystemC signals (systemc) or the verilated array's
  // (rtl), in the request's cycle window.
  std::optional<TraceRequest> trace;
};

class LayerExecutor;

// Estimates or simulates one layer at one precision pair. Implementations are deterministic and
// depend only on the workload's shape and the bits, never on data values.
class LayerCostModel {
 public:
  virtual ~LayerCostModel() = default;
  virtual LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) = 0;
  virtual const ArchConfig& config() const = 0;
  // The model as an executor of real operands; nullptr for models that only estimate.
  virtual LayerExecutor* executor() { return nullptr; }
};

// A cost model that executes real operands (the cycle-accurate ones): the raw accumulators it
// returns are what the accelerator wrote to its DRAM.
class LayerExecutor {
 public:
  virtual ~LayerExecutor() = default;
  virtual LayerJobResult run(const LayerJob& job) = 0;
};

// Thrown for a backend that exists in the CLI but is not built for a machine.
class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace haqsim
