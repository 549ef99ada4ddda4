// The combinational functions of a BitFusion cell, shared by the modules that present them as
// units (bitfusion_bitbrick, bitfusion_operand_route, bitfusion_fusion_unit: their headers
// specify what each function computes) and by bitfusion_pe, which calls them from one always_comb
// so that a cell whose product cannot matter skips them in simulation (see bitfusion_pe). As
// functions in one always block they are also evaluated as a handful of C++ statements per cell
// rather than as 16 brick instances and two routers wired together through module ports.
//
// `include'd inside the body of each module that uses them: module-scope functions, one copy per
// module, so every module stands on its own (lint checks each file alone) and no compilation-unit
// scope or package ordering is involved. Hence no include guard.

// BitBrick: 2-bit x 2-bit product, each operand signed or unsigned (bitfusion_bitbrick).
// The operands are extended to 6 bits and multiplied unsigned: the low 6 bits of a product do
// not depend on signedness (two's complement), and -6..9 fits in 6 signed bits, so reading the
// 6-bit result as signed is the signed 3b x 3b product the paper's BitBrick computes. Written
// unsigned because Verilator turns a signed multiply into a library call and an unsigned one
// into one machine multiply.
function automatic logic signed [5:0] bitfusion_brick_product(
    input logic [1:0] a_digit, input logic a_is_signed, input logic [1:0] w_digit,
    input logic w_is_signed);
  logic [5:0] a_ext, w_ext;
  a_ext = {{4{a_is_signed & a_digit[1]}}, a_digit};
  w_ext = {{4{w_is_signed & w_digit[1]}}, w_digit};
  return $signed(a_ext * w_ext);
endfunction

// Digit `select` (2 bits) of a packed operand word: what an operand router hands a BitBrick.
function automatic logic [1:0] bitfusion_digit(input logic [31:0] word, input logic [3:0] select);
  return word[2*select+:2];
endfunction

// Operand router: routed[2b +: 2] = packed_word[2*digit[b] +: 2] (bitfusion_operand_route).
function automatic logic [31:0] bitfusion_route(input logic [31:0] word,
                                                input logic [15:0][3:0] select);
  logic [31:0] result;
  for (int b = 0; b < 16; b++) result[2*b+:2] = bitfusion_digit(word, select[b]);
  return result;
endfunction

// A cell's router pair and Fusion Unit in one: BitBrick b multiplies activation digit a_sel[b]
// of a_word by weight digit w_sel[b] of w_word, and the 16 products are shifted by their
// significance and added. The same as bitfusion_fusion_sum of the two routed words, without
// building them: each brick reads its digits straight from the packed words.
function automatic logic signed [17:0] bitfusion_cell_sum(
    input logic [31:0] a_word, input logic [31:0] w_word, input logic [15:0][3:0] a_sel,
    input logic [15:0][3:0] w_sel, input logic [15:0] a_signed_digits,
    input logic [15:0] w_signed_digits, input logic [15:0][3:0] shifts);
  logic signed [17:0] total;
  total = '0;
  for (int b = 0; b < 16; b++) begin
    total = total + (18'(bitfusion_brick_product(
        bitfusion_digit(a_word, a_sel[b]), a_signed_digits[b],
        bitfusion_digit(w_word, w_sel[b]), w_signed_digits[b])) <<< shifts[b]);
  end
  return total;
endfunction

// Fusion Unit: the 16 BitBricks' products of two routed words (brick b's digits at [2b +: 2]),
// shifted by their significance and added (bitfusion_fusion_unit): a cell sum whose routing is
// the identity.
function automatic logic signed [17:0] bitfusion_fusion_sum(
    input logic [31:0] a_routed, input logic [31:0] w_routed, input logic [15:0] a_signed_digits,
    input logic [15:0] w_signed_digits, input logic [15:0][3:0] shifts);
  logic [15:0][3:0] identity;
  for (int b = 0; b < 16; b++) identity[b] = 4'(b);
  return bitfusion_cell_sum(a_routed, w_routed, identity, identity, a_signed_digits,
                            w_signed_digits, shifts);
endfunction
