// BitFusion BitBrick: a 2-bit x 2-bit multiplier, each operand signed or unsigned. Combinational.
//
// Each operand is extended to 3 bits (sign-extended when its *_signed flag is set, zero-extended
// otherwise) and the two are multiplied as signed numbers, as in the paper. A signed operand
// takes values -2..1 and an unsigned one 0..3, so the product lies in -6..9; `product` is the
// full 6-bit width of a 3b x 3b signed multiply.
//
// The Fusion Unit sets *_signed only for the most significant 2-bit digit of a signed operand;
// lower digits of a wider number are unsigned. Not traced, like the Fusion Unit around it. The
// arithmetic is bitfusion_brick_product (bitfusion_fusion_functions.svh), which the array's cells
// call directly; this module is that function as a unit of its own.
module bitfusion_bitbrick (
    input  logic        [1:0] x,
    input  logic              x_signed,
    input  logic        [1:0] y,
    input  logic              y_signed,
    output logic signed [5:0] product
);
  // verilator tracing_off
`include "bitfusion_fusion_functions.svh"
  assign product = bitfusion_brick_product(x, x_signed, y, y_signed);
endmodule
