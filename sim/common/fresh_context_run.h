// One layer's simulation in a fresh SystemC context (sim/common/systemc_context.h), with the
// optional waveform window. Every cycle-accurate machine runs its layers through here:
//
//   FreshContextRun run(trace);                 // new context; VCD file when tracing
//   MyMachine machine("my", ..., run.trace_file());
//   run.to_end("MyMachine", [&] { return machine.all_stages_finished(); });
//   ... read the machine's activity ...
//
// SystemC records the whole layer into a temporary VCD; to_end() cuts the request's cycle window
// out of it into the requested file (sim/common/vcd_window_filter.h).
#pragma once

#include <systemc>

#include <functional>
#include <string>

#include "sim/common/trace_request.h"

namespace haqsim {

class FreshContextRun {
 public:
  explicit FreshContextRun(const TraceRequest* trace);
  ~FreshContextRun();
  FreshContextRun(const FreshContextRun&) = delete;
  FreshContextRun& operator=(const FreshContextRun&) = delete;

  // Where the machine registers its traced signals; null when not tracing.
  sc_core::sc_trace_file* trace_file() const { return file_; }

  // Runs the elaborated machine until no events are left. Throws std::logic_error naming
  // `machine` when `finished()` is then false (a stage waits for a token never sent).
  void to_end(const std::string& machine, const std::function<bool()>& finished);

 private:
  const TraceRequest* trace_;
  std::string full_;  // the whole layer's VCD, without SystemC's ".vcd" suffix
  sc_core::sc_trace_file* file_ = nullptr;
};

}  // namespace haqsim
