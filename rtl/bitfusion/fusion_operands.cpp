#include "rtl/bitfusion/fusion_operands.h"

#include <stdexcept>
#include <string>

namespace haqsim::rtl {

int fusion_field_bits(int bits) {
  if (bits < 1 || bits > 8) {
    throw std::invalid_argument("BitFusion precision must be 1..8 bits, got " +
                                std::to_string(bits));
  }
  if (bits <= 2) return 2;
  if (bits <= 4) return 4;
  return 8;
}

int fusion_products_per_cycle(int abits, int wbits) {
  return (8 / fusion_field_bits(abits)) * (8 / fusion_field_bits(wbits));
}

uint32_t pack_fusion_operands(const int32_t* values, int count, int bits, bool is_signed) {
  const int field = fusion_field_bits(bits);
  if (count < 0 || count * field > 32) {
    throw std::invalid_argument(std::to_string(count) + " operands of " + std::to_string(field) +
                                " bits do not fit in a 32-bit Fusion Unit word");
  }
  const int32_t lo = is_signed ? -(1 << (bits - 1)) : 0;
  const int32_t hi = is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  const uint32_t mask = (1u << field) - 1;
  uint32_t word = 0;
  for (int k = 0; k < count; ++k) {
    if (values[k] < lo || values[k] > hi) {
      throw std::out_of_range("operand " + std::to_string(k) + " = " + std::to_string(values[k]) +
                              " does not fit in " + std::to_string(bits) + " bits " +
                              (is_signed ? "signed" : "unsigned"));
    }
    // Masking a two's complement value to the field width sign-extends it within the field.
    word |= (static_cast<uint32_t>(values[k]) & mask) << (field * k);
  }
  return word;
}

}  // namespace haqsim::rtl
