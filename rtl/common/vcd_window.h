// A VCD file for one verilated model that records only while enabled, so a long simulation can
// dump just the cycle window of interest.
//
// The model must be verilated with --trace (all haqsim variants are) and its VerilatedContext
// must have had traceEverOn(true) before the model was constructed; the harnesses do that when
// created with trace = true. Header-only, for harness .cpp files that include verilated headers.
#pragma once

#include <verilated_vcd_c.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace haqsim::rtl {

class VcdWindow {
 public:
  // Attaches `model` (any verilated top) to a new VCD file at `path` and starts recording.
  // `depth` is Verilator's hierarchy depth (99 = everything).
  template <class Model>
  void open(Model& model, const std::string& path, int depth = 99) {
    close();
    auto vcd = std::make_unique<VerilatedVcdC>();
    model.trace(vcd.get(), depth);
    vcd->open(path.c_str());
    if (!vcd->isOpen()) throw std::runtime_error("cannot open VCD file '" + path + "' for writing");
    vcd_ = std::move(vcd);
    enabled_ = true;
  }

  // Pauses (false) or resumes (true) recording; signal changes while paused are written at the
  // first dump after resuming.
  void set_enabled(bool on) { enabled_ = on; }
  bool enabled() const { return enabled_; }
  bool is_open() const { return vcd_ != nullptr; }

  // Records the model's current values at `time` (in the model context's time units).
  void dump(uint64_t time) {
    if (vcd_ && enabled_) vcd_->dump(time);
  }

  void close() {
    if (vcd_) vcd_->close();
    vcd_.reset();
    enabled_ = false;
  }

  ~VcdWindow() { close(); }

 private:
  std::unique_ptr<VerilatedVcdC> vcd_;
  bool enabled_ = false;
};

}  // namespace haqsim::rtl
