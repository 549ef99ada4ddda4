// What every cycle-accurate machine's LayerCostModel shares, so a machine writes only how it
// simulates one layer job:
// - evaluate() runs seeded synthetic operands of the layer's shape (cycle counts never depend on
//   the values) and, with ModelOptions::verify, compares the accumulators with the independent
//   direct-convolution reference (sim/common/layer_job.h);
// - run() executes real operands with the model's compute core, a behavioural one (systemc) or a
//   verilated one (rtl), both made by the machine's CoreFactory;
// - tracing: for the requested layer the machine records its own SystemC signals (systemc), or
//   the layer runs on a fresh traced RTL core whose clock starts with the layer (rtl).
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "sim/common/cost_model.h"
#include "sim/common/layer_job.h"

namespace haqsim {

template <class Core>
struct CoreFactory {
  std::function<std::unique_ptr<Core>()> make;
  // Null for cores without signals of their own (behavioural): the machine traces itself.
  std::function<std::unique_ptr<Core>(const TraceRequest&)> make_traced;
};

template <class Core>
class CycleAccurateModel : public LayerCostModel, public LayerExecutor {
 public:
  CycleAccurateModel(ArchConfig config, ModelOptions options, CoreFactory<Core> cores)
      : config_(std::move(config)),
        options_(std::move(options)),
        cores_(std::move(cores)),
        core_(cores_.make()) {}

  LayerJobResult run(const LayerJob& job) final {
    if (!core_) core_ = cores_.make();
    const TraceRequest* trace =
        options_.trace && options_.trace->wants(job.layer.quant_index) ? &*options_.trace : nullptr;
    if (trace == nullptr) return simulate(job, *core_, nullptr);
    if (!cores_.make_traced) return simulate(job, *core_, trace);
    // A fresh traced core for this layer, whose clock starts with the layer. Two verilated
    // instances of one variant must not be alive at once (Verilator 5.006 crashes destroying
    // the second), so the untraced core makes way and is rebuilt for the next layer (also when
    // this one throws: the next run() finds no core and makes one).
    core_.reset();
    LayerJobResult result;
    {
      auto traced = cores_.make_traced(*trace);
      result = simulate(job, *traced, nullptr);
    }
    core_ = cores_.make();
    return result;
  }

  LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) final {
    const LayerJob job =
        make_synthetic_job(layer, bits, options_.seed + uint64_t(layer.quant_index));
    LayerJobResult r = run(job);
    if (options_.verify) r.stats.bit_exact = r.accumulators == reference_accumulators(job);
    return r.stats;
  }

  const ArchConfig& config() const final { return config_; }
  LayerExecutor* executor() final { return this; }
  const ModelOptions& options() const { return options_; }

 protected:
  // Runs one layer job through the machine on `core`. With `trace`, the machine also records its
  // own signals into trace->path in the request's window.
  virtual LayerJobResult simulate(const LayerJob& job, Core& core, const TraceRequest* trace) = 0;

  const ArchConfig config_;

 private:
  const ModelOptions options_;
  const CoreFactory<Core> cores_;
  std::unique_ptr<Core> core_;  // null only while a traced layer runs, or after one threw
};

}  // namespace haqsim
