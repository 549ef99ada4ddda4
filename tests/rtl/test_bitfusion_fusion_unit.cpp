// The Fusion Unit computes sum_k a[k] * w[k] over its (8/Fa)*(8/Fw) product lanes for every
// precision pair (abits, wbits) in 1..8 x 1..8 and every signedness combination, against a plain
// integer multiply-and-sum of the unpacked values. The unit is driven through
// bitfusion_fusion_unit_tb.sv: the mode decoder and operand routers the array puts in front of
// its units, so the inputs are packed words and a precision, as at the array's ports.
//
// Coverage per configuration:
//   - exhaustive over the whole input space when it has at most 2^18 points (the 1- and
//     2-product modes, i.e. operands of 5 bits and more);
//   - otherwise 10,000 random vectors, plus every operand pair in every lane with the other lanes
//     random (exhaustive per lane), plus all lanes at the range corners (min/max pairs);
//   - port bits above the packed lanes always hold random junk, which the unit must ignore.
#include <gtest/gtest.h>
#include <verilated.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "Vbitfusion_fusion_unit_tb.h"
#include "rtl/bitfusion/fusion_operands.h"

namespace {

using haqsim::rtl::fusion_field_bits;
using haqsim::rtl::fusion_products_per_cycle;
using haqsim::rtl::pack_fusion_operands;

struct Range {
  int lo, hi;
};
Range value_range(int bits, bool is_signed) {
  return is_signed ? Range{-(1 << (bits - 1)), (1 << (bits - 1)) - 1} : Range{0, (1 << bits) - 1};
}

class FusionUnitTest : public ::testing::TestWithParam<std::tuple<int, int, bool, bool>> {
 protected:
  void SetUp() override {
    std::tie(abits_, wbits_, a_signed_, w_signed_) = GetParam();
    lanes_ = fusion_products_per_cycle(abits_, wbits_);
    context_ = std::make_unique<VerilatedContext>();
    unit_ = std::make_unique<Vbitfusion_fusion_unit_tb>(context_.get());
    unit_->abits = abits_;
    unit_->wbits = wbits_;
    unit_->a_signed = a_signed_;
    unit_->w_signed = w_signed_;
  }
  void TearDown() override { unit_->final(); }

  // Drives one vector, compares with the reference; returns false (after one failure report) on
  // mismatch so callers can stop early.
  bool check(const std::vector<int32_t>& a, const std::vector<int32_t>& w) {
    const uint32_t act = pack_fusion_operands(a.data(), lanes_, abits_, a_signed_);
    const uint32_t wgt = pack_fusion_operands(w.data(), lanes_, wbits_, w_signed_);
    unit_->act = act | junk_above(lanes_ * fusion_field_bits(abits_));
    unit_->wgt = wgt | junk_above(lanes_ * fusion_field_bits(wbits_));
    unit_->eval();
    int64_t expected = 0;
    for (int k = 0; k < lanes_; ++k) expected += int64_t{a[k]} * w[k];
    const int32_t got = sign_extend18(unit_->sum);
    ++vectors_;
    if (got == expected) return true;
    ADD_FAILURE() << "a=" << join(a) << " w=" << join(w) << ": RTL " << got << ", expected "
                  << expected;
    return false;
  }

  int32_t random_value(Range r) { return std::uniform_int_distribution<int32_t>(r.lo, r.hi)(rng_); }
  void randomize(std::vector<int32_t>& v, Range r) {
    for (auto& x : v) x = random_value(r);
  }

  int abits_ = 0, wbits_ = 0;
  bool a_signed_ = false, w_signed_ = false;
  int lanes_ = 0;
  long vectors_ = 0;
  std::mt19937 rng_{12345};

 private:
  uint32_t junk_above(int used_bits) {
    if (used_bits >= 32) return 0;
    return static_cast<uint32_t>(rng_()) & ~((1u << used_bits) - 1);
  }
  static int32_t sign_extend18(uint32_t v) { return static_cast<int32_t>(v << 14) >> 14; }
  static std::string join(const std::vector<int32_t>& v) {
    std::string s = "[";
    for (int32_t x : v) s += std::to_string(x) + " ";
    return s + "]";
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vbitfusion_fusion_unit_tb> unit_;
};

TEST_P(FusionUnitTest, DotProductOfAllLanes) {
  const Range ar = value_range(abits_, a_signed_);
  const Range wr = value_range(wbits_, w_signed_);
  std::vector<int32_t> a(lanes_), w(lanes_);
  const int space_bits = lanes_ * (abits_ + wbits_);

  if (space_bits <= 18) {
    // Exhaustive: count through every combination of all lanes' operands.
    for (uint64_t code = 0; code < (uint64_t{1} << space_bits); ++code) {
      uint64_t c = code;
      for (int k = 0; k < lanes_; ++k) {
        a[k] = ar.lo + static_cast<int32_t>(c & ((1u << abits_) - 1));
        c >>= abits_;
        w[k] = wr.lo + static_cast<int32_t>(c & ((1u << wbits_) - 1));
        c >>= wbits_;
      }
      if (!check(a, w)) return;
    }
    EXPECT_EQ(vectors_, int64_t{1} << space_bits);
    return;
  }

  for (int n = 0; n < 10000; ++n) {
    randomize(a, ar);
    randomize(w, wr);
    if (!check(a, w)) return;
  }
  for (int lane = 0; lane < lanes_; ++lane) {
    for (int32_t x = ar.lo; x <= ar.hi; ++x) {
      for (int32_t y = wr.lo; y <= wr.hi; ++y) {
        randomize(a, ar);
        randomize(w, wr);
        a[lane] = x;
        w[lane] = y;
        if (!check(a, w)) return;
      }
    }
  }
  for (int32_t x : {ar.lo, ar.hi}) {
    for (int32_t y : {wr.lo, wr.hi}) {
      std::fill(a.begin(), a.end(), x);
      std::fill(w.begin(), w.end(), y);
      if (!check(a, w)) return;
    }
  }
  EXPECT_GE(vectors_, 10000);
}

std::string config_name(const ::testing::TestParamInfo<FusionUnitTest::ParamType>& info) {
  const auto& [abits, wbits, a_signed, w_signed] = info.param;
  return "a" + std::to_string(abits) + (a_signed ? "s" : "u") + "_w" + std::to_string(wbits) +
         (w_signed ? "s" : "u");
}

INSTANTIATE_TEST_SUITE_P(AllPrecisions, FusionUnitTest,
                         ::testing::Combine(::testing::Range(1, 9), ::testing::Range(1, 9),
                                            ::testing::Bool(), ::testing::Bool()),
                         config_name);

TEST(FusionOperands, PrecisionRoundingAndThroughput) {
  const int field[9] = {0, 2, 2, 4, 4, 8, 8, 8, 8};
  for (int bits = 1; bits <= 8; ++bits) EXPECT_EQ(fusion_field_bits(bits), field[bits]) << bits;
  EXPECT_EQ(fusion_products_per_cycle(8, 8), 1);
  EXPECT_EQ(fusion_products_per_cycle(8, 4), 2);
  EXPECT_EQ(fusion_products_per_cycle(4, 4), 4);
  EXPECT_EQ(fusion_products_per_cycle(8, 2), 4);
  EXPECT_EQ(fusion_products_per_cycle(4, 2), 8);
  EXPECT_EQ(fusion_products_per_cycle(2, 2), 16);
  EXPECT_EQ(fusion_products_per_cycle(3, 7), 2);
  EXPECT_EQ(fusion_products_per_cycle(1, 1), 16);
  EXPECT_THROW(fusion_field_bits(0), std::invalid_argument);
  EXPECT_THROW(fusion_field_bits(9), std::invalid_argument);
}

TEST(FusionOperands, PackingIsLsbFirstTwosComplementPerField) {
  const int32_t values[] = {1, -1, -8, 7};
  EXPECT_EQ(pack_fusion_operands(values, 4, 4, true), 0x7'8'F'1u);
  const int32_t three_bit[] = {-4, 3};  // 3-bit values in 4-bit fields, sign-extended
  EXPECT_EQ(pack_fusion_operands(three_bit, 2, 3, true), 0x3Cu);
  const int32_t too_big[] = {8};
  EXPECT_THROW(pack_fusion_operands(too_big, 1, 3, false), std::out_of_range);
  const int32_t many[5] = {};
  EXPECT_THROW(pack_fusion_operands(many, 5, 8, false), std::invalid_argument);
}

}  // namespace
