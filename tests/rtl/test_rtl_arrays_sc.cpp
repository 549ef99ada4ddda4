// The --sc (SystemC) flavours of the verilated arrays work pin-level under a SystemC clock, with
// the same timing as the --cc models: BISMO's beat lands PIPELINE_DEPTH = 3 edges after it is
// sampled, BitFusion's column-j sum leaves N + 1 + j edges after the vector's row 0.
#include <gtest/gtest.h>
#include <systemc.h>

#include <cstdint>

#include "Vbismo_array_2x64x3_sc.h"
#include "Vbismo_array_8x256x8_sc.h"
#include "Vbitfusion_array_2x3_sc.h"
#include "tests/systemc/systemc_fixture.h"

namespace {

using RtlArraysSc = haqsim::testing::SystemCTest;

// A 10 ns clock whose rising edges fall at 5, 15, 25 ns...: the test drives inputs at multiples
// of 10 ns and advances 10 ns per cycle, so every cycle has exactly one rising edge, mid-way.
struct Clock {
  sc_clock clk{"clk", 10, SC_NS, 0.5, 5, SC_NS, true};
  void cycles(int n) { sc_start(10 * n, SC_NS); }
};

template <int Dm, int Dk, int Dn, class Dut>
void check_bismo_beat() {
  Clock clock;
  sc_signal<bool> rst, in_valid, negate, clear, acc_valid;
  sc_signal<uint32_t> shift;
  sc_signal<sc_bv<Dm * Dk>> lhs;
  sc_signal<sc_bv<Dn * Dk>> rhs;
  sc_signal<uint32_t> acc[Dm][Dn];
  Dut dut("dut");
  dut.clk(clock.clk);
  dut.rst(rst);
  dut.in_valid(in_valid);
  dut.lhs(lhs);
  dut.rhs(rhs);
  dut.shift(shift);
  dut.negate(negate);
  dut.clear(clear);
  for (int i = 0; i < Dm; ++i) {
    for (int j = 0; j < Dn; ++j) dut.acc[i][j](acc[i][j]);
  }
  dut.acc_valid(acc_valid);

  rst = true;
  clock.cycles(1);
  rst = false;
  // Row i of LHS has i + 1 ones, every RHS column is all ones: popcount(row i & col j) = i + 1.
  sc_bv<Dm * Dk> l;
  for (int i = 0; i < Dm; ++i) {
    for (int b = 0; b <= i; ++b) l[i * Dk + b] = 1;
  }
  sc_bv<Dn * Dk> r;
  for (int k = 0; k < Dn * Dk; ++k) r[k] = 1;
  lhs = l;
  rhs = r;
  shift = 3;
  negate = true;
  clear = true;
  in_valid = true;
  clock.cycles(1);  // the beat is sampled at this cycle's edge
  in_valid = false;
  clock.cycles(1);
  EXPECT_FALSE(acc_valid.read());
  clock.cycles(1);  // third edge: the beat is in the accumulators
  EXPECT_TRUE(acc_valid.read());
  for (int i = 0; i < Dm; ++i) {
    for (int j = 0; j < Dn; ++j) {
      EXPECT_EQ(static_cast<int32_t>(acc[i][j].read()), -((i + 1) << 3))
          << "DPU (" << i << ", " << j << ")";
    }
  }
}

TEST_F(RtlArraysSc, BismoSmallBeatUnderSystemCClock) {
  check_bismo_beat<2, 64, 3, Vbismo_array_2x64x3_sc>();
}

TEST_F(RtlArraysSc, BismoEdge8x256x8BeatUnderSystemCClock) {
  check_bismo_beat<8, 256, 8, Vbismo_array_8x256x8_sc>();
}

TEST_F(RtlArraysSc, BitFusionSmallVectorUnderSystemCClock) {
  constexpr int kRows = 2, kCols = 3;
  Clock clock;
  sc_signal<bool> rst, a_signed, w_signed, act_per_unit;
  sc_signal<uint32_t> abits, wbits, act_valid, psum_valid;
  sc_signal<uint32_t> act[kRows], act_unit[kRows][kCols], wgt[kRows][kCols], psum[kCols];
  Vbitfusion_array_2x3_sc dut("dut");
  dut.clk(clock.clk);
  dut.rst(rst);
  dut.abits(abits);
  dut.a_signed(a_signed);
  dut.wbits(wbits);
  dut.w_signed(w_signed);
  dut.act_per_unit(act_per_unit);
  dut.act_valid(act_valid);
  dut.psum_valid(psum_valid);
  for (int j = 0; j < kCols; ++j) dut.psum[j](psum[j]);
  for (int i = 0; i < kRows; ++i) {
    dut.act[i](act[i]);
    for (int j = 0; j < kCols; ++j) {
      dut.act_unit[i][j](act_unit[i][j]);
      dut.wgt[i][j](wgt[i][j]);
    }
  }

  rst = true;
  clock.cycles(1);
  rst = false;
  abits = 8;  // 8-bit unsigned activations, 8-bit signed weights: one product per unit
  wbits = 8;
  w_signed = true;
  // One vector: activation of row i = i + 2 in cycle i; weight of cell (i, j) =
  // -(10 * i + j + 1), two's complement in the low 8 bits, in cycle i + j (junk otherwise).
  for (int s = 0; s < kRows + kCols + 2; ++s) {
    act_valid = s < kRows ? 1u << s : 0u;
    if (s < kRows) act[s] = uint32_t(s + 2);
    for (int i = 0; i < kRows; ++i) {
      for (int j = 0; j < kCols; ++j) {
        wgt[i][j] = s == i + j ? uint32_t(-(10 * i + j + 1)) & 0xffu : 0x55u;
      }
    }
    clock.cycles(1);
    for (int j = 0; j < kCols; ++j) {
      const bool due = s + 1 == kRows + 1 + j;
      EXPECT_EQ(bool((psum_valid.read() >> j) & 1u), due) << "column " << j << ", step " << s;
      if (due) {
        int expected = 0;
        for (int i = 0; i < kRows; ++i) expected += (i + 2) * -(10 * i + j + 1);
        EXPECT_EQ(static_cast<int32_t>(psum[j].read()), expected) << "column " << j;
      }
    }
  }
}

}  // namespace
