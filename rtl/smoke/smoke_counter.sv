// Smallest useful verilated module: a free-running counter with synchronous clear and enable.
// It exists to keep the Verilator wiring of the build honest (a C++ model and a SystemC model
// are built from it and tested), independently of the accelerator RTL.
module smoke_counter #(
    parameter int WIDTH = 8
) (
    input  logic             clk,
    input  logic             rst,
    input  logic             enable,
    output logic [WIDTH-1:0] count
);
  always_ff @(posedge clk) begin
    if (rst) count <= '0;
    else if (enable) count <= count + 1'b1;
  end
endmodule
