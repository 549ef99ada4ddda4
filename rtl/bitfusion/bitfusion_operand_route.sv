// BitFusion operand router: rearranges a packed operand word into BitBrick order. Combinational.
//
//   routed[2b +: 2] = packed[2*digit[b] +: 2]      for every BitBrick b = 0..15
//
// The digit selections come from bitfusion_fusion_mode and depend only on the precision, so a
// digit may be copied to several bricks (an 8-bit activation's digit meets each digit of the
// weight) and unused digits are dropped. Every cell of the array routes its own two registered
// operand words (bitfusion_pe), like the paper's Fusion Unit, which configures its own BitBricks:
// each cell gets its own weight word every cycle, and in depthwise mode its own activation word.
// Not traced: the routed words are a function of the cell's traced operand registers and mode.
// The routing is bitfusion_route (bitfusion_fusion_functions.svh), which the array's cells call
// directly; this module is that function as a unit of its own.
module bitfusion_operand_route (
    input  logic [31:0]      packed_word,
    input  logic [15:0][3:0] digit,
    output logic [31:0]      routed
);
  // verilator tracing_off
`include "bitfusion_fusion_functions.svh"
  assign routed = bitfusion_route(packed_word, digit);
endmodule
