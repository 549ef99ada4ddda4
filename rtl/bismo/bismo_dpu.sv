// BISMO dot-product unit (DPU): one binary dot product per cycle, accumulated with a shift.
//
//   acc <= (clear ? 0 : acc) + (negate ? -1 : 1) * (popcount(lhs & rhs) << shift)
//
// Why explicit shift, not Horner: BISMO v2 shifts the accumulator left by one between
// bit-significance diagonals (Horner's scheme), which forces the host to walk bit planes in
// diagonal order. With an explicit shift amount every (lhs plane i, rhs plane j) pair is an
// independent instruction with shift = i + j, negate = "exactly one of i, j is the sign plane of a
// signed operand", so the host may issue plane pairs in any order (and skip all-zero planes).
// The cost is a barrel shifter on a PC_WIDTH-bit value instead of a 1-bit shift of the accumulator.
//
// Pipeline: PIPELINE_DEPTH = 3 register stages, no stalls, one beat accepted per cycle.
//   stage 1  popcount(lhs & rhs) -> pc_q           (with valid, shift, negate, clear)
//   stage 2  +/-(pc_q << shift)  -> contrib_q      (with valid, clear)
//   stage 3  acc + contrib_q     -> acc            (acc unchanged when the beat is not valid)
// A beat sampled at rising edge e is part of `acc` from rising edge e+2 on, i.e. it becomes
// visible three clock edges after it is presented (the edge that samples it included).
// Control (valid/shift/negate/clear) travels with the data, so back-to-back beats with different
// shifts, and a clear in the middle of a stream, need no bubbles.
//
// Arithmetic is two's complement modulo 2^ACC_WIDTH: an accumulator that overflows wraps, as the
// 32-bit accumulators of the real design do; the host sizes tiles so that it does not.
//
// rst is synchronous and active high; it clears the accumulator and the in-flight beats.
module bismo_dpu #(
    parameter int DK        = 256,  // bits per dot product (the array's Dk)
    parameter int ACC_WIDTH = 32
) (
    input  logic                         clk,
    input  logic                         rst,
    input  logic                         in_valid,  // beat present; others ignored when low
    input  logic [               DK-1:0] lhs,
    input  logic [               DK-1:0] rhs,
    input  logic [$clog2(ACC_WIDTH)-1:0] shift,     // bit significance of this plane pair
    input  logic                         negate,    // subtract instead of add
    input  logic                         clear,     // start a new sum with this beat
    output logic [        ACC_WIDTH-1:0] acc
);
  localparam int PcWidth = $clog2(DK + 1);
  localparam int ShiftWidth = $clog2(ACC_WIDTH);

  // Stage 1: AND and popcount.
  logic [PcWidth-1:0] pc_d, pc_q;
  logic valid_1, negate_1, clear_1;
  logic [ShiftWidth-1:0] shift_1;

  popcount #(
      .WIDTH(DK)
  ) u_popcount (
      .bits (lhs & rhs),
      .count(pc_d)
  );

  always_ff @(posedge clk) begin
    if (rst) valid_1 <= 1'b0;
    else valid_1 <= in_valid;
    pc_q     <= pc_d;
    shift_1  <= shift;
    negate_1 <= negate;
    clear_1  <= clear;
  end

  // Stage 2: weight by bit significance and sign.
  logic [ACC_WIDTH-1:0] magnitude, contrib_d, contrib_q;
  logic valid_2, clear_2;

  always_comb begin
    magnitude = ACC_WIDTH'(pc_q) << shift_1;
    contrib_d = negate_1 ? -magnitude : magnitude;
  end

  always_ff @(posedge clk) begin
    if (rst) valid_2 <= 1'b0;
    else valid_2 <= valid_1;
    contrib_q <= contrib_d;
    clear_2   <= clear_1;
  end

  // Stage 3: accumulate.
  always_ff @(posedge clk) begin
    if (rst) acc <= '0;
    else if (valid_2) acc <= (clear_2 ? '0 : acc) + contrib_q;
  end
endmodule
