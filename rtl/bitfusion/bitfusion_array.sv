// BitFusion systolic array: N rows (input channels) x M columns (output channels) of Fusion
// Units (bitfusion_pe), weight stationary.
//
// Dataflow.
//   - Weights: each cell holds one 32-bit word of packed weights (format: bitfusion_fusion_unit).
//     A weight load writes a whole row: when w_load is high, cell (w_load_row, j) takes
//     w_load_data[j] at the rising edge, for every column j. Loading all weights takes N cycles.
//   - Activations: row i enters at the left edge through act[i]/act_valid[i] and moves one column
//     to the right per cycle (one register per cell), so column j sees it j cycles after column 0.
//   - Partial sums: start at 0 above row 0 and move one row down per cycle (one register per
//     cell); each cell adds its Fusion Unit's sum when its activation is valid. The column sum
//     leaves the bottom at psum[j]; psum_valid[j] says that at least one row of that vector was
//     valid.
//
// Timing contract (cycle c = the clock period ending at rising edge c; inputs presented in cycle
// c are sampled at edge c; a register written at edge c is visible in cycle c + 1):
//   To compute one vector, present its row-i word in cycle t + i (the input skew: row i lags
//   row 0 by i cycles). Cell (i, j) registers it at edge t + i + j and adds its product to the
//   partial sum at edge t + i + j + 1. The sum over all N rows for column j is on psum[j], with
//   psum_valid[j] high, in cycle t + N + 1 + j (written at edge t + N + j): the fill latency
//   N + 1 plus one cycle of output skew per column. Vectors may be issued every cycle; a stream
//   of V vectors starting with row 0 in cycle t has its last sum at the bottom of column M-1 in
//   cycle t + (V - 1) + N + M.
//   A row whose act_valid is low contributes 0 to the sums passing through it, so a vector with
//   fewer than N channels can leave rows invalid (or feed zeros).
//   Weight loads: cell (i, j) multiplies an activation with the weights present when the
//   activation entered the cell, so a load of row i at edge e applies to row-i activations
//   presented in cycles c >= e - j. Loading row i once the last activation of the previous pass
//   has left the row (M cycles after it entered) is always safe.
//   Precision: abits/a_signed/wbits/w_signed (see bitfusion_fusion_mode: 1..8 bits, rounded up to
//   2, 4 or 8) apply to activations and weight loads presented in the same cycle. Operands are
//   routed into BitBrick order as they enter (bitfusion_operand_route), so weights are stored
//   for the precision set when they were loaded: set the precision before loading a layer's
//   weights, and hold it while that layer's data is in flight.
//
// The word-array ports (act, w_load_data, psum) are unpacked arrays of 32-bit words: each word is
// its own variable, so a router reading one activation word never has to pick bits out of an
// N*32-bit vector (in hardware they are the same wires). rst is synchronous: it clears weights,
// valid bits and partial sums.
module bitfusion_array #(
    parameter int N          = 16,  // rows: input channels
    parameter int M          = 32,  // columns: output channels
    parameter int PSUM_WIDTH = 32
) (
    input  logic                             clk,
    input  logic                             rst,
    input  logic [3:0]                       abits,
    input  logic                             a_signed,
    input  logic [3:0]                       wbits,
    input  logic                             w_signed,
    input  logic                             w_load,
    input  logic [$clog2(N > 1 ? N : 2)-1:0] w_load_row,
    input  logic [31:0]                      w_load_data[M],
    input  logic [N-1:0]                     act_valid,
    input  logic [31:0]                      act[N],
    output logic [PSUM_WIDTH-1:0]            psum[M],
    output logic [M-1:0]                     psum_valid
);
  // Fusion mode. The digit selections route operands as they enter (activations at each row's
  // left edge, weights at each column's load port), so they act in the cycle the precision is
  // presented; the signedness and shifts the Fusion Units use one cycle later, on the registered
  // operands, are registered alongside them.
  logic [15:0][3:0] act_digit, wgt_digit, product_shift_d, product_shift;
  logic [15:0] act_digit_signed_d, wgt_digit_signed_d, act_digit_signed, wgt_digit_signed;
  bitfusion_fusion_mode u_mode (
      .abits           (abits),
      .a_signed        (a_signed),
      .wbits           (wbits),
      .w_signed        (w_signed),
      .act_digit       (act_digit),
      .wgt_digit       (wgt_digit),
      .act_digit_signed(act_digit_signed_d),
      .wgt_digit_signed(wgt_digit_signed_d),
      .product_shift   (product_shift_d)
  );
  always_ff @(posedge clk) begin
    act_digit_signed <= act_digit_signed_d;
    wgt_digit_signed <= wgt_digit_signed_d;
    product_shift    <= product_shift_d;
  end

  // Weight-load routers, one per column.
  logic [31:0] w_load_routed[M];
  for (genvar j = 0; j < M; j++) begin : g_w_route
    bitfusion_operand_route u_route (
        .packed_word(w_load_data[j]),
        .digit      (wgt_digit),
        .routed     (w_load_routed[j])
    );
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
    bitfusion_operand_route u_act_route (
        .packed_word(act[i]),
        .digit      (act_digit),
        .routed     (act_chain[i][0])
    );
    assign valid_chain[i][0] = act_valid[i];
    for (genvar j = 0; j < M; j++) begin : g_col
      bitfusion_pe #(
          .PSUM_WIDTH(PSUM_WIDTH)
      ) u_pe (
          .clk             (clk),
          .rst             (rst),
          .act_digit_signed(act_digit_signed),
          .wgt_digit_signed(wgt_digit_signed),
          .product_shift   (product_shift),
          .w_load          (w_load && (32'(w_load_row) == i)),
          .w_load_data     (w_load_routed[j]),
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
