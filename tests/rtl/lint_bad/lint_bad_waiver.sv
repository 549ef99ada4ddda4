// Deliberately breaks the waiver rule (a lint_off with no "Why:" line after it): test
// rtl_lint_detects_warnings expects the lint script to reject it. Otherwise lint clean, so the
// rejection can only come from the waiver rule. Not part of the RTL.
module lint_bad_waiver (
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [7:0] wide,
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [3:0] narrow
);
  assign narrow = wide[3:0];
endmodule
