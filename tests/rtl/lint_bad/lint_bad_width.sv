// Deliberately NOT lint clean (a width mismatch): test rtl_lint_detects_warnings runs the lint
// script on this directory and expects it to fail with %Warning-WIDTH. Not part of the RTL.
module lint_bad_width (
    input  logic [7:0] wide,
    output logic [3:0] narrow
);
  assign narrow = wide;
endmodule
