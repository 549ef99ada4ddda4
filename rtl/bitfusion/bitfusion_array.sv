// BitFusion systolic array: N rows (reduction lanes: input channels, or kernel taps of a
// depthwise layer) x M columns (output channels) of Fusion Units (bitfusion_pe). Every cell
// reads its own weight word every cycle, as BitFusion's Fusion Units each read their own WBUF
// bank; nothing is stationary, so the weights may change from one vector to the next (a fully
// connected layer changes them every cycle).
//
// Dataflow.
//   - Activations: row i enters at the left edge through act[i]/act_valid[i] and moves one column
//     to the right per cycle (one register per cell), so column j sees it j cycles after column 0.
//     Depthwise mode (act_per_unit high): every cell takes its activation word from its own port
//     act_unit[i][j] instead of from its left neighbour, i.e. the IBUF delivers one word per
//     Fusion Unit, so each column can work on its own channel. The valid bits still enter at
//     act_valid[i] and move along the row.
//   - Weights: cell (i, j) takes wgt[i][j] (packed, format: bitfusion_fusion_unit) every cycle and
//     registers it with the activation it meets.
//   - Partial sums: start at 0 above row 0 and move one row down per cycle (one register per
//     cell); each cell adds its Fusion Unit's sum when its activation is valid. The column sum
//     leaves the bottom at psum[j]; psum_valid[j] says that at least one row of that vector was
//     valid.
//
// Timing contract (cycle c = the clock period ending at rising edge c; inputs presented in cycle
// c are sampled at edge c; a register written at edge c is visible in cycle c + 1):
//   To compute one vector starting in cycle t, present
//     - row i's activation act[i], with act_valid[i] high, in cycle t + i (the row skew);
//     - cell (i, j)'s weight wgt[i][j] in cycle t + i + j (when row i's activation reaches
//       column j);
//     - in depthwise mode, cell (i, j)'s activation act_unit[i][j] in cycle t + i + j; act[i] is
//       then ignored, act_valid[i] is still needed in cycle t + i.
//   Cell (i, j) registers its operands at edge t + i + j and adds its product to the partial sum
//   at edge t + i + j + 1. The sum over all N rows for column j is on psum[j], with
//   psum_valid[j] high, in cycle t + N + 1 + j (written at edge t + N + j): the fill latency
//   N + 1 plus one cycle of output skew per column. Vectors may be issued every cycle; a stream
//   of V vectors starting in cycle t has its last sum at the bottom of column M-1 in cycle
//   t + (V - 1) + N + M, so an accumulator that adds each sum at the edge closing the cycle it is
//   on psum[j] (BitFusion's OBUF) holds all of them V + N + M cycles after cycle t began.
//   A row whose act_valid is low contributes 0 to the sums passing through it, so a vector with
//   fewer than N rows of work can leave rows invalid (or feed zeros).
//   Precision (abits/a_signed/wbits/w_signed, see bitfusion_fusion_mode: 1..8 bits, rounded up to
//   2, 4 or 8) and act_per_unit apply to the operands presented in the same cycle: the mode is
//   registered alongside them. A vector's operands span cycles t .. t + N + M - 2, so hold both
//   while a layer's data is in flight.
//
// The word-array ports (act, act_unit, wgt, psum) are unpacked arrays of 32-bit words: each word
// is its own variable, so a cell reading one word never has to pick bits out of an N*M*32-bit
// vector (in hardware they are the same wires). rst is synchronous: it clears the valid bits and
// the partial sums.
module bitfusion_array #(
    parameter int N          = 16,  // rows: reduction lanes
    parameter int M          = 32,  // columns: output channels
    parameter int PSUM_WIDTH = 32
) (
    input  logic                  clk,
    input  logic                  rst,
    input  logic [           3:0] abits,
    input  logic                  a_signed,
    input  logic [           3:0] wbits,
    input  logic                  w_signed,
    input  logic                  act_per_unit,
    input  logic [         N-1:0] act_valid,
    input  logic [          31:0] act         [N],
    input  logic [          31:0] act_unit    [N][M],
    input  logic [          31:0] wgt         [N][M],
    output logic [PSUM_WIDTH-1:0] psum        [M],
    output logic [         M-1:0] psum_valid
);
  // Fusion mode: decoded from the precision ports and registered with the operands, so every
  // cell routes and multiplies the operands it registered in cycle c with the mode of cycle c.
  logic [15:0][3:0] act_digit_d, wgt_digit_d, product_shift_d;
  logic [15:0] act_digit_signed_d, wgt_digit_signed_d;
  logic [15:0][3:0] act_digit, wgt_digit, product_shift;
  logic [15:0] act_digit_signed, wgt_digit_signed;
  bitfusion_fusion_mode u_mode (
      .abits           (abits),
      .a_signed        (a_signed),
      .wbits           (wbits),
      .w_signed        (w_signed),
      .act_digit       (act_digit_d),
      .wgt_digit       (wgt_digit_d),
      .act_digit_signed(act_digit_signed_d),
      .wgt_digit_signed(wgt_digit_signed_d),
      .product_shift   (product_shift_d)
  );
  always_ff @(posedge clk) begin
    act_digit        <= act_digit_d;
    wgt_digit        <= wgt_digit_d;
    act_digit_signed <= act_digit_signed_d;
    wgt_digit_signed <= wgt_digit_signed_d;
    product_shift    <= product_shift_d;
  end

  // act_chain[i][j] / valid_chain[i][j]: the activation entering cell (i, j); column M is what
  // leaves the right edge. psum_chain[i][j] / psum_valid_chain[i][j]: the partial sum entering
  // cell (i, j) from above; row N is the output. Unpacked, so that every link is a variable of
  // its own: as one packed vector a chain would be thousands of bits wide, and Verilator would
  // rebuild the whole vector whenever one 32-bit link changes.
  /* verilator lint_off UNUSEDSIGNAL */
  // Why: activations leaving the right edge (column M) feed nothing. Keeping the chain uniform is
  // clearer than special-casing the last column, and synthesis removes the dead registers.
  logic [31:0] act_chain[N][M+1];
  logic valid_chain[N][M+1];
  /* verilator lint_on UNUSEDSIGNAL */
  logic [PSUM_WIDTH-1:0] psum_chain[N+1][M];
  logic psum_valid_chain[N+1][M];

  for (genvar i = 0; i < N; i++) begin : g_row
    assign act_chain[i][0]   = act[i];
    assign valid_chain[i][0] = act_valid[i];
    for (genvar j = 0; j < M; j++) begin : g_col
      bitfusion_pe #(
          .PSUM_WIDTH(PSUM_WIDTH)
      ) u_pe (
          .clk             (clk),
          .rst             (rst),
          .act_digit       (act_digit),
          .wgt_digit       (wgt_digit),
          .act_digit_signed(act_digit_signed),
          .wgt_digit_signed(wgt_digit_signed),
          .product_shift   (product_shift),
          .wgt             (wgt[i][j]),
          .act_per_unit    (act_per_unit),
          .act_unit        (act_unit[i][j]),
          .act_valid_in    (valid_chain[i][j]),
          .act_in          (act_chain[i][j]),
          .act_valid_out   (valid_chain[i][j+1]),
          .act_out         (act_chain[i][j+1]),
          .psum_valid_in   (psum_valid_chain[i][j]),
          .psum_in         (psum_chain[i][j]),
          .psum_valid_out  (psum_valid_chain[i+1][j]),
          .psum_out        (psum_chain[i+1][j])
      );
    end
  end

  for (genvar j = 0; j < M; j++) begin : g_col_io
    assign psum_chain[0][j]       = '0;
    assign psum_valid_chain[0][j] = 1'b0;
    assign psum[j]                = psum_chain[N][j];
    assign psum_valid[j]          = psum_valid_chain[N][j];
  end
endmodule
