// BISMO dot-product unit (DPU): the datapath of one binary dot product per cycle, accumulated
// with a shift.
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
// Pipeline: 3 register stages, no stalls, one beat accepted per cycle.
//   stage 1  popcount(lhs & rhs) -> pc_q           (the beat's operands, cycle t)
//   stage 2  +/-(pc_q << shift)  -> contrib_q      (shift_1, negate_1: the beat's control, t + 1)
//   stage 3  acc + contrib_q     -> acc            (valid_2, clear_2: the beat's control, t + 2)
// A beat sampled at rising edge e is part of `acc` from rising edge e+2 on, i.e. it becomes
// visible three clock edges after it is presented (the edge that samples it included).
//
// The control bits arrive already delayed to the stage that uses them: every DPU of an array
// works on the same beat in the same cycle, so one control pipeline in bismo_dpu_array feeds
// them all (as a synthesis tool would merge 64 identical copies anyway). Control travelling with
// the data means back-to-back beats with different shifts, and a clear in the middle of a stream,
// need no bubbles. pc_q loads only on a valid beat (operand isolation: an idle array's
// popcounts do not toggle; in simulation, idle cycles skip them).
//
// Arithmetic is two's complement modulo 2^ACC_WIDTH: an accumulator that overflows wraps, as the
// 32-bit accumulators of the real design do; the host sizes tiles so that it does not.
//
// rst is synchronous and active high; it clears the accumulator (the array's control pipeline
// clears the in-flight beats' valid bits).
module bismo_dpu #(
    parameter int DK        = 256,  // bits per dot product (the array's Dk)
    parameter int ACC_WIDTH = 32
) (
    input  logic                         clk,
    input  logic                         rst,
    input  logic                         in_valid,  // stage 1: beat present
    input  logic [               DK-1:0] lhs,       // stage 1 operands
    input  logic [               DK-1:0] rhs,
    input  logic [$clog2(ACC_WIDTH)-1:0] shift_1,   // stage 2: bit significance of the pair
    input  logic                         negate_1,  // stage 2: subtract instead of add
    input  logic                         valid_2,   // stage 3: the beat is real
    input  logic                         clear_2,   // stage 3: start a new sum with this beat
    output logic [        ACC_WIDTH-1:0] acc
);
  localparam int PcWidth = $clog2(DK + 1);

  // Stage 1: AND and popcount.
  logic [PcWidth-1:0] pc_d, pc_q;

  popcount #(
      .WIDTH(DK)
  ) u_popcount (
      .bits (lhs & rhs),
      .count(pc_d)
  );

  always_ff @(posedge clk) begin
    if (in_valid) pc_q <= pc_d;
  end

  // Stage 2: weight by bit significance and sign.
  logic [ACC_WIDTH-1:0] magnitude, contrib_d, contrib_q;

  always_comb begin
    magnitude = ACC_WIDTH'(pc_q) << shift_1;
    contrib_d = negate_1 ? -magnitude : magnitude;
  end

  always_ff @(posedge clk) contrib_q <= contrib_d;

  // Stage 3: accumulate.
  always_ff @(posedge clk) begin
    if (rst) acc <= '0;
    else if (valid_2) acc <= (clear_2 ? '0 : acc) + contrib_q;
  end
endmodule
