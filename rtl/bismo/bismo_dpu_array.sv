// BISMO dot-product array: DM x DN dot-product units (bismo_dpu), the execute stage's datapath.
//
// LHS row i (DK bits) is broadcast to every DPU of array row i, RHS column j to every DPU of array
// column j, and the control beat (valid, shift, negate, clear), staged once here, to all DPUs.
// This is a broadcast array, not a systolic one: every DPU works on the same beat in the same
// cycle, so there is no skew and all DM x DN accumulators update together.
//
// Ports:
//   lhs[i]     LHS bit vector of row i; packed, so bits [i*DK +: DK] of one flat vector
//   rhs[j]     RHS bit vector of column j; packed, bits [j*DK +: DK]
//   acc[i][j]  accumulator of DPU (i, j), two's complement; an unpacked array, so that each
//              accumulator is a variable of its own in simulation (as one packed DM*DN*32-bit
//              vector, Verilator would reassemble the whole vector from its pieces every cycle)
//   shift, negate, clear, in_valid: one control beat, see bismo_dpu.
//
// Timing contract. PIPELINE_DEPTH = 3 (the DPU's register stages; the C++ harness reads this
// localparam from the verilated model, and test_bismo_array checks it against the observed
// latency). A beat presented in cycle t (sampled by rising edge t) is included in `acc` from
// edge t + PIPELINE_DEPTH - 1 on, and acc_valid is high for exactly the cycle after that edge.
// A stream of T beats issued back to back in cycles t..t+T-1 is therefore complete after edge
// t + T - 1 + PIPELINE_DEPTH - 1: T + PIPELINE_DEPTH - 1 clock edges from its first beat.
module bismo_dpu_array #(
    parameter int DM        = 8,    // rows: LHS vectors per beat
    parameter int DK        = 256,  // bits per dot product
    parameter int DN        = 8,    // columns: RHS vectors per beat
    parameter int ACC_WIDTH = 32
) (
    input  logic                         clk,
    input  logic                         rst,
    input  logic                         in_valid,
    input  logic [DM-1:0][DK-1:0]        lhs,
    input  logic [DN-1:0][DK-1:0]        rhs,
    input  logic [$clog2(ACC_WIDTH)-1:0] shift,
    input  logic                         negate,
    input  logic                         clear,
    output logic [ACC_WIDTH-1:0]         acc      [DM][DN],
    output logic                         acc_valid  // a beat landed in acc at the last edge
);
  // Must equal bismo_dpu's register stages (see its header). Public so that the C++ harness
  // reports the RTL's own number rather than a copy.
  localparam int PIPELINE_DEPTH /*verilator public*/ = 3;

  // The control pipeline all DPUs share (bismo_dpu takes each bit at the stage that uses it).
  logic [$clog2(ACC_WIDTH)-1:0] shift_1;
  logic negate_1, clear_1, clear_2;
  logic [PIPELINE_DEPTH-1:0] valid_pipe;  // valid_pipe[k]: the beat of k + 1 edges ago
  always_ff @(posedge clk) begin
    if (rst) valid_pipe <= '0;
    else valid_pipe <= {valid_pipe[PIPELINE_DEPTH-2:0], in_valid};
    shift_1  <= shift;
    negate_1 <= negate;
    clear_1  <= clear;
    clear_2  <= clear_1;
  end

  for (genvar i = 0; i < DM; i++) begin : g_row
    for (genvar j = 0; j < DN; j++) begin : g_col
      bismo_dpu #(
          .DK       (DK),
          .ACC_WIDTH(ACC_WIDTH)
      ) u_dpu (
          .clk     (clk),
          .rst     (rst),
          .in_valid(in_valid),
          .lhs     (lhs[i]),
          .rhs     (rhs[j]),
          .shift_1 (shift_1),
          .negate_1(negate_1),
          .valid_2 (valid_pipe[1]),
          .clear_2 (clear_2),
          .acc     (acc[i][j])
      );
    end
  end

  // acc_valid: the beat's valid bit at the end of the pipeline, the cycle after it landed.
  assign acc_valid = valid_pipe[PIPELINE_DEPTH-1];
endmodule
