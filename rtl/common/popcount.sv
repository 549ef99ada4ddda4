// Population count: the number of set bits in a WIDTH-bit vector. Combinational.
//
// Written with $countones (IEEE 1800-2017, 20.9), which synthesis tools accept and build as an
// adder tree, and which Verilator compiles to word-wide popcounts. A hand-written generate tree
// of WIDTH-1 adders describes the same hardware, but Verilator then evaluates every adder of
// every tree on every cycle; for the 8x256x8 BISMO array that is 64 x 255 additions per
// simulated cycle instead of 64 x 4 word popcounts. Keeping the choice in this one module lets a
// synthesis flow that lacks $countones substitute a tree without touching the DPU.
module popcount #(
    parameter int WIDTH = 256
) (
    input  logic [        WIDTH-1:0] bits,
    output logic [$clog2(WIDTH+1)-1:0] count
);
  assign count = $clog2(WIDTH + 1)'($countones(bits));
endmodule
