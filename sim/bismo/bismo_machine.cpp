#include "sim/bismo/bismo_machine.h"

#include <sysc/tracing/sc_tracing_ids.h>
#include <systemc>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "sim/common/dram_channel.h"
#include "sim/common/systemc_context.h"
#include "sim/common/traced_signals.h"
#include "sim/common/vcd_window_filter.h"

namespace haqsim::bismo {

namespace {

const sc_core::sc_time kCycle(1, sc_core::SC_NS);

int64_t current_cycle() {
  return int64_t(sc_core::sc_time_stamp() / kCycle + 0.5);
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

SC_MODULE(BismoMachine) {
  BismoMachine(sc_core::sc_module_name name, LoweredLayer & lowered, const ArchConfig& config,
               DpuArrayCore& core, sc_core::sc_trace_file* trace_file)
      : sc_core::sc_module(name),
        lowered_(lowered),
        config_(config),
        bismo_(*config.bismo),
        core_(core),
        dram_(config.dram),
        lhs_(bismo_.dm, bismo_.lhs_depth, bismo_.dk),
        rhs_(bismo_.dn, bismo_.rhs_depth, bismo_.dk),
        result_slots_(bismo_.result_depth) {
    // Deep enough never to block a sender: BISMO's token FIFOs are sized so that a send never
    // stalls, and blocking sends would add cycles the programs do not intend.
    int sends[kChannelCount] = {};
    auto count = [&](const auto& program) {
      for (const auto& instruction : program) {
        if (const Sync* s = std::get_if<Sync>(&instruction); s && s->send) ++sends[int(s->channel)];
      }
    };
    count(lowered.programs.fetch);
    count(lowered.programs.execute);
    count(lowered.programs.result);
    for (int c = 0; c < kChannelCount; ++c) {
      channels_[c] = std::make_unique<sc_core::sc_fifo<int>>(std::max(1, sends[c]));
    }
    if (trace_file) add_traced_signals(trace_file);
    SC_THREAD(fetch_stage);
    SC_THREAD(execute_stage);
    SC_THREAD(result_stage);
  }

  SC_HAS_PROCESS(BismoMachine);

  MachineActivity activity;

 private:
  sc_core::sc_fifo<int>& channel(Channel c) {
    return *channels_[int(c)];
  }

  // Waveforms: the stages' states, the token FIFOs' levels and the DRAM requests in flight.
  void add_traced_signals(sc_core::sc_trace_file * file) {
    signals_ = std::make_unique<TracedSignals>("signals", file, kCycle);
    fetch_state_ = signals_->add("fetch_state", 2);  // StageState: 0 idle 1 busy 2 token 3 memory
    execute_state_ = signals_->add("execute_state", 2);
    result_state_ = signals_->add("result_state", 2);
    const char* names[kChannelCount] = {"tokens_fetch_to_execute", "tokens_execute_to_fetch",
                                        "tokens_execute_to_result", "tokens_result_to_execute"};
    for (int c = 0; c < kChannelCount; ++c) tokens_[c] = signals_->add(names[c], 16);
    dram_reads_ = signals_->add("dram_reads_in_flight", 16);
    dram_writes_ = signals_->add("dram_writes_in_flight", 16);
    execute_words_ = signals_->add("execute_run_words", 32);
  }
  void trace_state(int id, int64_t cycle, StageState state) {
    if (signals_) signals_->set_state(id, cycle, state);
  }
  void trace_set(int id, int64_t cycle, int64_t value) {
    if (signals_) signals_->set(id, cycle, value);
  }
  void trace_add(int id, int64_t from, int64_t to) {  // one more in flight during [from, to)
    if (signals_) {
      signals_->add_to(id, from, 1);
      signals_->add_to(id, to, -1);
    }
  }

  // Brings SystemC time up to a stage's local cycle count before it interacts.
  static void catch_up(int64_t local) {
    const int64_t now = current_cycle();
    if (local > now) sc_core::wait(double(local - now) * kCycle);
  }

  void sync(const Sync& s, int64_t& local, StageStats& stats, int state) {
    catch_up(local);
    const int level = tokens_[int(s.channel)];
    if (s.send) {
      channel(s.channel).write(1);
      if (signals_) signals_->add_to(level, current_cycle(), 1);
    } else {
      const int64_t before = current_cycle();
      trace_state(state, before, StageState::kWaitToken);
      channel(s.channel).read();
      stats.wait_token += current_cycle() - before;
      if (signals_) signals_->add_to(level, current_cycle(), -1);
      trace_state(state, current_cycle(), StageState::kBusy);
    }
    local = current_cycle();
  }

  // Fetch keeps its DRAM requests outstanding: a run issues its request (one cycle) and moves
  // on; a token is sent only once every byte fetched before it has arrived.
  void fetch_stage() {
    int64_t local = 0, data_arrived = 0;
    const int64_t word_bytes = bismo_.dk / 8;
    std::vector<int64_t> segment_bytes;
    for (const FetchInstruction& instruction : lowered_.programs.fetch) {
      std::visit(Overloaded{[&](const Sync& s) {
                              if (s.send && data_arrived > local) {
                                activity.fetch.wait_memory += data_arrived - local;
                                trace_state(fetch_state_, local, StageState::kWaitMemory);
                                local = data_arrived;
                                trace_state(fetch_state_, local, StageState::kBusy);
                              }
                              sync(s, local, activity.fetch, fetch_state_);
                            },
                            [&](const FetchRun& run) {
                              catch_up(local);
                              segment_bytes.clear();
                              for (const auto& seg : run.segments) {
                                segment_bytes.push_back(seg.words * word_bytes);
                              }
                              DramTransfer t = dram_.request(local, segment_bytes, false);
                              trace_state(fetch_state_, local, StageState::kBusy);
                              trace_add(dram_reads_, local, t.done_cycle);
                              activity.fetch.busy += t.done_cycle - t.data_start;
                              data_arrived = std::max(data_arrived, t.done_cycle);
                              local += 1;
                              // Safe to fill the buffer now: the token protocol guarantees
                              // execute is done with this region and will not read it before
                              // the data has arrived.
                              copy_into_buffers(run);
                            }},
                 instruction);
    }
    local = std::max(local, data_arrived);
    catch_up(local);
    trace_state(fetch_state_, local, StageState::kIdle);
    fetch_end_ = local;
  }

  void copy_into_buffers(const FetchRun& run) {
    OperandBuffer& buffer = run.operand == Operand::kLhs ? lhs_ : rhs_;
    const int64_t word_bytes = bismo_.dk / 8;
    for (const auto& seg : run.segments) {
      (run.operand == Operand::kLhs ? activity.lhs_fetch_bytes : activity.rhs_fetch_bytes) +=
          seg.words * word_bytes;
      if (seg.buffer_word + seg.words > buffer.depth) {
        throw std::logic_error("BISMO fetch overflows a buffer bank");
      }
      for (int64_t w = 0; w < seg.words; ++w) {
        uint64_t* dst = buffer.word(seg.bank, seg.buffer_word + w);
        std::memset(dst, 0, size_t(buffer.words_u64) * 8);
        std::memcpy(dst, lowered_.dram.data() + seg.dram_byte + w * word_bytes, size_t(word_bytes));
      }
    }
  }

  void execute_stage() {
    int64_t local = 0;
    std::vector<int32_t> accumulators;
    for (const ExecuteInstruction& instruction : lowered_.programs.execute) {
      std::visit(
          Overloaded{[&](const Sync& s) { sync(s, local, activity.execute, execute_state_); },
                     [&](const ExecuteRun& run) {
                       trace_state(execute_state_, local, StageState::kBusy);
                       trace_set(execute_words_, local, run.words);
                       core_.at_cycle(local);
                       core_.execute(run, lhs_, rhs_);
                       int64_t cycles = bismo_.instruction_overhead_cycles + run.words;
                       activity.streamed_words += run.words;
                       ++activity.execute_instructions;
                       if (run.write_result) {
                         cycles += core_.drain_cycles();
                         core_.read_accumulators(accumulators);
                         result_slots_[run.result_slot] = accumulators;
                       }
                       activity.execute.busy += cycles;
                       local += cycles;
                     }},
          instruction);
    }
    catch_up(local);
    trace_state(execute_state_, local, StageState::kIdle);
    trace_set(execute_words_, local, 0);
    execute_end_ = local;
  }

  void result_stage() {
    int64_t local = 0, last_ack = 0;
    std::vector<int64_t> segment_bytes;
    for (const ResultInstruction& instruction : lowered_.programs.result) {
      std::visit(Overloaded{[&](const Sync& s) { sync(s, local, activity.result, result_state_); },
                            [&](const ResultRun& run) {
                              catch_up(local);
                              const std::vector<int32_t>& slot = result_slots_[run.result_slot];
                              for (int r = 0; r < run.rows; ++r) {
                                std::memcpy(
                                    lowered_.dram.data() + run.dram_byte + r * run.row_stride_bytes,
                                    slot.data() + size_t(r) * bismo_.dn, size_t(run.cols) * 4);
                              }
                              segment_bytes.assign(run.rows, int64_t(run.cols) * 4);
                              DramTransfer t = dram_.request(local, segment_bytes, true);
                              trace_state(result_state_, local, StageState::kWaitMemory);
                              trace_state(result_state_, t.data_start, StageState::kBusy);
                              trace_add(dram_writes_, local, t.ack_cycle);
                              activity.result.busy += t.done_cycle - t.data_start;
                              activity.result.wait_memory += t.data_start - local;
                              // The slot is free once its data has left; the layer is done
                              // only when the last write is acknowledged.
                              local = t.done_cycle;
                              last_ack = std::max(last_ack, t.ack_cycle);
                              ++activity.result_tiles;
                            }},
                 instruction);
    }
    local = std::max(local, last_ack);
    catch_up(local);
    trace_state(result_state_, local, StageState::kIdle);
    result_end_ = local;
  }

 public:
  void finish() {
    activity.cycles = std::max({fetch_end_, execute_end_, result_end_});
    activity.dram_read_bytes = dram_.bytes_read();
    activity.dram_write_bytes = dram_.bytes_written();
    activity.dram_contention_cycles = dram_.contention_cycles();
  }

  bool done() const {
    return result_end_ >= 0 && execute_end_ >= 0 && fetch_end_ >= 0;
  }

 private:
  LoweredLayer& lowered_;
  const ArchConfig& config_;
  const BismoConfig& bismo_;
  DpuArrayCore& core_;
  DramChannel dram_;
  OperandBuffer lhs_, rhs_;
  std::vector<std::vector<int32_t>> result_slots_;
  std::unique_ptr<sc_core::sc_fifo<int>> channels_[kChannelCount];
  int64_t fetch_end_ = -1, execute_end_ = -1, result_end_ = -1;
  std::unique_ptr<TracedSignals> signals_;  // null unless tracing
  int fetch_state_ = 0, execute_state_ = 0, result_state_ = 0, dram_reads_ = 0, dram_writes_ = 0;
  int execute_words_ = 0;
  int tokens_[kChannelCount] = {};
};

}  // namespace

MachineActivity run_bismo_machine(LoweredLayer& lowered, const ArchConfig& config,
                                  DpuArrayCore& core, const TraceRequest* trace) {
  reset_systemc_context();
  MachineActivity activity;
  // SystemC records the whole layer into `full` (it appends ".vcd"); the window is cut after.
  const std::string full = trace ? trace->path + ".full" : "";
  sc_core::sc_trace_file* file = trace ? sc_core::sc_create_vcd_trace_file(full.c_str()) : nullptr;
  if (file) {
    // SystemC reports the unit on stdout as "Info: (I703)"; it is in the VCD header anyway.
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_TRACING_TIMESCALE_UNIT_,
                                            sc_core::SC_DO_NOTHING);
    file->set_time_unit(1, sc_core::SC_NS);  // one VCD time unit = one cycle
  }
  {
    BismoMachine machine("bismo", lowered, config, core, file);
    run_systemc_simulation();
    if (file) sc_core::sc_close_vcd_trace_file(file);
    if (!machine.done()) {
      throw std::logic_error("BISMO machine deadlocked: a stage waits for a token never sent");
    }
    machine.finish();
    activity = machine.activity;
  }
  if (trace) {
    write_vcd_window(full + ".vcd", trace->path, trace->begin, trace->end);
    std::remove((full + ".vcd").c_str());
  }
  return activity;
}

}  // namespace haqsim::bismo
