#include "sim/common/fresh_context_run.h"

#include <sysc/tracing/sc_tracing_ids.h>

#include <cstdio>
#include <stdexcept>

#include "sim/common/systemc_context.h"
#include "sim/common/vcd_window_filter.h"

namespace haqsim {

FreshContextRun::FreshContextRun(const TraceRequest* trace) : trace_(trace) {
  reset_systemc_context();
  if (trace_ == nullptr) return;
  full_ = trace_->path + ".full";
  file_ = sc_core::sc_create_vcd_trace_file(full_.c_str());
  // SystemC reports the unit on stdout as "Info: (I703)"; it is in the VCD header anyway.
  sc_core::sc_report_handler::set_actions(sc_core::SC_ID_TRACING_TIMESCALE_UNIT_,
                                          sc_core::SC_DO_NOTHING);
  file_->set_time_unit(1, sc_core::SC_NS);  // one VCD time unit = one cycle
}

FreshContextRun::~FreshContextRun() {
  if (file_) sc_core::sc_close_vcd_trace_file(file_);
  if (!full_.empty()) std::remove((full_ + ".vcd").c_str());
}

void FreshContextRun::to_end(const std::string& machine, const std::function<bool()>& finished) {
  run_systemc_simulation();
  if (file_) {
    sc_core::sc_close_vcd_trace_file(file_);
    file_ = nullptr;
  }
  if (!finished()) {
    throw std::logic_error(machine + " machine deadlocked: a stage waits for a token never sent");
  }
  if (trace_) write_vcd_window(full_ + ".vcd", trace_->path, trace_->begin, trace_->end);
}

}  // namespace haqsim
