// Cuts a window out of a VCD file. SystemC's VCD writer records from the start of simulation to
// its end; a window [begin, end) of one layer is made afterwards: the header as it is, the value
// of every variable at `begin` (a $dumpvars block at #begin), then the changes with
// begin < time < end. Times are in the file's own units.
#pragma once

#include <cstdint>
#include <string>

namespace haqsim {

// Reads `in`, writes the window to `out` (atomically). end < 0: to the end of the file.
// Throws std::runtime_error on a file that is not VCD.
void write_vcd_window(const std::string& in, const std::string& out, int64_t begin, int64_t end);

}  // namespace haqsim
