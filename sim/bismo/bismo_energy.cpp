#include "sim/bismo/bismo_energy.h"

namespace haqsim::bismo {

void account_energy(const ArchConfig& config, const BismoActivity& a, LayerStats& s) {
  const BismoConfig& b = *config.bismo;
  // Every streamed cycle reads one word from each of the Dm LHS and Dn RHS banks; fetch writes
  // what it reads from DRAM; the result buffer takes and gives back every accumulator.
  s.buffers = {
      {"lhs", a.streamed_words * b.dm * b.dk, a.lhs_fetch_bytes * 8},
      {"rhs", a.streamed_words * b.dn * b.dk, a.rhs_fetch_bytes * 8},
      {"result", a.result_bytes * 8, a.result_bytes * 8},
  };
  s.energy = {};
  // The whole array toggles on every streamed cycle, whatever share of it holds real operands.
  s.energy.compute_pj = double(a.streamed_words) * b.dm * b.dn * b.dk * b.dpu_pj_per_binary_op;
  for (const BufferTraffic& t : s.buffers) {
    const double pj =
        t.read_bits * b.buffer_read_pj_per_bit + t.write_bits * b.buffer_write_pj_per_bit;
    s.energy.buffer_detail_pj.emplace_back(t.name, pj);
    s.energy.buffer_pj += pj;
  }
  s.energy.dram_pj = double(a.lhs_fetch_bytes + a.rhs_fetch_bytes + a.result_bytes) * 8 *
                     config.dram.energy_pj_per_bit;
  // static mW x ms = uJ = 1e6 pJ
  s.energy.static_pj = config.static_power_mw * config.cycles_to_ms(double(a.cycles)) * 1e6;
}

}  // namespace haqsim::bismo
