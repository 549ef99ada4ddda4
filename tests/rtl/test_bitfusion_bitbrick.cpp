// The BitBrick multiplies every pair of 2-bit operands correctly in all four signedness
// combinations (16 x 4 cases, exhaustive), against plain integer multiplication.
#include <gtest/gtest.h>
#include <verilated.h>

#include <memory>

#include "Vbitfusion_bitbrick.h"

namespace {

// The value a 2-bit pattern stands for.
int decode2(unsigned bits, bool is_signed) {
  return is_signed && (bits & 2u) ? static_cast<int>(bits) - 4 : static_cast<int>(bits);
}

// The 6-bit two's complement product port as an int.
int decode6(unsigned bits) {
  return bits & 0x20u ? static_cast<int>(bits) - 64 : static_cast<int>(bits);
}

TEST(BitBrick, AllOperandPairsAllSignedness) {
  auto context = std::make_unique<VerilatedContext>();
  auto brick = std::make_unique<Vbitfusion_bitbrick>(context.get());
  int checked = 0;
  for (int x_signed = 0; x_signed < 2; ++x_signed) {
    for (int y_signed = 0; y_signed < 2; ++y_signed) {
      for (unsigned x = 0; x < 4; ++x) {
        for (unsigned y = 0; y < 4; ++y) {
          brick->x = x;
          brick->y = y;
          brick->x_signed = x_signed;
          brick->y_signed = y_signed;
          brick->eval();
          const int expected = decode2(x, x_signed) * decode2(y, y_signed);
          EXPECT_EQ(decode6(brick->product), expected)
              << "x=" << x << (x_signed ? "s" : "u") << " y=" << y << (y_signed ? "s" : "u");
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 64);
  brick->final();
}

}  // namespace
