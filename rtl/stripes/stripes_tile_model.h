// StripesTileRtl over one verilated variant of stripes_tile. Internal to rtl/stripes: only the
// generated per-variant sources include it (each with its own verilated headers).
//
// Top is the verilated class (e.g. Vstripes_tile_16x16x16); Params is the class Verilator emits
// for the top module's public parameters and localparams (Vstripes_tile_16x16x16_stripes_tile),
// from which the shape, the weight width and the pipeline depth are read, so the harness never
// holds a copy of a number the RTL defines.
#pragma once

#include <verilated.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rtl/common/verilated_harness.h"
#include "rtl/common/verilated_ports.h"
#include "rtl/stripes/stripes_tile_rtl.h"

namespace haqsim::rtl::detail {

template <class Top, class Params>
class StripesTileModel final : public StripesTileRtl {
  static constexpr int kFilters = static_cast<int>(Params::F);
  static constexpr int kWindows = static_cast<int>(Params::W);
  static constexpr int kLanes = static_cast<int>(Params::L);
  static constexpr int kWeightBits = static_cast<int>(Params::WB);
  // The interface reads accumulators as int32_t and shifts as 0..31.
  static_assert(Params::ACC_BITS == 32, "StripesTileRtl assumes 32-bit accumulators");
  static_assert(kWeightBits >= 1 && kWeightBits <= 32, "weights are passed as int32_t");
  static constexpr std::size_t kShiftBits = 5;  // $clog2(ACC_BITS)

 public:
  explicit StripesTileModel(bool trace)
      : harness_(trace, "Stripes tile"), column_bits_(words(kWindows)), lane_bits_(words(kLanes)) {
    reset();
  }

  StripesTileShape shape() const override { return {kFilters, kWindows, kLanes}; }
  int weight_bits() const override { return kWeightBits; }
  int pipeline_depth() const override { return static_cast<int>(Params::PIPELINE_DEPTH); }

  void reset() override {
    top_->rst = 1;
    drive(StripesTileCycle{});
    tick();
    top_->rst = 0;
  }

  void step(const StripesTileCycle& in) override {
    drive(in);
    tick();
  }

  void idle(int cycles) override {
    drive(StripesTileCycle{});
    for (int c = 0; c < cycles; ++c) tick();
  }

  int32_t acc(int filter, int window) const override {
    return static_cast<int32_t>(top_->acc[filter][window]);
  }
  bool acc_valid() const override { return top_->acc_valid; }

  uint64_t cycle() const override { return harness_.cycle(); }

  void trace_open(const std::string& path) override { harness_.trace_open(path); }
  void trace_enable(bool on) override { harness_.trace_enable(on); }
  void trace_close() override { harness_.trace_close(); }
  void set_trace_origin(uint64_t cycle) override { harness_.set_trace_origin(cycle); }

 private:
  static std::size_t words(int bits) { return (static_cast<std::size_t>(bits) + 63) / 64; }

  // Sets the input ports for one cycle. A null array drives zeros, so an idle bus reads as 0 in
  // waveforms rather than holding the last brick. Weights are truncated to their low WB bits
  // (two's complement), so both -1 and 0xffff mean -1 for WB = 16.
  void drive(const StripesTileCycle& in) {
    set_flags(top_->valid, in.valid);
    set_flags(top_->clear, in.clear);
    set_flags(top_->negate, in.negate);
    set_flags(top_->load_weights, in.load_weights);
    for (int w = 0; w < kWindows; ++w) {
      ports::set_low_bits(top_->shift[w], in.shift ? in.shift[w] : 0u, kShiftBits);

      std::fill(lane_bits_.begin(), lane_bits_.end(), 0);
      if (in.act_bits) {
        const uint8_t* bits = in.act_bits + static_cast<std::size_t>(w) * kLanes;
        for (int l = 0; l < kLanes; ++l) {
          if (bits[l]) lane_bits_[l / 64] |= uint64_t{1} << (l % 64);
        }
      }
      set_bits(top_->act_bits[w], lane_bits_, kLanes);
    }
    for (int f = 0; f < kFilters; ++f) {
      const int32_t* row = in.weights ? in.weights + static_cast<std::size_t>(f) * kLanes : nullptr;
      for (int l = 0; l < kLanes; ++l) {
        const uint64_t weight = row ? static_cast<uint32_t>(row[l]) : 0u;
        ports::set_low_bits(top_->weights[f][l], weight, kWeightBits);
      }
    }
  }

  // A packed one-bit-per-column port from an array of [windows] flags (null: all clear).
  template <class Port>
  void set_flags(Port& port, const uint8_t* flags) {
    std::fill(column_bits_.begin(), column_bits_.end(), 0);
    if (flags) {
      for (int w = 0; w < kWindows; ++w) {
        if (flags[w]) column_bits_[w / 64] |= uint64_t{1} << (w % 64);
      }
    }
    set_bits(port, column_bits_, kWindows);
  }

  // Bits [0, count) of a port of exactly `count` bits, whatever C++ type Verilator gave it.
  template <class Port>
  static void set_bits(Port& port, const std::vector<uint64_t>& bits, int count) {
    if (count <= 64) {
      ports::set_low_bits(port, bits[0], static_cast<std::size_t>(count));
    } else {
      ports::write_bits(port, 0, bits.data(), static_cast<std::size_t>(count));
    }
  }

  void tick() { harness_.tick(); }

  VerilatedHarness<Top> harness_;
  Top* top_ = &harness_.top();
  std::vector<uint64_t> column_bits_;  // scratch: one bit per column
  std::vector<uint64_t> lane_bits_;    // scratch: one bit per lane
};

}  // namespace haqsim::rtl::detail
