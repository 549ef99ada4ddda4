// The scaffolding of a pipelined accelerator as a SystemC model: stages as threads that
// synchronize by tokens on FIFO channels, as BISMO's fetch/execute/result and BitFusion's
// load/compute/store do. A machine derives from PipelinedMachine, declares its stages and
// channels, and writes each stage as an SC_THREAD over the machine's own program or schedule.
//
// Timing conventions (shared by every machine so their numbers mean the same):
// - one SystemC nanosecond is one accelerator cycle;
// - a stage keeps a local cycle count and does all the work between two interactions with other
//   stages (token sends and receives, DRAM requests) at once, then catches SystemC time up to
//   its local count before the next interaction -- so simulation cost follows interactions, not
//   cycles, while every interaction happens at its exact cycle (DESIGN.md section 7);
// - a token sent at cycle t is visible to the receiver in cycle t; sends never block (channels
//   are as deep as the sends the machine will make);
// - with a trace file, the stages' states, the channels' token levels and the DRAM requests in
//   flight are traced as signals (sim/common/traced_signals.h); untraced runs pay nothing.
#pragma once

#include <systemc>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/common/traced_signals.h"

namespace haqsim {

struct ChannelSpec {
  std::string name;  // the traced signal is "tokens_<name>"
  int depth = 1;     // at least the number of tokens ever sent on it
};

class PipelinedMachine : public sc_core::sc_module {
 public:
  static const sc_core::sc_time kCycle;
  static int64_t current_cycle();
  // Brings SystemC time up to a stage's local cycle count before it interacts.
  static void catch_up(int64_t local);

  // True when every stage has reached its end (false after a run means a deadlock: a stage
  // waits for a token that is never sent).
  bool all_stages_finished() const;
  // The cycle the last stage finished: the layer's cycle count.
  int64_t end_cycle() const;

 protected:
  // Stage ids are indices into `stages`, channel ids indices into `channels`. The traced signals
  // (when `trace_file` is given) are "<stage>_state" per stage, "tokens_<channel>" per channel,
  // then "dram_reads_in_flight" and "dram_writes_in_flight"; add_signal() appends more.
  PipelinedMachine(sc_core::sc_module_name name, std::vector<std::string> stages,
                   const std::vector<ChannelSpec>& channels, sc_core::sc_trace_file* trace_file);

  // Sends one token on `channel` at the stage's local cycle.
  void send(int channel, int64_t local);
  // Blocks until a token is there; the stage is shown as `waiting` meanwhile. Returns the cycles
  // waited and moves `local` to the cycle the token was taken.
  int64_t receive(int channel, int64_t& local, int stage, StageState waiting);

  // Marks `stage` done at its local cycle (idle from then on).
  void finish_stage(int stage, int64_t local);

  bool tracing() const { return signals_ != nullptr; }
  // A machine-specific traced signal (elaboration only); -1 when not tracing.
  int add_signal(const std::string& name, int width);
  void trace_state(int stage, int64_t cycle, StageState state);
  void trace_set(int signal, int64_t cycle, int64_t value);
  // One more DRAM request in flight during [from, to).
  void trace_dram_read(int64_t from, int64_t to) { trace_in_flight(dram_reads_, from, to); }
  void trace_dram_write(int64_t from, int64_t to) { trace_in_flight(dram_writes_, from, to); }

 private:
  void trace_in_flight(int signal, int64_t from, int64_t to);

  std::vector<std::string> stages_;
  std::vector<int64_t> stage_end_;
  std::vector<std::unique_ptr<sc_core::sc_fifo<int>>> channels_;
  std::unique_ptr<TracedSignals> signals_;  // null unless tracing
  std::vector<int> state_signals_, token_signals_;
  int dram_reads_ = -1, dram_writes_ = -1;
};

}  // namespace haqsim
