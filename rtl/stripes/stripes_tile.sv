// Stripes tile (Judd et al., MICRO 2016): F filter rows x W window columns of Serial
// Inner-Product units (stripes_sip), each L lanes wide. The paper's tile is 16 x 16 x 16: 16
// filters applied to 16 windows at once, 16 activation/weight pairs (one brick) per SIP.
//
// Sharing, which is where Stripes saves its bandwidth:
//   - act_bits[w] (one bit of each of L activations of window w) goes to every SIP of column w;
//   - weights[f] (L bit-parallel weights of filter f) goes to every SIP of row f, and each SIP
//     copies it into its own weight registers in a cycle where its column's load_weights is set.
//   - The control beat (valid, clear, shift, negate, load_weights) is per column, so columns can
//     be at different bit positions and even different bricks in the same cycle: a fully
//     connected layer, whose columns do not share a window, staggers them this way. The row
//     weight bus is still shared, so the host loads a row's weights into the columns that need
//     them in the cycles it drives them.
// A broadcast grid, not systolic: no skew between rows or columns.
//
// Ports:
//   act_bits[w]         L bits, lane l at bit l: this beat's bit of column w's activations
//   weights[f][l]       weight of lane l on row f's bus, two's complement WB bits
//   valid, clear, negate, load_weights
//                       per column, bit w for column w (packed: one flag each)
//   shift[w]            bit position of column w's beat
//   acc[f][w]           accumulator of SIP (f, w), two's complement ACC_BITS bits
//   acc_valid           a beat of some column landed in acc at the last edge
// The word-array ports (act_bits, weights, shift, acc) are unpacked so that each word is a
// variable of its own in simulation: a SIP reading its row's weights never has to pick bits out
// of an F*L*WB-bit vector (in hardware they are the same wires).
//
// Timing contract. PIPELINE_DEPTH = 2 (stripes_sip's register stages; the C++ harness reads this
// localparam from the verilated model, and test_stripes_tile checks it against the observed
// latency). A beat presented in cycle t (sampled by rising edge t) is included in `acc` from
// edge t + PIPELINE_DEPTH - 1 on, and acc_valid is high in the cycle after that edge. A stream of
// T beats issued back to back in cycles t..t+T-1 is therefore complete T + PIPELINE_DEPTH - 1
// clock edges after its first beat. Weights loaded at edge t are used by beats from cycle t + 1.
//
// rst is synchronous and active high; it zeroes accumulators and weight registers and drops the
// beats in flight.
module stripes_tile #(
    parameter int F /*verilator public*/ = 16,  // filter rows
    parameter int W /*verilator public*/ = 16,  // window columns
    parameter int L /*verilator public*/ = 16,  // lanes per SIP (brick size)
    parameter int WB /*verilator public*/ = 16,  // weight bits
    parameter int ACC_BITS /*verilator public*/ = 32
) (
    input  logic                        clk,
    input  logic                        rst,
    input  logic [               L-1:0] act_bits    [W],
    input  logic [              WB-1:0] weights     [F][L],
    input  logic [               W-1:0] valid,
    input  logic [               W-1:0] clear,
    input  logic [$clog2(ACC_BITS)-1:0] shift       [W],
    input  logic [               W-1:0] negate,
    input  logic [               W-1:0] load_weights,
    output logic [        ACC_BITS-1:0] acc         [F][W],
    output logic                        acc_valid
);
  // Must equal stripes_sip's register stages (see its header). Public so that the C++ harness
  // reports the RTL's own number rather than a copy.
  localparam int PIPELINE_DEPTH /*verilator public*/ = 2;

  for (genvar f = 0; f < F; f++) begin : g_row
    for (genvar w = 0; w < W; w++) begin : g_col
      stripes_sip #(
          .L       (L),
          .WB      (WB),
          .ACC_BITS(ACC_BITS)
      ) u_sip (
          .clk         (clk),
          .rst         (rst),
          .act_bits    (act_bits[w]),
          .weights     (weights[f]),
          .load_weights(load_weights[w]),
          .valid       (valid[w]),
          .clear       (clear[w]),
          .shift       (shift[w]),
          .negate      (negate[w]),
          .acc         (acc[f][w])
      );
    end
  end

  // acc_valid is "any column valid", delayed like the SIP datapath. Every SIP carries its own
  // valid bit internally; this one exists so that the tile has a single observable flag.
  logic [PIPELINE_DEPTH-1:0] valid_pipe;
  always_ff @(posedge clk) begin
    if (rst) valid_pipe <= '0;
    else valid_pipe <= {valid_pipe[PIPELINE_DEPTH-2:0], |valid};
  end
  assign acc_valid = valid_pipe[PIPELINE_DEPTH-1];
endmodule
