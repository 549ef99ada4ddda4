#include "sim/bismo/bismo_machine.h"

#include <cstring>
#include <stdexcept>

#include "sim/bismo/bismo_config.h"
#include "sim/common/dram_channel.h"
#include "sim/common/fresh_context_run.h"
#include "sim/common/pipelined_machine.h"

namespace haqsim::bismo {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

enum Stage { kFetch, kExecute, kResult };

// Deep enough never to block a sender: BISMO's token FIFOs are sized so that a send never
// stalls, and blocking sends would add cycles the programs do not intend.
std::vector<ChannelSpec> channels_for(const LayerLowering& lowering) {
  std::vector<ChannelSpec> channels = {
      {"fetch_to_execute"}, {"execute_to_fetch"}, {"execute_to_result"}, {"result_to_execute"}};
  for (int c = 0; c < kChannelCount; ++c) {
    channels[size_t(c)].depth = int(lowering.sends(Channel(c)));
  }
  return channels;
}

// Runs `visit` over a stage's program, produced one step at a time into a buffer that is
// reused, and counts its instructions.
template <class Instruction, class Visit>
void for_each_instruction(const LayerLowering& lowering,
                          void (LayerLowering::*append)(int64_t, std::vector<Instruction>&) const,
                          int64_t& length, Visit&& visit) {
  std::vector<Instruction> step_program;
  for (int64_t si = 0; si < lowering.step_count(); ++si) {
    step_program.clear();
    (lowering.*append)(si, step_program);
    length += int64_t(step_program.size());
    for (const Instruction& instruction : step_program) std::visit(visit, instruction);
  }
}

class BismoMachine : public PipelinedMachine {
 public:
  SC_HAS_PROCESS(BismoMachine);

  BismoMachine(sc_core::sc_module_name name, const LayerLowering& lowering, LayerDram& layer_dram,
               const ArchConfig& config, DpuArrayCore& core, sc_core::sc_trace_file* trace_file)
      : PipelinedMachine(name, {"fetch", "execute", "result"}, channels_for(lowering), trace_file),
        lowering_(lowering),
        layer_dram_(layer_dram),
        bismo_(bismo_config(config)),
        core_(core),
        dram_(config.dram),
        lhs_(bismo_.dm, bismo_.lhs_depth, bismo_.dk, /*keep_interleaved=*/false),
        rhs_(bismo_.dn, bismo_.rhs_depth, bismo_.dk, /*keep_interleaved=*/true),
        result_slots_(bismo_.result_depth) {
    execute_words_ = add_signal("execute_run_words", 32);
    SC_THREAD(fetch_stage);
    SC_THREAD(execute_stage);
    SC_THREAD(result_stage);
  }

  MachineActivity activity;

  void finish() {
    activity.cycles = end_cycle();
    activity.dram_read_bytes = dram_.bytes_read();
    activity.dram_write_bytes = dram_.bytes_written();
    activity.dram_contention_cycles = dram_.contention_cycles();
    activity.transfer_cycles = dram_.transfer_cycles();
  }

 private:
  void sync(const Sync& s, int64_t& local, StageStats& stats, Stage stage) {
    if (s.send) {
      send(int(s.channel), local);
      local = current_cycle();
    } else {
      stats.wait_token += receive(int(s.channel), local, stage, StageState::kWaitToken);
    }
  }

  // Fetch keeps its DRAM requests outstanding: a run issues its request (one cycle) and moves
  // on; a token is sent only once every byte fetched before it has arrived.
  void fetch_stage() {
    int64_t local = 0, data_arrived = 0;
    const int64_t word_bytes = bismo_.dk / 8;
    std::vector<int64_t> segment_bytes;
    for_each_instruction(lowering_, &LayerLowering::append_fetch, activity.fetch_program_length,
                         Overloaded{[&](const Sync& s) {
                                      if (s.send && data_arrived > local) {
                                        activity.fetch.wait_memory += data_arrived - local;
                                        trace_state(kFetch, local, StageState::kWaitMemory);
                                        local = data_arrived;
                                        trace_state(kFetch, local, StageState::kBusy);
                                      }
                                      sync(s, local, activity.fetch, kFetch);
                                    },
                                    [&](const FetchRun& run) {
                                      catch_up(local);
                                      segment_bytes.clear();
                                      for (const auto& seg : run.segments) {
                                        segment_bytes.push_back(seg.words * word_bytes);
                                      }
                                      DramTransfer t = dram_.request(local, segment_bytes, false);
                                      trace_state(kFetch, local, StageState::kBusy);
                                      trace_dram_read(local, t.done_cycle);
                                      activity.fetch.busy += t.done_cycle - t.data_start;
                                      data_arrived = std::max(data_arrived, t.done_cycle);
                                      local += 1;
                                      // Safe to fill the buffer now: the token protocol guarantees
                                      // execute is done with this region and will not read it
                                      // before the data has arrived.
                                      copy_into_buffers(run);
                                    }});
    finish_stage(kFetch, std::max(local, data_arrived));
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
      const uint8_t* source = layer_dram_.read(seg.dram_byte, seg.words * word_bytes);
      for (int64_t w = 0; w < seg.words; ++w) {
        buffer.write(seg.bank, seg.buffer_word + w, source + w * word_bytes, size_t(word_bytes));
      }
    }
  }

  void execute_stage() {
    int64_t local = 0;
    std::vector<int32_t> accumulators;
    for_each_instruction(
        lowering_, &LayerLowering::append_execute, activity.execute_program_length,
        Overloaded{[&](const Sync& s) { sync(s, local, activity.execute, kExecute); },
                   [&](const ExecuteRun& run) {
                     trace_state(kExecute, local, StageState::kBusy);
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
                   }});
    trace_set(execute_words_, local, 0);
    finish_stage(kExecute, local);
  }

  void result_stage() {
    int64_t local = 0, last_ack = 0;
    std::vector<int64_t> segment_bytes;
    for_each_instruction(
        lowering_, &LayerLowering::append_result, activity.result_program_length,
        Overloaded{[&](const Sync& s) { sync(s, local, activity.result, kResult); },
                   [&](const ResultRun& run) {
                     catch_up(local);
                     const std::vector<int32_t>& slot = result_slots_[run.result_slot];
                     for (int r = 0; r < run.rows; ++r) {
                       layer_dram_.write_results(run.dram_byte + r * run.row_stride_bytes,
                                                 slot.data() + size_t(r) * bismo_.dn, run.cols);
                     }
                     segment_bytes.assign(run.rows, int64_t(run.cols) * 4);
                     DramTransfer t = dram_.request(local, segment_bytes, true);
                     trace_state(kResult, local, StageState::kWaitMemory);
                     trace_state(kResult, t.data_start, StageState::kBusy);
                     trace_dram_write(local, t.ack_cycle);
                     activity.result.busy += t.done_cycle - t.data_start;
                     activity.result.wait_memory += t.data_start - local;
                     // The slot is free once its data has left; the layer is done
                     // only when the last write is acknowledged.
                     local = t.done_cycle;
                     last_ack = std::max(last_ack, t.ack_cycle);
                     ++activity.result_tiles;
                   }});
    finish_stage(kResult, std::max(local, last_ack));
  }

  const LayerLowering& lowering_;
  LayerDram& layer_dram_;
  const BismoConfig& bismo_;
  DpuArrayCore& core_;
  DramChannel dram_;
  OperandBuffer lhs_, rhs_;
  std::vector<std::vector<int32_t>> result_slots_;
  int execute_words_ = -1;
};

}  // namespace

MachineActivity run_bismo_machine(const LayerLowering& lowering, LayerDram& dram,
                                  const ArchConfig& config, DpuArrayCore& core,
                                  const TraceRequest* trace) {
  FreshContextRun run(trace);
  BismoMachine machine("bismo", lowering, dram, config, core, run.trace_file());
  run.to_end("BISMO", [&] { return machine.all_stages_finished(); });
  machine.finish();
  return machine.activity;
}

}  // namespace haqsim::bismo
