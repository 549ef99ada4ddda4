// BitFusion fusion-mode decoder: turns a precision setting into the work assignment of the 16
// BitBricks of a Fusion Unit. Combinational.
//
// Precisions abits and wbits (1..8) round up to a field width of 2, 4 or 8 bits: 1-2 -> 2,
// 3-4 -> 4, 5-8 -> 8 (0 and values above 8 behave like 2 and 8). A field of width F holds F/2
// two-bit digits. With na = Fa/2 and nw = Fw/2 digits per activation and weight, a Fusion Unit
// computes P = 16 / (na * nw) products per cycle, and BitBrick b handles digit pair (ia, iw) of
// product lane k, where
//   b = k * na * nw + ia * nw + iw.
// So brick b reads activation digit k * na + ia (= b / nw) and weight digit k * nw + iw of the
// packed operand words (see bitfusion_fusion_unit for the packing), and its product weighs
// 4^(ia + iw). Only the top digit of a signed operand is signed.
//
// Every Fusion Unit of an array runs in the same mode, so the array has one decoder (and one
// register for its outputs). Its digit selections drive the two operand routers of every cell
// (bitfusion_operand_route), its signedness and shifts go to every Fusion Unit.
module bitfusion_fusion_mode (
    input  logic [ 3:0]      abits,
    input  logic             a_signed,
    input  logic [ 3:0]      wbits,
    input  logic             w_signed,
    output logic [15:0][3:0] act_digit,         // brick b multiplies activation digit act_digit[b]
    output logic [15:0][3:0] wgt_digit,         // ... by weight digit wgt_digit[b]
    output logic [15:0]      act_digit_signed,  // that activation digit is a signed top digit
    output logic [15:0]      wgt_digit_signed,  // that weight digit is a signed top digit
    output logic [15:0][3:0] product_shift      // brick b's product is shifted left this many bits
);
  // log2 of the digits per field: 0 (2-bit field), 1 (4-bit), 2 (8-bit).
  function automatic logic [1:0] digits_log2(input logic [3:0] bits);
    if (bits <= 4'd2) return 2'd0;
    if (bits <= 4'd4) return 2'd1;
    return 2'd2;
  endfunction

  logic [1:0] la, lw;
  assign la = digits_log2(abits);
  assign lw = digits_log2(wbits);

  always_comb begin
    for (int b = 0; b < 16; b++) begin
      logic [3:0] brick, ia, iw, k;
      brick = 4'(b);
      iw = brick & ((4'd1 << lw) - 4'd1);
      ia = (brick >> lw) & ((4'd1 << la) - 4'd1);
      k = brick >> (3'(la) + 3'(lw));  // widened: la + lw reaches 4
      act_digit[b] = brick >> lw;
      wgt_digit[b] = (k << lw) | iw;
      act_digit_signed[b] = a_signed && (ia == (4'd1 << la) - 4'd1);
      wgt_digit_signed[b] = w_signed && (iw == (4'd1 << lw) - 4'd1);
      product_shift[b] = (ia + iw) << 1;
    end
  end
endmodule
