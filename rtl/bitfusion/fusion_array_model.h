// FusionArrayRtl over one verilated variant of bitfusion_array. Internal to rtl/bitfusion: only
// the generated per-variant sources include it (each with its own verilated header).
#pragma once

#include <verilated.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "rtl/bitfusion/fusion_array_rtl.h"
#include "rtl/bitfusion/fusion_operands.h"
#include "rtl/common/verilated_harness.h"
#include "rtl/common/verilated_ports.h"

namespace haqsim::rtl::detail {

template <class Top>
class FusionArrayModel final : public FusionArrayRtl {
 public:
  FusionArrayModel(FusionArrayShape shape, bool trace)
      : shape_(check_rows(shape)), harness_(trace, "BitFusion array") {
    set_precision(FusionPrecision{});
    set_act_per_unit(false);
    reset();
  }

  FusionArrayShape shape() const override { return shape_; }

  void reset() override {
    top_->rst = 1;
    ports::set_low_bits(top_->act_valid, 0, shape_.rows);
    tick();
    top_->rst = 0;
  }

  void set_precision(const FusionPrecision& p) override {
    fusion_field_bits(p.abits);  // validates 1..8
    fusion_field_bits(p.wbits);
    top_->abits = static_cast<uint8_t>(p.abits);
    top_->a_signed = p.a_signed;
    top_->wbits = static_cast<uint8_t>(p.wbits);
    top_->w_signed = p.w_signed;
  }

  void set_act_per_unit(bool per_unit) override { top_->act_per_unit = per_unit; }
  bool act_per_unit() const override { return top_->act_per_unit != 0; }

  void step(const FusionCycle& in) override {
    ports::set_low_bits(top_->act_valid, in.act_valid, shape_.rows);
    for (int i = 0; i < shape_.rows; ++i) top_->act[i] = in.act ? in.act[i] : 0;
    for (int i = 0; i < shape_.rows; ++i) {
      const std::size_t row = static_cast<std::size_t>(i) * shape_.cols;
      for (int j = 0; j < shape_.cols; ++j) {
        top_->wgt[i][j] = in.weights ? in.weights[row + j] : 0;
        top_->act_unit[i][j] = in.unit_act ? in.unit_act[row + j] : 0;
      }
    }
    tick();
  }

  int32_t psum(int col) const override { return static_cast<int32_t>(top_->psum[col]); }
  bool psum_valid(int col) const override { return ports::get_bit(top_->psum_valid, col); }

  uint64_t cycle() const override { return harness_.cycle(); }

  void trace_open(const std::string& path) override { harness_.trace_open(path); }
  void trace_enable(bool on) override { harness_.trace_enable(on); }
  void trace_close() override { harness_.trace_close(); }
  void set_trace_origin(uint64_t cycle) override { harness_.set_trace_origin(cycle); }

 private:
  static FusionArrayShape check_rows(FusionArrayShape shape) {
    if (shape.rows > 64) throw std::invalid_argument("FusionArrayRtl supports at most 64 rows");
    return shape;
  }
  void tick() { harness_.tick(); }

  FusionArrayShape shape_;
  VerilatedHarness<Top> harness_;
  Top* top_ = &harness_.top();
};

}  // namespace haqsim::rtl::detail
