#include "sim/bitfusion/bitfusion_machine.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/common/dram_channel.h"
#include "sim/common/fresh_context_run.h"
#include "sim/common/pipelined_machine.h"

namespace haqsim::bitfusion {

namespace {

enum Stage { kLoad, kCompute, kStore };

enum Channel {
  kStepReady,            // load -> compute: the step's operands are in the buffers
  kWeightsFree,          // compute -> load: a WBUF half may be overwritten
  kInputsFree,           // compute -> load: an IBUF half may be overwritten
  kOutputDone,           // compute -> store: an output visit's last sum is on its way to the OBUF
  kOutputFreeToLoad,     // store -> load: an OBUF half was written out; the next visit using
                         // it reads spilled partial sums into it
  kOutputFreeToCompute,  // store -> compute: ... the next visit starts from zero
};

// Deep enough never to block a sender: at most one token per step on any channel.
std::vector<ChannelSpec> channels_for(const TileSchedule& schedule) {
  const int depth = int(schedule.steps.size() + 1);
  return {{"step_ready", depth},          {"weights_free", depth},
          {"inputs_free", depth},         {"output_done", depth},
          {"output_free_to_load", depth}, {"output_free_to_compute", depth}};
}

// The DRAM image of one layer job (int32 per value; traffic is counted at the operand widths).
struct DramImage {
  int64_t batch, channels, padded_h, padded_w;
  std::vector<int32_t> input;     // [batch][in_channels][padded_h][padded_w]
  std::vector<int32_t> partials;  // [batch][out_channels][out_h][out_w], spilled partial sums
  std::vector<int32_t> results;   // [batch][out_channels][out_h][out_w]
};

class BitFusionMachine : public PipelinedMachine {
 public:
  SC_HAS_PROCESS(BitFusionMachine);

  BitFusionMachine(sc_core::sc_module_name name, const LayerJob& job, const TileSchedule& schedule,
                   const ArchConfig& config, FusionArrayCore& core,
                   sc_core::sc_trace_file* trace_file)
      : PipelinedMachine(name, {"load", "compute", "store"}, channels_for(schedule), trace_file),
        job_(job),
        l_(job.layer),
        schedule_(schedule),
        f_(bitfusion_config(config)),
        core_(core),
        dram_(config.dram) {
    dw_ = l_.kind == LayerKind::kDepthwise;
    taps_ = int64_t(l_.kernel_h) * l_.kernel_w;
    icg_ = l_.in_channels / l_.groups;
    out_per_group_ = dw_ ? l_.out_channels : l_.out_channels / l_.groups;
    build_image();
    int64_t max_w = 0, max_i = 0, max_o = 0;
    for (const TileStep& st : schedule_.steps) {
      const int64_t pixels = st.out_rows.size * st.out_cols.size;
      max_w = std::max(max_w, st.out.size * (dw_ ? 1 : st.in.size) * taps_);
      max_i = std::max(max_i, st.batch.size * (dw_ ? st.out.size : st.in.size) * st.in_rows.size *
                                  st.in_cols.size);
      max_o = std::max(max_o, st.batch.size * st.out.size * pixels);
      if (st.output_end) visit_steps_.push_back(&st);
      if (st.output_begin) visit_begins_.push_back(&st);
    }
    for (int h = 0; h < 2; ++h) {
      wbuf_[h].assign(size_t(max_w), 0);
      ibuf_[h].assign(size_t(max_i), 0);
      obuf_[h].assign(size_t(max_o), 0);
    }
    ready_at_.assign(schedule_.steps.size(), 0);
    result_at_.assign(size_t(schedule_.output_visits), 0);
    step_vectors_ = add_signal("compute_step_vectors", 32);
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
    accumulators = std::move(image_.results);
  }

 private:
  void build_image() {
    image_.batch = l_.batch;
    image_.channels = l_.in_channels;
    image_.padded_h = l_.padded_height();
    image_.padded_w = l_.padded_width();
    image_.input.assign(size_t(image_.batch * image_.channels * image_.padded_h * image_.padded_w),
                        0);
    for (int64_t bc = 0; bc < image_.batch * image_.channels; ++bc) {
      for (int64_t y = 0; y < l_.in_height; ++y) {
        std::memcpy(image_.input.data() +
                        (bc * image_.padded_h + y + l_.pad_top) * image_.padded_w + l_.pad_left,
                    job_.input.data() + (bc * l_.in_height + y) * l_.in_width,
                    size_t(l_.in_width) * 4);
      }
    }
    image_.partials.assign(size_t(l_.output_elements()), 0);
    image_.results.assign(size_t(l_.output_elements()), 0);
  }

  int64_t out_channel(const TileStep& st, int64_t o) const {
    return st.group * out_per_group_ + st.out.begin + o;
  }

  void copy_weights(const TileStep& st) {
    int32_t* dst = wbuf_[st.weight_region].data();
    const int64_t in_count = dw_ ? 1 : st.in.size;
    // An output channel's input channels st.in are consecutive in the weights: one copy each.
    for (int64_t o = 0; o < st.out.size; ++o) {
      const int64_t ic = dw_ ? 0 : st.in.begin;
      std::memcpy(dst + o * in_count * taps_,
                  job_.weights.data() + (out_channel(st, o) * (dw_ ? 1 : icg_) + ic) * taps_,
                  size_t(in_count * taps_) * 4);
    }
  }

  void copy_inputs(const TileStep& st) {
    int32_t* dst = ibuf_[st.input_region].data();
    const int64_t channels = dw_ ? st.out.size : st.in.size;
    for (int64_t b = 0; b < st.batch.size; ++b) {
      for (int64_t c = 0; c < channels; ++c) {
        const int64_t ch = dw_ ? out_channel(st, c) : st.group * icg_ + st.in.begin + c;
        const int32_t* plane = image_.input.data() + ((st.batch.begin + b) * image_.channels + ch) *
                                                         image_.padded_h * image_.padded_w;
        int32_t* tile = dst + (b * channels + c) * st.in_rows.size * st.in_cols.size;
        const int32_t* src = plane + st.in_rows.begin * image_.padded_w + st.in_cols.begin;
        if (st.in_cols.size == image_.padded_w) {  // whole rows: one contiguous slab
          std::memcpy(tile, src, size_t(st.in_rows.size * st.in_cols.size) * 4);
          continue;
        }
        for (int64_t r = 0; r < st.in_rows.size; ++r) {
          std::memcpy(tile + r * st.in_cols.size, src + r * image_.padded_w,
                      size_t(st.in_cols.size) * 4);
        }
      }
    }
  }

  // Copies an output tile between an OBUF half and a [batch][out_c][out_h][out_w] DRAM area.
  void copy_outputs(const TileStep& st, std::vector<int32_t>& area, bool to_dram) {
    int32_t* half = obuf_[st.output_region].data();
    // Whole output rows are one contiguous run on both sides.
    const bool whole_rows = st.out_cols.size == l_.out_width;
    const int64_t rows = whole_rows ? 1 : st.out_rows.size;
    const int64_t run = whole_rows ? st.out_rows.size * st.out_cols.size : st.out_cols.size;
    for (int64_t b = 0; b < st.batch.size; ++b) {
      for (int64_t o = 0; o < st.out.size; ++o) {
        for (int64_t y = 0; y < rows; ++y) {
          int32_t* buf = half + ((b * st.out.size + o) * st.out_rows.size + y) * st.out_cols.size;
          int32_t* mem =
              area.data() +
              (((st.batch.begin + b) * l_.out_channels + out_channel(st, o)) * l_.out_height +
               st.out_rows.begin + y) *
                  l_.out_width +
              st.out_cols.begin;
          if (to_dram) {
            std::memcpy(mem, buf, size_t(run) * 4);
          } else {
            std::memcpy(buf, mem, size_t(run) * 4);
          }
        }
      }
    }
  }

  void load_stage() {
    int64_t local = 0, weight_loads = 0, input_loads = 0;
    StageStats& stats = activity.load;
    for (std::size_t k = 0; k < schedule_.steps.size(); ++k) {
      const TileStep& st = schedule_.steps[k];
      // Take the halves this step fills.
      const StageState token = StageState::kWaitToken;
      if (st.load_weights && weight_loads++ >= 2) {
        stats.wait_token += receive(kWeightsFree, local, kLoad, token);
      }
      if (st.load_inputs && input_loads++ >= 2) {
        stats.wait_token += receive(kInputsFree, local, kLoad, token);
      }
      if (st.output_begin && st.read_partials && st.output_visit >= 2) {
        stats.wait_token += receive(kOutputFreeToLoad, local, kLoad, token);
      }
      catch_up(local);
      trace_state(kLoad, local, StageState::kBusy);
      const int64_t issue_start = local;
      int64_t arrival = local, data_cycles = 0;
      auto read = [&](int64_t bits) {
        const DramTransfer t = dram_.request(local, {(bits + 7) / 8}, false);
        trace_dram_read(local, t.done_cycle);
        data_cycles += t.done_cycle - t.data_start;
        arrival = std::max(arrival, t.done_cycle);
        local += 1;  // one issue cycle per request
      };
      if (st.load_weights) {
        read(st.weight_bits);
        activity.weight_load_bits += st.weight_bits;
        copy_weights(st);
      }
      if (st.load_inputs) {
        read(st.input_bits);
        activity.input_load_bits += st.input_bits;
        copy_inputs(st);
      }
      if (st.output_begin && st.read_partials) {
        read(st.partial_read_bits);
        activity.partial_read_bits += st.partial_read_bits;
        copy_outputs(st, image_.partials, false);
      }
      // Sequential accounting: issue cycles and data phases are busy, the rest of the wait for
      // the data (request latency, channel contention) is waiting on memory.
      const int64_t waited = std::max<int64_t>(0, arrival - local);
      const int64_t streaming = std::min(data_cycles, waited);
      stats.busy += (local - issue_start) + streaming;
      stats.wait_memory += waited - streaming;
      if (arrival > local) trace_state(kLoad, local, StageState::kWaitMemory);
      local = std::max(local, arrival);
      trace_state(kLoad, local, StageState::kBusy);
      ready_at_[k] = local;
      send(kStepReady, local);
    }
    finish_stage(kLoad, local);
  }

  void compute_stage() {
    int64_t local = 0, stream_end = 0, last_fill_drain = 0;
    bool streamed = false;
    StageStats& stats = activity.compute;
    LayerGeometry geometry;
    geometry.kernel_h = l_.kernel_h;
    geometry.kernel_w = l_.kernel_w;
    geometry.stride_h = l_.stride_h;
    geometry.stride_w = l_.stride_w;
    geometry.dilation_h = l_.dilation_h;
    geometry.dilation_w = l_.dilation_w;
    geometry.depthwise = dw_;
    geometry.bits = job_.bits;
    geometry.input_signed = l_.input_signed;
    geometry.dw_mapping = f_.depthwise_mapping;
    geometry.dw_layout = bitfusion_depthwise_layout(f_, taps_, job_.bits);
    core_.configure(geometry);
    for (std::size_t k = 0; k < schedule_.steps.size(); ++k) {
      const TileStep& st = schedule_.steps[k];
      stats.wait_memory += receive(kStepReady, local, kCompute, StageState::kWaitMemory);
      if (ready_at_[k] > local) {
        stats.wait_memory += ready_at_[k] - local;
        trace_state(kCompute, local, StageState::kWaitMemory);
        local = ready_at_[k];
      }
      if (st.output_begin && !st.read_partials) {
        // A visit that starts from zero needs its OBUF half only now, not when its operands
        // are loaded; its first input-channel tile overwrites instead of accumulating.
        if (st.output_visit >= 2) {
          stats.wait_token +=
              receive(kOutputFreeToCompute, local, kCompute, StageState::kWaitToken);
        }
        std::fill(obuf_[st.output_region].begin(), obuf_[st.output_region].end(), 0);
      }
      // The previous step drains while the stream pauses; the pause is a stall either way.
      if (streamed) activity.drain_during_stalls += std::min(local - stream_end, last_fill_drain);
      TileOperands op;
      op.step = &st;
      op.weights = wbuf_[st.weight_region].data();
      op.inputs = ibuf_[st.input_region].data();
      op.outputs = obuf_[st.output_region].data();
      trace_state(kCompute, local, StageState::kBusy);
      trace_set(step_vectors_, local, st.vectors);
      core_.at_cycle(local);
      const int64_t occupied = core_.execute(op);
      last_fill_drain = occupied - st.vectors;
      local += st.vectors;
      stats.busy += st.vectors;
      activity.vectors += st.vectors;
      stream_end = local;
      streamed = true;
      if (st.output_end) {
        result_at_[size_t(st.output_visit)] = local + last_fill_drain;
        send(kOutputDone, local);
      }
      // A buffer half is released when its last vector has entered the array: a new load
      // takes at least the DRAM latency before its first beat could overwrite anything.
      if (st.release_weights) send(kWeightsFree, local);
      if (st.release_inputs) send(kInputsFree, local);
    }
    activity.fill_drain_cycles += last_fill_drain;
    stats.busy += last_fill_drain;  // the array finishing the last step
    local += last_fill_drain;
    trace_set(step_vectors_, local, 0);
    finish_stage(kCompute, local);
  }

  void store_stage() {
    int64_t local = 0, last_ack = 0;
    StageStats& stats = activity.store;
    for (const TileStep* st : visit_steps_) {
      stats.wait_token += receive(kOutputDone, local, kStore, StageState::kWaitToken);
      const int64_t ready = result_at_[size_t(st->output_visit)];
      if (ready > local) {
        stats.wait_token += ready - local;
        trace_state(kStore, local, StageState::kWaitToken);
        local = ready;
      }
      catch_up(local);
      core_.at_cycle(local);  // the tile's last sums are in the OBUF
      copy_outputs(*st, st->output_final ? image_.results : image_.partials, true);
      const DramTransfer t = dram_.request(local, {(st->output_write_bits + 7) / 8}, true);
      trace_state(kStore, local, StageState::kWaitMemory);
      trace_state(kStore, t.data_start, StageState::kBusy);
      trace_dram_write(local, t.ack_cycle);
      activity.output_write_bits += st->output_write_bits;
      stats.wait_memory += t.data_start - local;
      stats.busy += t.done_cycle - t.data_start;
      // The half is free once its data has left; the layer is done when the last write is
      // acknowledged.
      local = t.done_cycle;
      last_ack = std::max(last_ack, t.ack_cycle);
      const std::size_t next = size_t(st->output_visit) + 2;  // the next visit using the half
      if (next < visit_begins_.size()) {
        send(visit_begins_[next]->read_partials ? kOutputFreeToLoad : kOutputFreeToCompute, local);
      }
    }
    finish_stage(kStore, std::max(local, last_ack));
  }

  const LayerJob& job_;
  const LayerWorkload& l_;
  const TileSchedule& schedule_;
  const BitFusionConfig& f_;
  FusionArrayCore& core_;
  DramChannel dram_;
  bool dw_ = false;
  int64_t taps_ = 1, icg_ = 1, out_per_group_ = 1;
  DramImage image_;
  std::vector<int32_t> wbuf_[2], ibuf_[2], obuf_[2];
  std::vector<const TileStep*> visit_steps_, visit_begins_;  // last and first step per visit
  std::vector<int64_t> ready_at_, result_at_;
  int step_vectors_ = -1;
};

}  // namespace

MachineActivity run_bitfusion_machine(const LayerJob& job, const TileSchedule& schedule,
                                      const ArchConfig& config, FusionArrayCore& core,
                                      std::vector<int32_t>& accumulators,
                                      const TraceRequest* trace) {
  FreshContextRun run(trace);
  BitFusionMachine machine("bitfusion", job, schedule, config, core, run.trace_file());
  run.to_end("BitFusion", [&] { return machine.all_stages_finished(); });
  machine.finish(accumulators);
  return machine.activity;
}

}  // namespace haqsim::bitfusion
