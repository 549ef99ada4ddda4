#include "sim/stripes/stripes_analytic.h"

#include <algorithm>
#include <vector>

#include "base/int_math.h"
#include "sim/common/dram_channel.h"
#include "sim/stripes/stripes_config.h"
#include "sim/stripes/stripes_plan.h"
#include "sim/stripes/stripes_systemc_model.h"

namespace haqsim::stripes {

StripesAnalytic::StripesAnalytic(ArchConfig config) : config_(std::move(config)) {
  stripes_config(config_);  // checks it is a Stripes config
}

LayerStats StripesAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const Plan plan = plan_layer(layer, config_, bits);
  const std::size_t passes = plan.passes.size();
  DramChannel dram(config_.dram);
  LayerStats s;
  StageStats load{"load"}, compute{"compute"}, store{"store"};
  int64_t load_at = 0, arrived = 0, compute_at = 0, store_at = 0, last_ack = 0;
  std::vector<int64_t> computed(passes), stored(passes), set_done;
  auto wait = [](int64_t& local, int64_t until, int64_t& counter) {
    if (until > local) {
      counter += until - local;
      local = until;
    }
  };
  for (std::size_t k = 0; k < passes; ++k) {
    const Pass& p = plan.passes[k];
    // Load: an SB slot (the set that held it is done), an NM half when inputs are reloaded; the
    // requests (one issue cycle each) stay outstanding.
    if (p.load_weights && p.filter_set_index >= plan.sb_slots) {
      wait(load_at, set_done[size_t(p.filter_set_index - plan.sb_slots)], load.wait_token);
    }
    if (!plan.inputs_resident && k >= 2) wait(load_at, computed[k - 2], load.wait_token);
    int64_t ready = load_at;
    auto read = [&](int64_t bits_to_read) {
      const DramTransfer t = dram.request_uniform(load_at, 1, ceil_div(bits_to_read, 8), false);
      load.busy += t.done_cycle - t.data_start;
      ready = std::max(ready, t.done_cycle);
      load_at += 1;  // one issue cycle per request
    };
    if (p.load_weights) read(p.weight_bits);
    if (p.input_bits > 0) read(p.input_bits);
    arrived = std::max(arrived, ready);
    const int64_t sent = load_at;

    // Compute: the pass's data, an NBout half (store wrote the pass two before), the stream.
    wait(compute_at, sent, compute.wait_memory);
    wait(compute_at, ready, compute.wait_memory);
    if (k >= 2) wait(compute_at, stored[k - 2], compute.wait_token);
    compute_at += p.stream_cycles;
    compute.busy += p.stream_cycles;
    computed[k] = compute_at;
    if (p.last_of_filter_set) set_done.push_back(compute_at);

    // Store: the sums once the SIPs drained, one write; the half is free when the data has left.
    wait(store_at, compute_at, store.wait_token);
    wait(store_at, compute_at + kSipDrainCycles, store.wait_token);
    const DramTransfer t = dram.request_uniform(store_at, 1, ceil_div(p.output_bits, 8), true);
    store.wait_memory += t.data_start - store_at;
    store.busy += t.done_cycle - t.data_start;
    store_at = t.done_cycle;
    last_ack = std::max(last_ack, t.ack_cycle);
    stored[k] = store_at;
  }
  if (arrived > load_at) load.wait_memory += arrived - load_at;
  compute.busy += kSipDrainCycles;  // the last pass's drain is exposed
  s.cycles = std::max({std::max(load_at, arrived), compute_at + kSipDrainCycles,
                       std::max(store_at, last_ack)});
  s.compute_cycles = plan.compute_cycles();
  s.stages = {load, compute, store};
  s.dram_read_bytes = dram.bytes_read();
  s.dram_write_bytes = dram.bytes_written();
  s.transfer_cycles = dram.transfer_cycles();
  s.details = {{"dram_contention_cycles", std::to_string(dram.contention_cycles())}};
  fill_stats(config_, layer, bits, plan, s);
  return s;
}

}  // namespace haqsim::stripes
