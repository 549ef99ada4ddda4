#include "sim/common/host_config.h"

namespace haqsim {

HostConfig parse_host_config(const std::optional<YamlInput>& section) {
  HostConfig h;
  if (!section) return h;
  const YamlInput& in = *section;
  // ASSUMPTION (default 16): a 128-bit SIMD unit of 8-bit lanes, one operation per lane per
  // array cycle (a Cortex-A9 NEON unit beside BISMO's Zynq fabric is of this order).
  h.ops_per_cycle = in.number_or("ops_per_cycle", h.ops_per_cycle, 0, 1e9, /*min_exclusive=*/true);
  // Default 8: the integer path keeps tensors between layers at up to 8 bits.
  h.element_bits = int(in.integer_or("element_bits", h.element_bits, 1, 32));
  // Default true: the array's outputs are in DRAM, so a host layer reads its inputs from there
  // and writes its output back for the next layer (its DRAM round trip).
  h.dram_round_trip = in.boolean_or("dram_round_trip", h.dram_round_trip);
  // ASSUMPTION (default 100): cycles to start a host layer and hand its result to the array.
  h.launch_cycles = in.integer_or("launch_cycles", h.launch_cycles, 0, int64_t(1) << 40);
  // ASSUMPTION (default 0.5 pJ): one 8-bit SIMD lane operation including its register traffic.
  h.pj_per_op = in.number_or("pj_per_op", h.pj_per_op, 0, 1e9);
  in.reject_unknown_keys();
  return h;
}

}  // namespace haqsim
