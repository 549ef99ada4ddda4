// The operand format of the BitFusion RTL (rtl/bitfusion/bitfusion_fusion_unit.sv), in C++:
// how precisions map to field widths and how values are packed into the 32-bit activation and
// weight words a Fusion Unit reads.
#pragma once

#include <cstdint>

namespace haqsim::rtl {

// Field width (2, 4 or 8 bits) that a precision of `bits` (1..8) occupies: 1-2 -> 2, 3-4 -> 4,
// 5-8 -> 8. Throws std::invalid_argument outside 1..8.
int fusion_field_bits(int bits);

// Products a Fusion Unit computes (and sums) per cycle: (8 / field(abits)) * (8 / field(wbits)),
// from 1 (8x8) to 16 (2x2). Activation k is multiplied by weight k, k < this count.
int fusion_products_per_cycle(int abits, int wbits);

// Packs values[0..count) into one operand word: value k in bits [F*k, F*k + F) with
// F = fusion_field_bits(bits), as F-bit two's complement (signed) or unsigned. Throws
// std::invalid_argument when count * F > 32 and std::out_of_range when a value does not fit
// in `bits` bits of the given signedness.
uint32_t pack_fusion_operands(const int32_t* values, int count, int bits, bool is_signed);

}  // namespace haqsim::rtl
