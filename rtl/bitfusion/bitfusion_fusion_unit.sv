// BitFusion Fusion Unit: 16 BitBricks fused by shift-add into a small dot product. Combinational.
//
// With field widths Fa, Fw (2, 4 or 8 bits; see bitfusion_fusion_mode for how abits and wbits
// round up to them) a Fusion Unit computes
//
//   sum = a[0]*w[0] + a[1]*w[1] + ... + a[P-1]*w[P-1],   P = (8/Fa) * (8/Fw)
//
// i.e. 16 products at 2x2, 8 at 4x2, 4 at 4x4 or 8x2, 2 at 8x4, 1 at 8x8: every BitBrick is busy
// in every mode. The unit outputs the sum rather than P separate products because that is what
// the array consumes: all products of a unit belong to the same output channel.
//
// Operand packing (the contract with the host, mirrored in fusion_operands.h):
//   activation k is bits [Fa*k +: Fa] of the packed activation word, weight k bits [Fw*k +: Fw]
//   of the packed weight word, k = 0..P-1, each two's complement when signed and unsigned
//   otherwise. A value narrower than its field (3 bits in a 4-bit field, say) is stored sign- or
//   zero-extended to the field. Bits above P*Fa (P*Fw) are ignored, so a unit reads 64/Fw
//   activation bits and 64/Fa weight bits, at most 32 of each.
//
// Fusion. Writing each operand in 2-bit digits (only the top digit of a signed number signed),
//   a[k]*w[k] = sum over digit pairs (ia, iw) of  adigit(k, ia) * wdigit(k, iw) * 4^(ia + iw),
// and there are exactly P * (Fa/2) * (Fw/2) = 16 digit pairs in all: one per BitBrick.
// bitfusion_fusion_mode assigns the pairs to bricks; bitfusion_operand_route puts each brick's
// two digits at its position of `act` and `wgt` (brick b: bits [2b +: 2] of each). Here each
// BitBrick multiplies its digits with the signedness it is told, and the 16 products are shifted
// by their significance and added. The paper's unit builds the same function from fixed wiring
// and a hierarchical shift-add tree; here the mode-dependent part is the routing outside and the
// per-brick shift amounts, and the adder is one 16-input sum.
//
// Range: |sum| <= 255 * 255 = 65025 < 2^17 in every mode, so an 18-bit two's complement sum is
// exact.
//
// Not traced: an array has hundreds of units, and their brick-level signals would dominate both
// the VCD and the generated trace code. A unit's operands and sum show on its bitfusion_pe.
//
// The arithmetic is bitfusion_fusion_sum over bitfusion_brick_product (one call per BitBrick,
// bitfusion_fusion_functions.svh), which the array's cells call directly; this module is that
// function as a unit of its own, e.g. for testing it alone (tests/rtl).
module bitfusion_fusion_unit (
    input  logic        [31:0]      act,               // routed: brick b's digit in [2b +: 2]
    input  logic        [31:0]      wgt,               // routed: brick b's digit in [2b +: 2]
    input  logic        [15:0]      act_digit_signed,
    input  logic        [15:0]      wgt_digit_signed,
    input  logic        [15:0][3:0] product_shift,     // brick b's product << product_shift[b]
    output logic signed [17:0]      sum
);
  // verilator tracing_off
`include "bitfusion_fusion_functions.svh"
  assign sum = bitfusion_fusion_sum(act, wgt, act_digit_signed, wgt_digit_signed, product_shift);
endmodule
