// The interface every per-layer hardware cost model implements, and the factory that picks one
// by accelerator type and backend (in the spirit of Ramulator 2's registry: the YAML's `type`
// and the CLI's `--backend` name the implementation).
#pragma once

#include <memory>
#include <string>

#include "models/policy.h"
#include "models/workload.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_job.h"
#include "sim/common/layer_stats.h"

namespace haqsim {

enum class Backend { kAnalytic, kSystemC, kRtl };
const char* to_string(Backend backend);
Backend parse_backend(const std::string& text);  // InputError on an unknown name

// Estimates or simulates one layer at one precision pair. Implementations are deterministic and
// depend only on the workload's shape and the bits, never on data values.
class LayerCostModel {
 public:
  virtual ~LayerCostModel() = default;
  virtual LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) = 0;
  virtual const ArchConfig& config() const = 0;
};

// A cost model that executes real operands (the cycle-accurate ones): the raw accumulators it
// returns are what the accelerator wrote to its DRAM.
class LayerExecutor {
 public:
  virtual ~LayerExecutor() = default;
  virtual LayerJobResult run(const LayerJob& job) = 0;
};

// Thrown for a backend that exists in the CLI but is not built yet.
class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::unique_ptr<LayerCostModel> make_cost_model(const ArchConfig& config, Backend backend);

}  // namespace haqsim
