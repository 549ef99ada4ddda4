// SystemC signals that mirror a machine's activity (stage states, FIFO levels, DRAM requests in
// flight) for waveforms, traced into a VCD file with sc_trace.
//
// Why scheduled writes: the machines do all the work between two interactions at once and then
// wait (see bismo_machine.h), so a stage knows at cycle t what it will be doing until t + N
// without being awake then. It schedules the signal changes at their exact cycles here, and one
// SystemC thread applies them when simulated time gets there; the waveform is cycle-exact while
// the stages keep sleeping. Only built when a trace is requested, so untraced runs pay nothing.
#pragma once

#include <systemc>

#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

namespace haqsim {

// Values of a stage-state signal.
enum class StageState : int { kIdle = 0, kBusy = 1, kWaitToken = 2, kWaitMemory = 3 };

class TracedSignals : public sc_core::sc_module {
 public:
  // `cycle` is the duration of one accelerator cycle in simulated time.
  TracedSignals(sc_core::sc_module_name name, sc_core::sc_trace_file* file, sc_core::sc_time cycle);
  SC_HAS_PROCESS(TracedSignals);

  // Adds an unsigned signal of `width` bits, 1..32 (elaboration only); returns its id. Every
  // value it takes must fit: one that does not is a bug of the caller's width (std::logic_error).
  int add(const std::string& name, int width);
  // Schedules value (or value += delta) at `cycle`, which must not be in the past. Changes at
  // the same cycle apply in the order they were scheduled.
  void set(int id, int64_t cycle, int64_t value);
  void add_to(int id, int64_t cycle, int64_t delta);
  void set_state(int id, int64_t cycle, StageState state) { set(id, cycle, int64_t(state)); }

 private:
  struct Change {
    int64_t cycle;
    uint64_t order;
    int id;
    int64_t value;
    bool relative;
    bool operator>(const Change& o) const {
      return cycle != o.cycle ? cycle > o.cycle : order > o.order;
    }
  };
  void schedule(Change change);
  void apply();

  sc_core::sc_trace_file* file_;
  sc_core::sc_time cycle_;
  std::vector<std::unique_ptr<sc_core::sc_signal<uint32_t>>> signals_;
  std::vector<int> widths_;
  std::vector<int64_t> values_;
  std::priority_queue<Change, std::vector<Change>, std::greater<Change>> pending_;
  uint64_t next_order_ = 0;
  sc_core::sc_event scheduled_;
};

}  // namespace haqsim
