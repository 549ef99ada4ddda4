// Test top for the Fusion Unit alone: one unit with the mode decoder and the two operand routers
// that each cell of the array places in front of its unit, so the unit can be driven with packed
// operand words and a precision, exactly as the array's ports are. Combinational; verilated for
// test_bitfusion_fusion_unit.
module bitfusion_fusion_unit_tb (
    input  logic        [31:0] act,  // packed activations (format: bitfusion_fusion_unit)
    input  logic        [ 3:0] abits,
    input  logic               a_signed,
    input  logic        [31:0] wgt,  // packed weights
    input  logic        [ 3:0] wbits,
    input  logic               w_signed,
    output logic signed [17:0] sum
);
  logic [15:0][3:0] act_digit, wgt_digit, product_shift;
  logic [15:0] act_digit_signed, wgt_digit_signed;
  bitfusion_fusion_mode u_mode (
      .abits           (abits),
      .a_signed        (a_signed),
      .wbits           (wbits),
      .w_signed        (w_signed),
      .act_digit       (act_digit),
      .wgt_digit       (wgt_digit),
      .act_digit_signed(act_digit_signed),
      .wgt_digit_signed(wgt_digit_signed),
      .product_shift   (product_shift)
  );

  logic [31:0] act_routed, wgt_routed;
  bitfusion_operand_route u_act_route (
      .packed_word(act),
      .digit      (act_digit),
      .routed     (act_routed)
  );
  bitfusion_operand_route u_wgt_route (
      .packed_word(wgt),
      .digit      (wgt_digit),
      .routed     (wgt_routed)
  );

  bitfusion_fusion_unit u_unit (
      .act             (act_routed),
      .wgt             (wgt_routed),
      .act_digit_signed(act_digit_signed),
      .wgt_digit_signed(wgt_digit_signed),
      .product_shift   (product_shift),
      .sum             (sum)
  );
endmodule
