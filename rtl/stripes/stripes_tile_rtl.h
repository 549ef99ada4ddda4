// C++ face of the verilated Stripes tile (rtl/stripes/stripes_tile.sv): a grid of F filter rows x
// W window columns of Serial Inner-Product units (SIPs), each L lanes wide (Judd et al., MICRO
// 2016). A SIP holds one bit-parallel weight per lane in a register and takes one bit of each
// lane's activation per cycle:
//
//   tree  = sum over lanes l of (act_bit[l] ? weight_reg[l] : 0)         (signed weights)
//   term  = negate ? -(tree << shift) : (tree << shift)
//   acc  <= (clear ? 0 : acc) + term                                     (32-bit, wraps)
//
// so an activation of p bits takes p cycles (shift = bit position; negate on the sign bit of a
// signed activation), and a 16-wide dot product of any activation precision is exact. A beat with
// clear starts a new sum: the accumulator becomes that beat's term, not 0.
//
// Sharing: the activation bits of column w (L bits) go to every SIP of the column; the weight bus
// of row f (L weights of `weight_bits()` bits) goes to every SIP of the row, and SIP (f, w)
// copies it into its weight registers in a cycle where column w's `load_weights` is set (the
// registers change at the clock edge, so a SIP computes with the old weights in that cycle --
// a brick's weights are loaded in the cycle before its first bit). Control is per column, so
// columns can work on different bricks (fully connected layers stagger them).
//
// A StripesTileRtl is one clocked instance. Each step() is one clock cycle. A beat presented in a
// step is in the accumulators after pipeline_depth() steps counting that one (acc_valid() is true
// right after it); a stream of T back-to-back beats is complete after T + pipeline_depth() - 1.
//
// Verilator fixes the parameters when it generates C++, so only the shapes built into this
// binary exist; make_stripes_tile_rtl() picks one by shape. This header does not depend on
// Verilator.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace haqsim::rtl {

struct StripesTileShape {
  int filters = 0;  // F: SIP rows (filters)
  int windows = 0;  // W: SIP columns (windows)
  int lanes = 0;    // L: lanes per SIP (activations / weights per brick)
};

// What one clock cycle presents to the tile. Arrays are indexed as documented; the pointers may be
// null when nothing in the tile uses them this cycle (no column valid / loading).
struct StripesTileCycle {
  // [windows][lanes]: the activation bit of lane l in column w (0 or 1).
  const uint8_t* act_bits = nullptr;
  // [filters][lanes]: the weight bus of each row, two's complement in weight_bits() (only the
  // low weight_bits() bits are used, so -1 and 0xffff are the same 16-bit weight).
  const int32_t* weights = nullptr;
  // Per column [windows]: compute this cycle (valid), restart the accumulators from this beat
  // (clear), the bit position (shift, 0..31; only the low 5 bits are used), subtract (negate),
  // and copy the row weight bus into the weight registers at the end of the cycle
  // (load_weights). Flags are 0 or non-zero; a null array means all 0.
  const uint8_t* valid = nullptr;
  const uint8_t* clear = nullptr;
  const uint8_t* shift = nullptr;
  const uint8_t* negate = nullptr;
  const uint8_t* load_weights = nullptr;
};

class StripesTileRtl {
 public:
  virtual ~StripesTileRtl() = default;

  virtual StripesTileShape shape() const = 0;
  virtual int weight_bits() const = 0;     // WB parameter (16 for the Stripes SIP)
  virtual int pipeline_depth() const = 0;  // read from the RTL's PIPELINE_DEPTH

  // Holds reset for one clock cycle: accumulators and weight registers to 0, beats dropped.
  virtual void reset() = 0;
  // One clock cycle.
  virtual void step(const StripesTileCycle& in) = 0;
  // `cycles` cycles with no column valid and no weight load.
  virtual void idle(int cycles) = 0;

  // Accumulator of SIP (filter, window), two's complement 32 bit.
  virtual int32_t acc(int filter, int window) const = 0;
  // True right after the edge at which a valid beat reached the accumulators (any column).
  virtual bool acc_valid() const = 0;

  // Clock cycles since construction (reset cycles included).
  virtual uint64_t cycle() const = 0;

  // Waveforms, as rtl/bismo/bismo_array_rtl.h: only for instances made with trace = true;
  // 10 time units per cycle, the rising edge of cycle c at 10 (c - origin) + 5.
  virtual void trace_open(const std::string& path) = 0;
  virtual void trace_enable(bool on) = 0;
  virtual void trace_close() = 0;
  virtual void set_trace_origin(uint64_t cycle) = 0;
};

// The shapes built into this binary (rtl/stripes/CMakeLists.txt, HAQSIM_STRIPES_TILE_VARIANTS).
std::vector<StripesTileShape> stripes_tile_rtl_variants();

// A fresh, reset instance of the tile of this shape. Throws std::invalid_argument listing the
// built shapes when there is none.
std::unique_ptr<StripesTileRtl> make_stripes_tile_rtl(int filters, int windows, int lanes,
                                                      bool trace = false);

}  // namespace haqsim::rtl
