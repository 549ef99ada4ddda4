// Stripes Serial Inner-Product unit (SIP; Judd et al., MICRO 2016): an L-lane inner product of
// bit-parallel weights and bit-serial activations, one activation bit per lane per cycle.
//
//   tree = sum over lanes l of (act_bits[l] ? weight_q[l] : 0)            (signed)
//   term = negate ? -(tree << shift) : (tree << shift)
//   acc <= (clear ? 0 : acc) + term                                        (ACC_BITS, wraps)
//
// An activation of p bits takes p beats, sent LSB first with shift = bit position and, for a
// signed activation, negate on its sign bit (two's complement weighs the top bit -2^(p-1)). The
// precision is therefore the host's choice per beat: the SIP has no notion of it, which is the
// point of Stripes (execution time scales with the activation precision, the datapath does not).
//
// Why an explicit shift rather than shifting the accumulator by one between bits (Horner's
// scheme): with the bit position carried in the beat, beats are independent, so a host can
// interleave bricks, skip all-zero bit planes, or stagger columns without the SIP having to know
// the order. The cost is a barrel shifter on the tree output instead of a 1-bit shift.
//
// Weights. weight_q[l] is loaded from `weights` at the rising edge of a cycle with load_weights
// set; the beat of that same cycle still multiplies by the old registers (they change at the
// edge). This lets the host load the next brick's weights during the last bit of the current one
// and stream without a bubble.
//
// Pipeline: PIPELINE_DEPTH = 2 register stages, one beat per cycle, no stalls.
//   stage 1  adder tree -> tree_q          (with valid, clear, shift, negate)
//   stage 2  acc <= (clear ? 0 : acc) +/- (tree_q << shift)
// A beat sampled at rising edge e is part of `acc` from edge e+1 on: two steps counting the one
// that presents it. The tree is registered rather than shifted and accumulated in the same
// cycle because the L-input signed adder tree and the barrel shift plus 32-bit add are each a
// long path of their own; the register splits them so neither sets the tile's clock alone.
//
// rst is synchronous and active high: it zeroes the accumulator and the weight registers and
// drops the beat in flight.
module stripes_sip #(
    parameter int L        = 16,  // lanes: weight/activation pairs per inner product
    parameter int WB       = 16,  // weight bits (two's complement)
    parameter int ACC_BITS = 32
) (
    input  logic                        clk,
    input  logic                        rst,
    input  logic [               L-1:0] act_bits,          // this beat's bit of each lane
    input  logic [              WB-1:0] weights      [L],  // the row's weight bus
    input  logic                        load_weights,      // weight_q <= weights at this edge
    input  logic                        valid,             // a beat is present this cycle
    input  logic                        clear,             // start a new sum with this beat
    input  logic [$clog2(ACC_BITS)-1:0] shift,             // bit position of this beat
    input  logic                        negate,            // subtract this beat (sign bit)
    output logic [        ACC_BITS-1:0] acc
);
  // A sum of L signed WB-bit values needs $clog2(L) bits of headroom (L * -2^(WB-1) is the
  // extreme, which fits exactly when L is a power of two).
  localparam int TreeBits = WB + $clog2(L);
  localparam int ShiftBits = $clog2(ACC_BITS);

  // One assignment of the whole array rather than a per-lane loop: same registers, but Verilator
  // turns per-element non-blocking writes in a loop into per-element commit flags, which made
  // the 16x16x16 tile several times slower to simulate.
  logic signed [WB-1:0] weight_q[L];
  always_ff @(posedge clk) begin
    if (rst) weight_q <= '{default: '0};
    else if (load_weights) weight_q <= weights;
  end

  // Stage 1: the adder tree. A 1-bit activation selects the weight or 0, so each lane is an AND,
  // not a multiplier. Written as a chain; synthesis balances it into a tree.
  function automatic logic signed [TreeBits-1:0] tree_of(input logic [L-1:0] bits,
                                                         input logic signed [WB-1:0] w[L]);
    logic signed [TreeBits-1:0] sum;
    sum = '0;
    for (int l = 0; l < L; l++) sum += TreeBits'(w[l]) & {TreeBits{bits[l]}};
    return sum;
  endfunction

  // The tree feeds only tree_q, so it is computed in the register's process rather than in an
  // always_comb: the same logic, but the verilated model then evaluates it once per clock edge
  // instead of in every eval() call and again after every edge (about 3x the simulation time).
  logic signed [TreeBits-1:0] tree_q;
  logic valid_q, clear_q, negate_q;
  logic [ShiftBits-1:0] shift_q;
  always_ff @(posedge clk) begin
    if (rst) valid_q <= 1'b0;
    else valid_q <= valid;
    // Payload registers only load with a beat: idle cycles do not toggle them.
    if (valid) begin
      tree_q   <= tree_of(act_bits, weight_q);
      clear_q  <= clear;
      shift_q  <= shift;
      negate_q <= negate;
    end
  end

  // Stage 2: weight by bit position and sign, accumulate. Sign-extending the tree to ACC_BITS
  // before the shift makes -(tree << shift) and the wraparound plain ACC_BITS arithmetic.
  logic signed [ACC_BITS-1:0] magnitude, term;
  always_comb begin
    magnitude = ACC_BITS'(tree_q) << shift_q;
    term = negate_q ? -magnitude : magnitude;
  end

  always_ff @(posedge clk) begin
    if (rst) acc <= '0;
    else if (valid_q) acc <= (clear_q ? '0 : acc) + term;
  end
endmodule
