#include "sim/stripes/stripes_machine.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "base/int_math.h"
#include "sim/common/dram_channel.h"
#include "sim/common/fresh_context_run.h"
#include "sim/common/pipelined_machine.h"

namespace haqsim::stripes {

namespace {

enum Stage { kLoad, kCompute, kStore };

enum Channel {
  kPassReady,    // load -> compute: the pass's weights and input rows are on chip
  kWeightsFree,  // compute -> load: an SB slot may be overwritten
  kInputsFree,   // compute -> load: an NM half may be overwritten (inputs reloaded per pass)
  kOutputDone,   // compute -> store: a pass's sums are on their way to NBout
  kOutputFree,   // store -> compute: an NBout half was written out
};

// At most one token per pass on any channel: deep enough never to block a sender.
std::vector<ChannelSpec> channels_for(const Plan& plan) {
  const int depth = int(plan.passes.size() + 1);
  return {{"pass_ready", depth},
          {"weights_free", depth},
          {"inputs_free", depth},
          {"output_done", depth},
          {"output_free", depth}};
}

class StripesMachine : public PipelinedMachine {
 public:
  SC_HAS_PROCESS(StripesMachine);

  StripesMachine(sc_core::sc_module_name name, const LayerJob& job, const Plan& plan,
                 const ArchConfig& config, SipArrayCore& core, sc_core::sc_trace_file* trace_file)
      : PipelinedMachine(name, {"load", "compute", "store"}, channels_for(plan), trace_file),
        job_(job),
        l_(job.layer),
        plan_(plan),
        c_(stripes_config(config)),
        core_(core),
        dram_(config.dram) {
    padded_h_ = l_.padded_height();
    padded_w_ = l_.padded_width();
    nm_.assign(size_t(int64_t(l_.batch) * l_.in_channels * padded_h_ * padded_w_), 0);
    results_.assign(size_t(l_.output_elements()), 0);
    chunks_ = ceil_div(plan_.in_channels, c_.lanes);
    int max_tiles = 1;
    for (const Pass& p : plan_.passes) max_tiles = std::max(max_tiles, p.tiles);
    const size_t set = size_t(max_tiles) * plan_.bricks * c_.filters_per_tile * c_.lanes;
    sb_.assign(size_t(plan_.sb_slots), std::vector<int32_t>(set, 0));
    for (auto& half : nbout_) {
      half.assign(size_t(max_tiles) * c_.filters_per_tile * plan_.windows_per_pass, 0);
    }
    activations_.assign(size_t(plan_.bricks * plan_.windows_per_pass * c_.lanes), 0);
    ready_at_.assign(plan_.passes.size(), 0);
    result_at_.assign(plan_.passes.size(), 0);
    pass_signal_ = add_signal("compute_pass", 32);
    SC_THREAD(load_stage);
    SC_THREAD(compute_stage);
    SC_THREAD(store_stage);
  }

  MachineActivity activity;

  void finish(std::vector<int32_t>& accumulators) {
    activity.cycles = end_cycle();
    activity.dram_read_bytes = dram_.bytes_read();
    activity.dram_write_bytes = dram_.bytes_written();
    activity.dram_contention_cycles = dram_.contention_cycles();
    activity.transfer_cycles = dram_.transfer_cycles();
    accumulators = std::move(results_);
  }

 private:
  // --- data path --------------------------------------------------------------------------------

  void copy_input_rows(const InputRows& rows) {
    for (int64_t ch = rows.channel_begin; ch < rows.channel_begin + rows.channels; ++ch) {
      const int64_t plane = rows.image * l_.in_channels + ch;
      for (int64_t y = rows.row_begin; y < rows.row_end; ++y) {
        std::memcpy(nm_.data() + (plane * padded_h_ + y + l_.pad_top) * padded_w_ + l_.pad_left,
                    job_.input.data() + (plane * l_.in_height + y) * l_.in_width,
                    size_t(l_.in_width) * 4);
      }
    }
  }

  // The filter set's weights, gathered into bricks: [tile][brick][row][lane].
  void fill_weights(const Pass& p) {
    std::vector<int32_t>& half = sb_[size_t(p.weight_slot)];
    std::fill(half.begin(), half.end(), 0);
    const int64_t rows = c_.filters_per_tile, lanes = c_.lanes, taps = plan_.taps;
    const int64_t icg = l_.in_channels / l_.groups;
    for (int t = 0; t < p.tiles; ++t) {
      for (int64_t b = 0; b < plan_.bricks; ++b) {
        for (int64_t f = 0; f < rows; ++f) {
          int32_t* dst = half.data() + ((t * plan_.bricks + b) * rows + f) * lanes;
          const int64_t filter = p.first_filter + t * rows + f;
          if (filter >= p.filters + p.first_filter) continue;
          if (plan_.mapping == Mapping::kLaneDiagonal) {
            // Filter f's only weight, at tap b, sits in lane f.
            dst[f] = job_.weights[size_t((p.group * plan_.filters + filter) * taps + b)];
            continue;
          }
          const int64_t oc = p.group * plan_.filters + filter;
          const int64_t tap = b / chunks_, chunk = b % chunks_;
          for (int64_t lane = 0; lane < lanes; ++lane) {
            const int64_t ic = chunk * lanes + lane;
            if (ic < icg) dst[lane] = job_.weights[size_t((oc * icg + ic) * taps + tap)];
          }
        }
      }
    }
  }

  // The pass's activation bricks from NM: [brick][window][lane].
  void gather_activations(const Pass& p) {
    const int64_t lanes = c_.lanes, plane = int64_t(l_.out_height) * l_.out_width;
    std::fill(activations_.begin(), activations_.end(), 0);
    for (int64_t w = 0; w < p.windows; ++w) {
      const int64_t n = p.first_window + w;
      const int64_t image = n / plane, oy = (n % plane) / l_.out_width, ox = n % l_.out_width;
      for (int64_t b = 0; b < plan_.bricks; ++b) {
        const int64_t tap = plan_.mapping == Mapping::kLaneDiagonal ? b : b / chunks_;
        const int64_t chunk = plan_.mapping == Mapping::kLaneDiagonal ? 0 : b % chunks_;
        const int64_t y = oy * l_.stride_h + (tap / l_.kernel_w) * l_.dilation_h;
        const int64_t x = ox * l_.stride_w + (tap % l_.kernel_w) * l_.dilation_w;
        int32_t* dst = activations_.data() + (b * p.windows + w) * lanes;
        const int64_t first = p.group * plan_.in_channels + chunk * lanes;
        const int64_t last = std::min(first + lanes, (p.group + 1) * plan_.in_channels);
        for (int64_t ch = first; ch < std::min<int64_t>(last, l_.in_channels); ++ch) {
          dst[ch - first] =
              nm_[size_t(((image * l_.in_channels + ch) * padded_h_ + y) * padded_w_ + x)];
        }
      }
    }
  }

  void write_results(const Pass& p, const std::vector<int32_t>& sums) {
    const int64_t rows = c_.filters_per_tile, plane = int64_t(l_.out_height) * l_.out_width;
    for (int t = 0; t < p.tiles; ++t) {
      for (int64_t f = 0; f < rows; ++f) {
        const int64_t filter = t * rows + f;
        if (filter >= p.filters) continue;
        const int64_t oc = p.group * plan_.filters + p.first_filter + filter;
        for (int64_t w = 0; w < p.windows; ++w) {
          const int64_t n = p.first_window + w;
          const int64_t image = n / plane;
          results_[size_t((image * l_.out_channels + oc) * plane + n % plane)] =
              sums[size_t((t * rows + f) * p.windows + w)];
        }
      }
    }
  }

  // --- stages -----------------------------------------------------------------------------------

  // Loads keep their DRAM requests outstanding, as a DMA engine does: a pass's requests are
  // issued (one cycle each) and the stage moves on to the next pass; compute waits for the data
  // (ready_at_). Only the buffer halves hold the stage back.
  void load_stage() {
    int64_t local = 0, arrived = 0;
    StageStats& stats = activity.load;
    for (std::size_t k = 0; k < plan_.passes.size(); ++k) {
      const Pass& p = plan_.passes[k];
      if (p.load_weights && p.filter_set_index >= plan_.sb_slots) {
        stats.wait_token += receive(kWeightsFree, local, kLoad, StageState::kWaitToken);
      }
      if (!plan_.inputs_resident && k >= 2) {
        stats.wait_token += receive(kInputsFree, local, kLoad, StageState::kWaitToken);
      }
      catch_up(local);
      trace_state(kLoad, local, StageState::kBusy);
      int64_t ready = local;
      auto read = [&](int64_t bits) {
        const DramTransfer t = dram_.request(local, {ceil_div(bits, 8)}, false);
        trace_dram_read(local, t.done_cycle);
        stats.busy += t.done_cycle - t.data_start;
        ready = std::max(ready, t.done_cycle);
        local += 1;  // one issue cycle per request
      };
      // Safe to fill the buffers now: the tokens guarantee nobody reads what is overwritten, and
      // compute does not use this pass's data before it has arrived.
      if (p.load_weights) {
        read(p.weight_bits);
        activity.weight_load_bits += p.weight_bits;
        fill_weights(p);
      }
      if (p.input_bits > 0) {
        read(p.input_bits);
        activity.input_load_bits += p.input_bits;
        for (const InputRows& rows : p.inputs) copy_input_rows(rows);
      }
      ready_at_[k] = ready;
      arrived = std::max(arrived, ready);
      send(kPassReady, local);
    }
    if (arrived > local) {
      stats.wait_memory += arrived - local;
      trace_state(kLoad, local, StageState::kWaitMemory);
    }
    finish_stage(kLoad, std::max(local, arrived));
  }

  void compute_stage() {
    int64_t local = 0, drain = 0;
    StageStats& stats = activity.compute;
    SipPass pass;
    pass.abits = job_.bits.abits;
    pass.act_signed = l_.input_signed;
    pass.column_groups = plan_.column_groups;
    pass.filters = c_.filters_per_tile;
    pass.bricks = plan_.bricks;
    for (std::size_t k = 0; k < plan_.passes.size(); ++k) {
      const Pass& p = plan_.passes[k];
      stats.wait_memory += receive(kPassReady, local, kCompute, StageState::kWaitMemory);
      if (ready_at_[k] > local) {
        stats.wait_memory += ready_at_[k] - local;
        trace_state(kCompute, local, StageState::kWaitMemory);
        local = ready_at_[k];
      }
      if (k >= 2) stats.wait_token += receive(kOutputFree, local, kCompute, StageState::kWaitToken);
      trace_state(kCompute, local, StageState::kBusy);
      trace_set(pass_signal_, local, int64_t(k));
      gather_activations(p);
      pass.windows = int(p.windows);
      pass.tiles = p.tiles;
      pass.stream_cycles = p.stream_cycles;
      pass.activations = activations_.data();
      pass.weights = sb_[size_t(p.weight_slot)].data();
      std::vector<int32_t>& sums = nbout_[k % 2];
      core_.at_cycle(local);
      core_.run_pass(pass, sums.data());
      drain = core_.drain_cycles();
      local += p.stream_cycles;
      stats.busy += p.stream_cycles;
      activity.stream_cycles += p.stream_cycles;
      result_at_[k] = local + drain;
      send(kOutputDone, local);
      if (p.last_of_filter_set &&
          p.filter_set_index + plan_.sb_slots < plan_.groups * plan_.filter_sets) {
        send(kWeightsFree, local);
      }
      if (!plan_.inputs_resident) send(kInputsFree, local);
    }
    // The last pass's drain is exposed.
    activity.exposed_drain_cycles = drain;
    stats.busy += drain;
    local += drain;
    trace_set(pass_signal_, local, 0);
    finish_stage(kCompute, local);
  }

  void store_stage() {
    int64_t local = 0, last_ack = 0;
    StageStats& stats = activity.store;
    for (std::size_t k = 0; k < plan_.passes.size(); ++k) {
      const Pass& p = plan_.passes[k];
      stats.wait_token += receive(kOutputDone, local, kStore, StageState::kWaitToken);
      if (result_at_[k] > local) {
        stats.wait_token += result_at_[k] - local;
        trace_state(kStore, local, StageState::kWaitToken);
        local = result_at_[k];
      }
      catch_up(local);
      write_results(p, nbout_[k % 2]);
      const DramTransfer t = dram_.request(local, {ceil_div(p.output_bits, 8)}, true);
      trace_state(kStore, local, StageState::kWaitMemory);
      trace_state(kStore, t.data_start, StageState::kBusy);
      trace_dram_write(local, t.ack_cycle);
      activity.output_write_bits += p.output_bits;
      stats.wait_memory += t.data_start - local;
      stats.busy += t.done_cycle - t.data_start;
      // The half is free once its data has left; the layer is done when the last write is
      // acknowledged.
      local = t.done_cycle;
      last_ack = std::max(last_ack, t.ack_cycle);
      if (k + 2 < plan_.passes.size()) send(kOutputFree, local);
    }
    finish_stage(kStore, std::max(local, last_ack));
  }

  const LayerJob& job_;
  const LayerWorkload& l_;
  const Plan& plan_;
  const StripesConfig& c_;
  SipArrayCore& core_;
  DramChannel dram_;
  int64_t padded_h_ = 0, padded_w_ = 0, chunks_ = 1;
  std::vector<int32_t> nm_, results_, activations_;
  std::vector<std::vector<int32_t>> sb_;  // one filter set per slot
  std::vector<int32_t> nbout_[2];
  std::vector<int64_t> ready_at_, result_at_;
  int pass_signal_ = -1;
};

}  // namespace

MachineActivity run_stripes_machine(const LayerJob& job, const Plan& plan, const ArchConfig& config,
                                    SipArrayCore& core, std::vector<int32_t>& accumulators,
                                    const TraceRequest* trace) {
  FreshContextRun run(trace);
  StripesMachine machine("stripes", job, plan, config, core, run.trace_file());
  run.to_end("Stripes", [&] { return machine.all_stages_finished(); });
  machine.finish(accumulators);
  return machine.activity;
}

}  // namespace haqsim::stripes
