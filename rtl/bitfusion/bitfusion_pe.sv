// One cell of the BitFusion systolic array: a Fusion Unit with its stationary weights, the
// activation register of its row and the partial-sum register of its column.
//
// Every rising edge:
//   act_q, act_valid_q <= act_in, act_valid_in          (the activation enters the cell)
//   psum_out           <= psum_in + (act_valid_q ? fusion_unit(act_q, weights) : 0)
//   psum_valid_out     <= psum_valid_in | act_valid_q   (some row of this vector was valid)
//   weights            <= w_load_data when w_load       (used from the next cycle on)
// act_q and act_valid_q also leave the cell to the right (act_out, act_valid_out). So an
// activation is registered on entry, multiplied in the following cycle, and its product is in
// psum_out one edge after it entered; it reaches the next cell to the right on that same edge.
//
// Every Fusion Unit input is a register (act_q, weights and the array's mode register), so the
// unit's logic is a clean register-to-register path, and a simulator evaluates it once per clock
// edge instead of again whenever an input port of the array changes.
module bitfusion_pe #(
    parameter int PSUM_WIDTH = 32
) (
    input  logic                  clk,
    input  logic                  rst,
    // BitBrick signedness and shifts, from the array's fusion-mode register
    input  logic [15:0]           act_digit_signed,
    input  logic [15:0]           wgt_digit_signed,
    input  logic [15:0][3:0]      product_shift,
    // weight load (a word already routed into BitBrick order)
    input  logic                  w_load,
    input  logic [31:0]           w_load_data,
    // activations (routed into BitBrick order), left to right
    input  logic                  act_valid_in,
    input  logic [31:0]           act_in,
    output logic                  act_valid_out,
    output logic [31:0]           act_out,
    // partial sums, top to bottom
    input  logic                  psum_valid_in,
    input  logic [PSUM_WIDTH-1:0] psum_in,
    output logic                  psum_valid_out,
    output logic [PSUM_WIDTH-1:0] psum_out
);
  logic [31:0] weights, act_q;
  logic act_valid_q;
  always_ff @(posedge clk) begin
    if (rst) begin
      weights     <= '0;
      act_valid_q <= 1'b0;
    end else begin
      if (w_load) weights <= w_load_data;
      act_valid_q <= act_valid_in;
    end
    act_q <= act_in;
  end
  assign act_out       = act_q;
  assign act_valid_out = act_valid_q;

  logic signed [17:0] product_sum;
  bitfusion_fusion_unit u_fusion_unit (
      .act             (act_q),
      .wgt             (weights),
      .act_digit_signed(act_digit_signed),
      .wgt_digit_signed(wgt_digit_signed),
      .product_shift   (product_shift),
      .sum             (product_sum)
  );

  always_ff @(posedge clk) begin
    if (rst) begin
      psum_out       <= '0;
      psum_valid_out <= 1'b0;
    end else begin
      psum_out       <= psum_in + (act_valid_q ? PSUM_WIDTH'(product_sum) : '0);
      psum_valid_out <= psum_valid_in | act_valid_q;
    end
  end
endmodule
