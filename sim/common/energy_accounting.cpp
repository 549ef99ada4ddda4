#include "sim/common/energy_accounting.h"

namespace haqsim {

void add_buffer_energy(LayerStats& stats, const std::string& buffer, int64_t read_bits,
                       int64_t write_bits, double read_pj_per_bit, double write_pj_per_bit) {
  stats.buffers.push_back({buffer, read_bits, write_bits});
  const double pj = double(read_bits) * read_pj_per_bit + double(write_bits) * write_pj_per_bit;
  stats.energy.buffer_detail_pj.emplace_back(buffer, pj);
  stats.energy.buffer_pj += pj;
}

void add_dram_and_static_energy(const ArchConfig& config, int64_t dram_bits, int64_t cycles,
                                LayerStats& stats) {
  stats.energy.dram_pj = double(dram_bits) * config.dram.energy_pj_per_bit;
  // static mW x ms = uJ = 1e6 pJ
  stats.energy.static_pj = config.static_power_mw * config.cycles_to_ms(double(cycles)) * 1e6;
}

}  // namespace haqsim
