// One clocked instance of a verilated (--cc) model, the way every haqsim array harness drives it
// (as Verilator's own examples do): the VerilatedContext owned by a unique_ptr, tracing compiled
// in but off unless the harness was made with trace = true, one tick() per clock cycle, and a
// VCD that records only an enabled window of cycles. Header-only, for harness .cpp files that
// include verilated headers.
//
// The model's clock port must be `clk`. VCD time stamps: 10 units per clock cycle, the rising
// edge of cycle c at 10 (c - origin) + 5, so a simulator can make VCD time follow its own cycles.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "rtl/common/vcd_window.h"

namespace haqsim::rtl {

template <class Top>
class VerilatedHarness {
 public:
  // `what` names the array in the error a trace call on an untraced harness throws.
  VerilatedHarness(bool trace, std::string what) : trace_(trace), what_(std::move(what)) {
    context_ = std::make_unique<VerilatedContext>();
    if (trace_) context_->traceEverOn(true);  // must precede model construction
    top_ = std::make_unique<Top>(context_.get());
  }
  ~VerilatedHarness() {
    vcd_.close();
    top_->final();
  }
  VerilatedHarness(const VerilatedHarness&) = delete;
  VerilatedHarness& operator=(const VerilatedHarness&) = delete;

  Top& top() { return *top_; }
  const Top& top() const { return *top_; }

  // One clock cycle: inputs settle with the clock low, then the rising edge.
  void tick() {
    top_->clk = 0;
    top_->eval();
    vcd_.dump(10 * (cycle_ - origin_));
    top_->clk = 1;
    top_->eval();
    vcd_.dump(10 * (cycle_ - origin_) + 5);
    ++cycle_;
  }
  // Clock cycles since construction.
  uint64_t cycle() const { return cycle_; }

  void trace_open(const std::string& path) {
    require_trace();
    vcd_.open(*top_, path);
  }
  void trace_enable(bool on) {
    require_trace();
    vcd_.set_enabled(on);
  }
  void trace_close() { vcd_.close(); }
  void set_trace_origin(uint64_t cycle) { origin_ = cycle; }

 private:
  void require_trace() const {
    if (!trace_) {
      throw std::logic_error(what_ + " RTL model was created without tracing; pass trace = true");
    }
  }

  bool trace_;
  std::string what_;
  uint64_t cycle_ = 0;
  uint64_t origin_ = 0;
  // Destroyed in reverse order: the VCD detaches before the model goes, the model before its
  // context.
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Top> top_;
  VcdWindow vcd_;
};

}  // namespace haqsim::rtl
