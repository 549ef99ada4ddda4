#include "sim/bismo/bismo_machine.h"

#include <systemc>

#include <cstring>
#include <stdexcept>

#include "sim/common/dram_channel.h"
#include "sim/common/systemc_context.h"

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
               DpuArrayCore& core)
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

  // Brings SystemC time up to a stage's local cycle count before it interacts.
  static void catch_up(int64_t local) {
    const int64_t now = current_cycle();
    if (local > now) sc_core::wait(double(local - now) * kCycle);
  }

  void sync(const Sync& s, int64_t& local, StageStats& stats) {
    catch_up(local);
    if (s.send) {
      channel(s.channel).write(1);
    } else {
      const int64_t before = current_cycle();
      channel(s.channel).read();
      stats.wait_token += current_cycle() - before;
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
                                local = data_arrived;
                              }
                              sync(s, local, activity.fetch);
                            },
                            [&](const FetchRun& run) {
                              catch_up(local);
                              segment_bytes.clear();
                              for (const auto& seg : run.segments) {
                                segment_bytes.push_back(seg.words * word_bytes);
                              }
                              DramTransfer t = dram_.request(local, segment_bytes, false);
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
      std::visit(Overloaded{[&](const Sync& s) { sync(s, local, activity.execute); },
                            [&](const ExecuteRun& run) {
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
    execute_end_ = local;
  }

  void result_stage() {
    int64_t local = 0, last_ack = 0;
    std::vector<int64_t> segment_bytes;
    for (const ResultInstruction& instruction : lowered_.programs.result) {
      std::visit(Overloaded{[&](const Sync& s) { sync(s, local, activity.result); },
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
};

}  // namespace

MachineActivity run_bismo_machine(LoweredLayer& lowered, const ArchConfig& config,
                                  DpuArrayCore& core) {
  reset_systemc_context();
  MachineActivity activity;
  {
    BismoMachine machine("bismo", lowered, config, core);
    sc_core::sc_start();
    if (!machine.done()) {
      throw std::logic_error("BISMO machine deadlocked: a stage waits for a token never sent");
    }
    machine.finish();
    activity = machine.activity;
  }
  return activity;
}

}  // namespace haqsim::bismo
