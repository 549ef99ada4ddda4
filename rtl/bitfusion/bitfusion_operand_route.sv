// BitFusion operand router: rearranges a packed operand word into BitBrick order. Combinational.
//
//   routed[2b +: 2] = packed[2*digit[b] +: 2]      for every BitBrick b = 0..15
//
// The digit selections come from bitfusion_fusion_mode and depend only on the precision, so a
// digit may be copied to several bricks (an 8-bit activation's digit meets each digit of the
// weight) and unused digits are dropped. Routing happens where operands enter the array, once per
// row for activations and once per column for weight loads, instead of in each Fusion Unit:
// all units of a row see the same activations, and all units of a column are loaded through the
// same port, so the array needs N + M routers rather than N x M.
module bitfusion_operand_route (
    input  logic [31:0]      packed_word,
    input  logic [15:0][3:0] digit,
    output logic [31:0]      routed
);
  for (genvar b = 0; b < 16; b++) begin : g_brick
    assign routed[2*b+:2] = packed_word[2*digit[b]+:2];
  end
endmodule
