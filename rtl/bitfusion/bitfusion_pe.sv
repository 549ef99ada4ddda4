// One cell of the BitFusion systolic array: a Fusion Unit with its operand registers, the
// activation register of its row and the partial-sum register of its column.
//
// Every rising edge:
//   act_q, act_valid_q <= (act_per_unit ? act_unit : act_in), act_valid_in
//   wgt_q              <= wgt                        (this cell's WBUF bank, every cycle)
//   psum_out           <= psum_in + (act_valid_q ? fusion_unit(act_q, wgt_q) : 0)
//   psum_valid_out     <= psum_valid_in | act_valid_q   (some row of this vector was valid)
// act_q and act_valid_q also leave the cell to the right (act_out, act_valid_out). So the
// operands are registered on entry, multiplied in the following cycle, and their product is in
// psum_out one edge after they entered; the activation reaches the next cell to the right on
// that same edge. The weight and, with act_per_unit, the activation come from this cell's own
// port, so the array presents them with the same skew as the activation travelling the row.
//
// Operands travel and are registered packed (format: bitfusion_fusion_unit); each cell routes
// its two registered words into BitBrick order (bitfusion_operand_route), as the paper's Fusion
// Unit configures its own BitBricks. Routers and Fusion Unit then read only registers (act_q,
// wgt_q and the array's mode register), so they are a clean register-to-register path, and a
// simulator evaluates them once per clock edge instead of again whenever an input port changes.
// They are called as functions rather than instantiated, so that an idle cell can skip them
// (operand isolation, below).
module bitfusion_pe #(
    parameter int PSUM_WIDTH = 32
) (
    input  logic                  clk,
    input  logic                  rst,
    // fusion mode, from the array's mode register: BitBrick digit selections, signedness, shifts
    input  logic [15:0][3:0]      act_digit,
    input  logic [15:0][3:0]      wgt_digit,
    input  logic [15:0]           act_digit_signed,
    input  logic [15:0]           wgt_digit_signed,
    input  logic [15:0][3:0]      product_shift,
    // this cell's packed weight word, a new one every cycle
    input  logic [31:0]           wgt,
    // depthwise mode: take the activation from act_unit (this cell's own IBUF word) instead of
    // from the left neighbour
    input  logic                  act_per_unit,
    input  logic [31:0]           act_unit,
    // packed activations and their valid bit, left to right
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
  logic [31:0] act_q, wgt_q;
  logic act_valid_q;
  always_ff @(posedge clk) begin
    if (rst) act_valid_q <= 1'b0;
    else act_valid_q <= act_valid_in;
    act_q <= act_per_unit ? act_unit : act_in;
    wgt_q <= wgt;
  end
  assign act_out       = act_q;
  assign act_valid_out = act_valid_q;

  // Routers and Fusion Unit (bitfusion_operand_route, bitfusion_fusion_unit; as one function,
  // bitfusion_cell_sum in bitfusion_fusion_functions.svh), behind operand isolation: the product only enters psum_out
  // when act_valid_q is high, and it is 0 when either packed operand word is 0 (every digit is 0,
  // so every BitBrick's product is), so in those cases the unit's output is forced to 0 instead
  // of computed. The value of product_sum is the same whenever it is used -- this is the mux a
  // low-power design puts in front of an idle multiplier -- but a simulator then skips the unit's
  // 16 BitBricks in idle cells: the columns of a depthwise layer that hold no channel, rows past
  // a layer's last input channel, zero activations after a ReLU.
`include "bitfusion_fusion_functions.svh"
  logic signed [17:0] product_sum;
  always_comb begin
    product_sum = '0;
    if (act_valid_q && act_q != '0 && wgt_q != '0) begin
      product_sum = bitfusion_cell_sum(act_q, wgt_q, act_digit, wgt_digit, act_digit_signed,
                                       wgt_digit_signed, product_shift);
    end
  end

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
