// C++ face of the verilated BISMO dot-product array (rtl/bismo/bismo_dpu_array.sv).
//
// A BismoArrayRtl is one clocked instance of the array. Each step() is one clock cycle: it
// presents one beat (an LHS bit vector per row, an RHS bit vector per column and the control
// fields) and applies one rising edge. The Dm x Dn accumulators can be read between steps.
//
// Timing (from the RTL header): a beat is in the accumulators after pipeline_depth() steps,
// counting the step that presented it, and acc_valid() is true right after that step. A stream of
// T back-to-back beats is therefore complete after T + pipeline_depth() - 1 steps.
//
// Verilator fixes the array's parameters when it generates C++, so only the shapes built into
// this binary exist; make_bismo_array_rtl() picks one by shape. This header does not depend on
// Verilator, so simulators can use the RTL without seeing verilated code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace haqsim::rtl {

struct BismoArrayShape {
  int dm = 0;  // rows (LHS vectors per beat)
  int dk = 0;  // bits per dot product
  int dn = 0;  // columns (RHS vectors per beat)
};

// The control fields of one beat (see bismo_dpu.sv).
struct BismoBeat {
  bool valid = true;    // false: a bubble; the other fields are ignored
  unsigned shift = 0;   // significance of the bit-plane pair, 0..31
  bool negate = false;  // subtract the weighted popcount
  bool clear = false;   // the accumulators restart from this beat
};

class BismoArrayRtl {
 public:
  virtual ~BismoArrayRtl() = default;

  virtual BismoArrayShape shape() const = 0;
  int dm() const { return shape().dm; }
  int dk() const { return shape().dk; }
  int dn() const { return shape().dn; }
  // 64-bit words per bit vector: ceil(Dk / 64).
  int words_per_vector() const { return (dk() + 63) / 64; }
  // Register stages from a beat to the accumulators, read from the RTL (PIPELINE_DEPTH).
  virtual int pipeline_depth() const = 0;

  // Holds reset for one clock cycle: accumulators to 0, beats in flight dropped.
  virtual void reset() = 0;

  // One clock cycle with one beat. `lhs` holds dm() bit vectors and `rhs` dn(), each
  // words_per_vector() words long, back to back: bit k of row i is bit k % 64 of
  // lhs[i * words_per_vector() + k / 64]. Bits at and above Dk in a vector's last word are ignored.
  // Both may be null when !beat.valid.
  void step(const uint64_t* lhs, const uint64_t* rhs, const BismoBeat& beat);
  // The same beat with each vector where it already is: lhs_rows[i] points at row i's
  // words_per_vector() words, rhs_cols[j] at column j's (the execute stage's operand banks), so
  // no beat is copied twice on its way into the verilated ports. Null arrays when !beat.valid.
  virtual void step_vectors(const uint64_t* const* lhs_rows, const uint64_t* const* rhs_cols,
                            const BismoBeat& beat) = 0;
  // `cycles` clock cycles with no beat (lets the pipeline drain).
  virtual void idle(int cycles) = 0;

  // Accumulator of DPU (row, col), two's complement 32 bit.
  virtual int32_t acc(int row, int col) const = 0;
  // All accumulators, row-major: out[row * dn() + col]; `out` holds dm() * dn() values.
  virtual void read_accumulators(int32_t* out) const = 0;
  // True right after the edge at which a valid beat reached the accumulators.
  virtual bool acc_valid() const = 0;

  // Clock cycles simulated since construction (reset cycles included).
  virtual uint64_t cycle() const = 0;

  // Waveforms (VCD). Only for models created with trace = true (std::logic_error otherwise).
  // trace_open starts recording into `path` at the current cycle; trace_enable(false) pauses and
  // trace_enable(true) resumes, so a window of cycles [a, b) is: open (or enable) before step a,
  // disable after step b-1. Time stamps: 10 units per clock cycle, rising edge of cycle c at
  // 10c + 5. The file is complete after trace_close() or destruction.
  virtual void trace_open(const std::string& path) = 0;
  virtual void trace_enable(bool on) = 0;
  virtual void trace_close() = 0;
  // Time stamps count from this cycle (10 (c - origin) + 5 for the rising edge of cycle c), so a
  // simulator can make VCD time match its own cycle count. Default 0.
  virtual void set_trace_origin(uint64_t cycle) = 0;
};

// The shapes built into this binary (rtl/bismo/CMakeLists.txt, HAQSIM_BISMO_ARRAY_VARIANTS).
std::vector<BismoArrayShape> bismo_array_rtl_variants();

// A fresh, reset instance of the verilated array of this shape. `trace` makes waveform dumping
// possible (Verilator then keeps every signal up to date, which may cost some speed). Throws
// std::invalid_argument, listing the available shapes, when no variant of this shape was built.
std::unique_ptr<BismoArrayRtl> make_bismo_array_rtl(int dm, int dk, int dn, bool trace = false);

}  // namespace haqsim::rtl
