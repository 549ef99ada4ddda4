// BismoArrayRtl over one verilated variant of bismo_dpu_array. Internal to rtl/bismo: only the
// generated per-variant sources include it (each with its own verilated headers).
//
// Top is the verilated class (e.g. Vbismo_array_8x256x8); Params is the class Verilator emits
// for the top module's public localparams (Vbismo_array_8x256x8_bismo_dpu_array), from which the
// pipeline depth is read.
#pragma once

#include <verilated.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "rtl/bismo/bismo_array_rtl.h"
#include "rtl/common/verilated_harness.h"
#include "rtl/common/verilated_ports.h"

namespace haqsim::rtl::detail {

template <class Top, class Params, int Dm, int Dk, int Dn>
class BismoArrayModel final : public BismoArrayRtl {
 public:
  explicit BismoArrayModel(bool trace) : harness_(trace, "BISMO array") { reset(); }

  BismoArrayShape shape() const override { return shape_; }
  int pipeline_depth() const override { return static_cast<int>(Params::PIPELINE_DEPTH); }

  void reset() override {
    top_->rst = 1;
    top_->in_valid = 0;
    tick();
    top_->rst = 0;
  }

  void step_vectors(const uint64_t* const* lhs_rows, const uint64_t* const* rhs_cols,
                    const BismoBeat& beat) override {
    top_->in_valid = beat.valid;
    if (beat.valid) {
      for (int i = 0; i < Dm; ++i) write_vector(top_->lhs, std::size_t(i) * Dk, lhs_rows[i]);
      for (int j = 0; j < Dn; ++j) write_vector(top_->rhs, std::size_t(j) * Dk, rhs_cols[j]);
      top_->shift = beat.shift;
      top_->negate = beat.negate;
      top_->clear = beat.clear;
    }
    tick();
  }

  void idle(int cycles) override {
    top_->in_valid = 0;
    for (int c = 0; c < cycles; ++c) tick();
  }

  int32_t acc(int row, int col) const override { return static_cast<int32_t>(top_->acc[row][col]); }
  void read_accumulators(int32_t* out) const override {
    for (int i = 0; i < shape_.dm; ++i) {
      for (int j = 0; j < shape_.dn; ++j)
        out[i * shape_.dn + j] = static_cast<int32_t>(top_->acc[i][j]);
    }
  }
  bool acc_valid() const override { return top_->acc_valid; }

  uint64_t cycle() const override { return harness_.cycle(); }

  void trace_open(const std::string& path) override { harness_.trace_open(path); }
  void trace_enable(bool on) override { harness_.trace_enable(on); }
  void trace_close() override { harness_.trace_close(); }
  void set_trace_origin(uint64_t cycle) override { harness_.set_trace_origin(cycle); }

 private:
  void tick() { harness_.tick(); }

  // ports::write_bits, with whole 64-bit limbs copied at once into a wide port: VlWide holds
  // 32-bit words least significant first, which on a little-endian host is the limbs' layout.
  // The array's operand ports are wide on every built variant and take a beat per cycle, so
  // this is the harness's hottest copy; Dk fixed at compile time makes it a few vector moves
  // instead of a library call per vector.
  template <class Port>
  static void write_vector(Port& port, std::size_t offset, const uint64_t* src) {
    if constexpr (std::is_convertible_v<Port&, WDataOutP> && Dk % 64 == 0) {
      if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
        std::memcpy(port.data() + offset / 32, src, Dk / 8);
        return;
      }
    }
    ports::write_bits(port, offset, src, Dk);
  }

  static constexpr BismoArrayShape shape_{Dm, Dk, Dn};
  VerilatedHarness<Top> harness_;
  Top* top_ = &harness_.top();
};

}  // namespace haqsim::rtl::detail
