#include "sim/stripes/stripes_analytic.h"

#include <algorithm>

#include "base/int_math.h"
#include "sim/stripes/stripes_config.h"
#include "sim/stripes/stripes_plan.h"
#include "sim/stripes/stripes_systemc_model.h"

namespace haqsim::stripes {

StripesAnalytic::StripesAnalytic(ArchConfig config) : config_(std::move(config)) {
  stripes_config(config_);  // checks it is a Stripes config
}

LayerStats StripesAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const Plan plan = plan_layer(layer, config_, bits);
  const DramConfig& dram = config_.dram;
  const int64_t bw = dram.bits_per_cycle();
  const Pass& first = plan.passes.front();
  const Pass& last = plan.passes.back();

  const int64_t compute = plan.compute_cycles();
  // Loads: the first pass's data arrives before anything runs (one latency, its bits, one issue
  // cycle per request); the rest streams behind the compute. Stores: reads and writes use
  // independent AXI channels, so they overlap each other.
  const int64_t first_bits = first.weight_bits + first.input_bits;
  const int64_t requests = (first.weight_bits > 0) + (first.input_bits > 0);
  const int64_t prologue = dram.latency_cycles + ceil_div(first_bits, bw) + requests;
  const int64_t load_rest = ceil_div(plan.weight_bits() + plan.input_bits() - first_bits, bw);
  // Compute and store alternate through NBout's two halves: while pass k streams, pass k - 1's
  // sums are written, so the slower of the two sets the pace (the layer's totals would hide a
  // store-bound phase); the last pass's write is in the epilogue.
  int64_t paced = first.stream_cycles;
  for (std::size_t k = 1; k < plan.passes.size(); ++k) {
    paced += std::max(plan.passes[k].stream_cycles, ceil_div(plan.passes[k - 1].output_bits, bw));
  }
  // When loading bounds the layer, the passes from the last one that loads anything run after
  // its data (the last filter set's weights, say) has arrived.
  int64_t tail = 0;
  for (auto it = plan.passes.rbegin(); it != plan.passes.rend(); ++it) {
    tail += it->stream_cycles;
    if (it->weight_bits + it->input_bits > 0) break;
  }
  // After the last pass: its drain, then its write and the write response.
  const int64_t epilogue = kSipDrainCycles + ceil_div(last.output_bits, bw) + dram.latency_cycles;

  LayerStats s;
  s.compute_cycles = compute;
  s.cycles = prologue + std::max(paced, load_rest + tail) + epilogue;
  s.memory_bound =
      ceil_div(plan.weight_bits() + plan.input_bits() + plan.output_bits(), bw) > compute;
  s.dram_read_bytes = ceil_div(plan.weight_bits(), 8) + ceil_div(plan.input_bits(), 8);
  s.dram_write_bytes = ceil_div(plan.output_bits(), 8);
  s.stages = {
      {"load", prologue + load_rest, 0, 0},
      {"compute", compute + kSipDrainCycles, 0, s.cycles - compute - kSipDrainCycles},
      {"store", ceil_div(plan.output_bits(), bw), 0, 0},
  };
  fill_stats(config_, layer, bits, plan, s);
  return s;
}

}  // namespace haqsim::stripes
