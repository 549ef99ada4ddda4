#include "sim/bismo/bismo_energy.h"

#include "sim/bismo/bismo_config.h"
#include "sim/common/energy_accounting.h"

namespace haqsim::bismo {

void account_energy(const ArchConfig& config, const BismoActivity& a, LayerStats& s) {
  const BismoConfig& b = bismo_config(config);
  s.buffers.clear();
  s.energy = {};
  // Every streamed cycle reads one word from each of the Dm LHS and Dn RHS banks; fetch writes
  // what it reads from DRAM; the result buffer takes and gives back every accumulator.
  const double read = b.buffer_read_pj_per_bit, write = b.buffer_write_pj_per_bit;
  add_buffer_energy(s, "lhs", a.streamed_words * b.dm * b.dk, a.lhs_fetch_bytes * 8, read, write);
  add_buffer_energy(s, "rhs", a.streamed_words * b.dn * b.dk, a.rhs_fetch_bytes * 8, read, write);
  add_buffer_energy(s, "result", a.result_bytes * 8, a.result_bytes * 8, read, write);
  // The whole array toggles on every streamed cycle, whatever share of it holds real operands.
  s.energy.compute_pj = double(a.streamed_words) * b.dm * b.dn * b.dk * b.dpu_pj_per_binary_op;
  add_dram_and_static_energy(config, (a.lhs_fetch_bytes + a.rhs_fetch_bytes + a.result_bytes) * 8,
                             a.cycles, s);
}

}  // namespace haqsim::bismo
