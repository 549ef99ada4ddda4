// C++ face of the verilated BitFusion systolic array (rtl/bitfusion/bitfusion_array.sv).
//
// A FusionArrayRtl is one clocked instance of the N x M array (N rows = input channels,
// M columns = output channels). step() is one clock cycle: it presents one packed activation word
// per row (fusion_operands.h) and optionally loads one row of weights, then applies one rising
// edge. The partial sums leaving the bottom of each column can be read between steps.
//
// Timing (from the RTL header). The array is systolic: a vector's row-i word must be presented i
// steps after its row-0 word (input skew), and its column-j sum is readable, with psum_valid(j)
// true, after result_latency(j) = N + 1 + j steps counting the step that presented row 0 (fill
// latency N + 1, output skew j). Vectors may follow each other every step. stream() does the
// skewing for whole batches. Set the precision before loading a layer's weights: the RTL routes
// weights into BitBrick order as they are loaded.
//
// Verilator fixes N and M when it generates C++, so only the shapes built into this binary exist;
// make_fusion_array_rtl() picks one. This header does not depend on Verilator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace haqsim::rtl {

struct FusionArrayShape {
  int rows = 0;  // N: input channels
  int cols = 0;  // M: output channels
};

// Operand precisions, shared by the whole array; 1..8 bits each (see fusion_operands.h).
struct FusionPrecision {
  int abits = 8;
  bool a_signed = false;
  int wbits = 8;
  bool w_signed = true;
};

// The inputs of one clock cycle.
struct FusionCycle {
  const uint32_t* act = nullptr;  // rows() packed activation words; may be null if act_valid == 0
  uint64_t act_valid = 0;         // bit i: row i's word is valid (invalid rows contribute 0)
  int load_row = -1;              // >= 0: load this row's weights at this cycle's edge
  const uint32_t* weights = nullptr;  // cols() packed weight words, one per cell of load_row
};

class FusionArrayRtl {
 public:
  virtual ~FusionArrayRtl() = default;

  virtual FusionArrayShape shape() const = 0;
  int rows() const { return shape().rows; }
  int cols() const { return shape().cols; }
  // Steps from a vector's row-0 word to its column-`col` sum, counting the row-0 step: N + 1 + col.
  int result_latency(int col) const { return rows() + 1 + col; }

  // Holds reset for one clock cycle: weights, partial sums and valid bits to 0.
  virtual void reset() = 0;
  // Sets the precision ports; hold them while data is in flight. Throws std::invalid_argument
  // for bit widths outside 1..8.
  virtual void set_precision(const FusionPrecision& precision) = 0;

  // One clock cycle.
  virtual void step(const FusionCycle& inputs) = 0;

  // Partial sum leaving the bottom of column `col` and whether it carries a valid vector.
  virtual int32_t psum(int col) const = 0;
  virtual bool psum_valid(int col) const = 0;

  // Clock cycles simulated since construction (reset and weight-load cycles included).
  virtual uint64_t cycle() const = 0;

  // Waveforms (VCD), as for BismoArrayRtl: only for models created with trace = true; open starts
  // recording at the current cycle, enable(false/true) pauses and resumes, 10 time units per
  // cycle with the rising edge of cycle c at 10c + 5.
  virtual void trace_open(const std::string& path) = 0;
  virtual void trace_enable(bool on) = 0;
  virtual void trace_close() = 0;

  // Loads all weights, one row per cycle (rows() cycles): words[i * cols() + j] is the packed
  // weight word of cell (i, j). No activations enter during these cycles.
  void load_weights(const uint32_t* words);

  // Streams `count` vectors through the array back to back, skewing rows and de-skewing columns:
  // vectors[v * rows() + i] is row i's packed word of vector v, and sums[v * cols() + j] receives
  // column j's sum for vector v. Returns the clock cycles taken, count + rows() + cols() - 1 for
  // count > 0 (the last vector's column cols()-1 sum is read right after the last one). Throws
  // std::logic_error if a sum is not flagged valid when the timing contract says it is due.
  uint64_t stream(const uint32_t* vectors, std::size_t count, int32_t* sums);
};

// The shapes built into this binary (rtl/bitfusion/CMakeLists.txt, HAQSIM_FUSION_ARRAY_VARIANTS).
std::vector<FusionArrayShape> fusion_array_rtl_variants();

// A fresh, reset instance of the verilated N x M array. `trace` makes waveform dumping possible.
// Throws std::invalid_argument, listing the available shapes, when no such variant was built.
std::unique_ptr<FusionArrayRtl> make_fusion_array_rtl(int n, int m, bool trace = false);

}  // namespace haqsim::rtl
