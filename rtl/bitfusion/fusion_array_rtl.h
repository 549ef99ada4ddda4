// C++ face of the verilated BitFusion systolic array (rtl/bitfusion/bitfusion_array.sv).
//
// A FusionArrayRtl is one clocked instance of the N x M array (N rows = reduction lanes: input
// channels, or a depthwise layer's kernel taps; M columns = output channels). step() is one clock
// cycle: it presents that cycle's port values -- one packed activation word per row with its
// valid bit, one packed weight word per Fusion Unit (fusion_operands.h), and in depthwise mode
// one activation word per Fusion Unit -- then applies one rising edge. The partial sums leaving
// the bottom of each column can be read between steps.
//
// Timing (from the RTL header). A vector starting in step t needs its row-i activation in step
// t + i, and the weight (and depthwise activation) of Fusion Unit (i, j) in step t + i + j; its
// column-j sum is readable, with psum_valid(j) true, after result_latency(j) = N + 1 + j steps
// counting step t. Vectors may follow each other every step. FusionStream (and stream(), one
// burst through an empty array) does the skewing and de-skewing, so callers hand over vectors as
// the buffers deliver them. Precision and depthwise mode apply to the operands presented in the
// same step; hold them while a stream is in flight.
//
// Verilator fixes N and M when it generates C++, so only the shapes built into this binary exist;
// make_fusion_array_rtl() picks one. This header does not depend on Verilator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace haqsim::rtl {

struct FusionArrayShape {
  int rows = 0;  // N: reduction lanes
  int cols = 0;  // M: output channels
};

// Operand precisions, shared by the whole array; 1..8 bits each (see fusion_operands.h).
struct FusionPrecision {
  int abits = 8;
  bool a_signed = false;
  int wbits = 8;
  bool w_signed = true;
};

// The port values of one clock cycle. Null word pointers present zeros.
struct FusionCycle {
  const uint32_t* act = nullptr;       // rows() packed activation words (row-shared mode)
  uint64_t act_valid = 0;              // bit i: row i's word is valid (invalid rows contribute 0)
  const uint32_t* weights = nullptr;   // rows() * cols() packed weight words, [i * cols() + j]
  const uint32_t* unit_act = nullptr;  // depthwise mode: rows() * cols() activation words
};

// One vector's operands as the buffers deliver them, before skewing: stream() hands these
// buffers to its caller to fill.
struct FusionVector {
  uint32_t* act = nullptr;      // rows() words, or rows() * cols() ([i * cols() + j]) in
                                // depthwise mode
  uint32_t* weights = nullptr;  // rows() * cols() words, [i * cols() + j]
  uint64_t row_valid = 0;       // bit i: row i takes part; at least one row must
};

class FusionArrayRtl {
 public:
  virtual ~FusionArrayRtl() = default;

  virtual FusionArrayShape shape() const = 0;
  int rows() const { return shape().rows; }
  int cols() const { return shape().cols; }
  // Steps from a vector's first step to its column-`col` sum, counting that step: N + 1 + col
  // (the RTL's timing contract; stream() measures instead of assuming it).
  int result_latency(int col) const { return rows() + 1 + col; }

  // Holds reset for one clock cycle: partial sums and valid bits to 0.
  virtual void reset() = 0;
  // Sets the precision ports. Throws std::invalid_argument for bit widths outside 1..8.
  virtual void set_precision(const FusionPrecision& precision) = 0;
  // Depthwise mode: every Fusion Unit takes its activation from its own port
  // (FusionCycle::unit_act) instead of from its left neighbour.
  virtual void set_act_per_unit(bool per_unit) = 0;
  virtual bool act_per_unit() const = 0;

  // One clock cycle.
  virtual void step(const FusionCycle& inputs) = 0;

  // Partial sum leaving the bottom of column `col` and whether it carries a valid vector.
  virtual int32_t psum(int col) const = 0;
  virtual bool psum_valid(int col) const = 0;

  // Clock cycles simulated since construction (reset cycles included).
  virtual uint64_t cycle() const = 0;

  // Waveforms (VCD), as for BismoArrayRtl: only for models created with trace = true; open starts
  // recording at the current cycle, enable(false/true) pauses and resumes, 10 time units per
  // cycle with the rising edge of cycle c at 10c + 5 (c counted from the trace origin).
  virtual void trace_open(const std::string& path) = 0;
  virtual void trace_enable(bool on) = 0;
  virtual void trace_close() = 0;
  // The model cycle that the VCD shows as cycle 0 (default 0).
  virtual void set_trace_origin(uint64_t cycle) = 0;

  // Streams `count` vectors through the array back to back, one per step, starting with an
  // empty array and ending with an empty one (a FusionStream run to completion): fill(v, vector)
  // writes vector v's operands into the buffers it is given, in order, in the step the vector
  // starts; sums(v, s) receives vector v's column sums s[0 .. cols()) once all of them have left
  // the array, in order. Returns the steps taken up to and including the one after which the
  // last sum was read: count + rows() + cols() - 1 under the RTL's timing contract, but measured.
  using VectorFill = std::function<void(std::size_t v, FusionVector& vector)>;
  using VectorSums = std::function<void(std::size_t v, const int32_t* sums)>;
  uint64_t stream(std::size_t count, const VectorFill& fill, const VectorSums& sums);
};

// A stream of vectors through one array that lasts across bursts, so that bursts follow each
// other in the array as they do in hardware (a burst's fill under the previous one's drain):
// each step() is one clock cycle, which starts a new vector if next_vector() was called since the
// previous step. It skews the operands (row i of a vector starting in step t gets its activation
// in step t + i, Fusion Unit (i, j) its weight and depthwise activation in step t + i + j) and
// de-skews the sums: a column's k-th valid sum is taken as the k-th vector's, so the latency is
// measured on the RTL, not assumed, and sums(v, s) is called, in vector order, in the step after
// which the last column sum of vector v was read. Vectors are numbered from 0 in the order they
// start. The array must be empty when the stream begins (fresh, reset, or after another stream
// has delivered all its sums). Throws std::logic_error when a column delivers more sums than
// vectors started (timing contract broken), std::invalid_argument when a vector has no valid row
// (it would leave no sum).
class FusionStream {
 public:
  FusionStream(FusionArrayRtl& array, FusionArrayRtl::VectorSums sums);

  // The buffers of the vector that starts with the next step(), cleared to no valid row; fill
  // them before calling step(). Act words per vector follow the array's mode at this call.
  FusionVector& next_vector();
  // One clock cycle.
  void step();

  bool empty() const { return delivered_ == started_; }  // no vector in the array
  uint64_t started() const { return started_; }
  uint64_t delivered() const { return delivered_; }
  FusionArrayRtl& array() { return array_; }

 private:
  FusionArrayRtl& array_;
  FusionArrayRtl::VectorSums sums_;
  std::size_t n_, m_, cells_, depth_, window_;
  // Operands of the vectors started in the last depth_ steps, by step modulo depth_.
  std::vector<uint32_t> act_, weights_;
  std::vector<uint64_t> row_valid_;  // 0: no vector started in that step
  std::vector<std::size_t> act_words_;
  FusionVector next_;
  bool pending_ = false;
  uint64_t step_ = 0, started_ = 0, delivered_ = 0;
  // This step's port values.
  std::vector<uint32_t> row_act_, cell_weights_, cell_act_;
  // Sums of incomplete vectors by vector modulo window_, and valid sums seen per column.
  std::vector<int32_t> pending_sums_;
  std::vector<uint64_t> arrived_;
};

// The shapes built into this binary (rtl/bitfusion/CMakeLists.txt, HAQSIM_FUSION_ARRAY_VARIANTS).
std::vector<FusionArrayShape> fusion_array_rtl_variants();

// A fresh, reset instance of the verilated N x M array. `trace` makes waveform dumping possible.
// Throws std::invalid_argument, listing the available shapes, when no such variant was built.
std::unique_ptr<FusionArrayRtl> make_fusion_array_rtl(int n, int m, bool trace = false);

}  // namespace haqsim::rtl
