#include "sim/bitfusion/bitfusion_timing.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/bitfusion_energy.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/dram_channel.h"

namespace haqsim::bitfusion {

namespace {

// A blocking FIFO read: the stage waits until the token was sent.
void receive(int64_t& local, int64_t sent_at, int64_t& waited) {
  if (sent_at > local) {
    waited += sent_at - local;
    local = sent_at;
  }
}

}  // namespace

MachineActivity time_schedule(const TileSchedule& schedule, const ArchConfig& config) {
  const int64_t fill_drain = bitfusion_fill_drain_cycles(bitfusion_config(config));
  DramChannel dram(config.dram);
  MachineActivity a;

  // Times each stage sent its tokens, in FIFO order.
  std::vector<int64_t> weights_free, inputs_free;
  std::vector<int64_t> visit_stored(size_t(schedule.output_visits), 0);  // OBUF half released
  int64_t load = 0, compute = 0, store = 0, last_ack = 0;
  int64_t weight_loads = 0, input_loads = 0;
  int64_t stream_end = 0, last_fill_drain = 0;
  bool streamed = false;

  for (const TileStep& st : schedule.steps) {
    // Load: take the halves, issue one read per tensor (one issue cycle each), wait for data.
    if (st.load_weights && weight_loads++ >= 2) {
      receive(load, weights_free[size_t(weight_loads - 3)], a.load.wait_token);
    }
    if (st.load_inputs && input_loads++ >= 2) {
      receive(load, inputs_free[size_t(input_loads - 3)], a.load.wait_token);
    }
    if (st.output_begin && st.read_partials && st.output_visit >= 2) {
      receive(load, visit_stored[size_t(st.output_visit - 2)], a.load.wait_token);
    }
    const int64_t issue_start = load;
    int64_t arrival = load, data_cycles = 0;
    auto read = [&](int64_t bits) {
      const DramTransfer t = dram.request_uniform(load, 1, (bits + 7) / 8, /*write=*/false);
      data_cycles += t.done_cycle - t.data_start;
      arrival = std::max(arrival, t.done_cycle);
      load += 1;
    };
    if (st.load_weights) {
      read(st.weight_bits);
      a.weight_load_bits += st.weight_bits;
    }
    if (st.load_inputs) {
      read(st.input_bits);
      a.input_load_bits += st.input_bits;
    }
    if (st.output_begin && st.read_partials) {
      read(st.partial_read_bits);
      a.partial_read_bits += st.partial_read_bits;
    }
    const int64_t waited = std::max<int64_t>(0, arrival - load);
    const int64_t streaming = std::min(data_cycles, waited);
    a.load.busy += (load - issue_start) + streaming;
    a.load.wait_memory += waited - streaming;
    load = std::max(load, arrival);

    // Compute: wait for the step's data (and, for a visit starting from zero, its OBUF half),
    // stream the vectors; the last sum lands fill/drain cycles after the last vector.
    receive(compute, load, a.compute.wait_memory);
    if (st.output_begin && !st.read_partials && st.output_visit >= 2) {
      receive(compute, visit_stored[size_t(st.output_visit - 2)], a.compute.wait_token);
    }
    if (streamed) a.drain_during_stalls += std::min(compute - stream_end, last_fill_drain);
    last_fill_drain = fill_drain;
    compute += st.vectors;
    a.compute.busy += st.vectors;
    a.vectors += st.vectors;
    stream_end = compute;
    streamed = true;
    if (st.release_weights) weights_free.push_back(compute);
    if (st.release_inputs) inputs_free.push_back(compute);

    // Store: once the visit's last sum is in the OBUF, write the tile out; the half is free when
    // its data has left.
    if (st.output_end) {
      receive(store, compute, a.store.wait_token);
      receive(store, compute + fill_drain, a.store.wait_token);
      const DramTransfer t =
          dram.request_uniform(store, 1, (st.output_write_bits + 7) / 8, /*write=*/true);
      a.output_write_bits += st.output_write_bits;
      a.store.wait_memory += t.data_start - store;
      a.store.busy += t.done_cycle - t.data_start;
      store = t.done_cycle;
      last_ack = std::max(last_ack, t.ack_cycle);
      visit_stored[size_t(st.output_visit)] = store;
    }
  }
  a.fill_drain_cycles = last_fill_drain;
  a.compute.busy += last_fill_drain;
  compute += last_fill_drain;
  store = std::max(store, last_ack);
  a.cycles = std::max({load, compute, store});
  a.dram_read_bytes = dram.bytes_read();
  a.dram_write_bytes = dram.bytes_written();
  a.dram_contention_cycles = dram.contention_cycles();
  a.transfer_cycles = dram.transfer_cycles();
  return a;
}

LayerStats layer_stats(const LayerWorkload& layer, LayerBits bits, const ArchConfig& config,
                       const BitFusionTiling& tiling, const TileSchedule& schedule,
                       const MachineActivity& a) {
  const BitFusionConfig& f = bitfusion_config(config);
  LayerStats s;
  s.cycles = a.cycles;
  s.compute_cycles = a.vectors;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages = {a.load, a.compute, a.store};
  s.dram_read_bytes = a.dram_read_bytes;
  s.dram_write_bytes = a.dram_write_bytes;
  s.transfer_cycles = a.transfer_cycles;
  classify_bound(s);
  const bool dw = layer.kind == LayerKind::kDepthwise;
  s.mapping = dw ? std::string("dw:") + to_string(f.depthwise_mapping) : "conv";
  const int pf = bitfusion_products_per_unit(bits.wbits, bits.abits);
  const double peak = double(f.rows) * f.cols * pf;
  s.utilization = double(layer.macs()) / (double(s.cycles) * peak);
  s.mapping_utilization = double(layer.macs()) / (double(a.vectors) * peak);
  BitFusionActivity activity;
  activity.bits = bits;
  activity.vectors = a.vectors;
  activity.macs = layer.macs();
  activity.activation_sharing =
      dw ? 1 : std::min<int64_t>(layer.out_channels / layer.groups, f.cols);
  activity.per_unit_activations =
      dw && f.depthwise_mapping == BitFusionDepthwiseMapping::kTapsOnRows;
  activity.weight_load_bits = a.weight_load_bits;
  activity.input_load_bits = a.input_load_bits;
  activity.partial_read_bits = a.partial_read_bits;
  activity.output_write_bits = a.output_write_bits;
  activity.cycles = a.cycles;
  account_energy(config, activity, s);
  s.details = {
      {"tiling", describe(tiling)},
      {"products_per_unit", std::to_string(pf)},
      {"steps",
       fmt::format("{} (weight loads {}, input loads {}, output visits {})", schedule.steps.size(),
                   schedule.weight_loads, schedule.input_loads, schedule.output_visits)},
      {"fill_drain_cycles", std::to_string(a.fill_drain_cycles)},
      {"memory_stall_cycles", std::to_string(s.cycles - a.vectors - a.fill_drain_cycles)},
      {"drain_during_stalls", std::to_string(a.drain_during_stalls)},
      {"dram_contention_cycles", std::to_string(a.dram_contention_cycles)},
  };
  return s;
}

}  // namespace haqsim::bitfusion
