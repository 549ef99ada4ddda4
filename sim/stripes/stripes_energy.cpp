#include "sim/stripes/stripes_energy.h"

#include "sim/common/energy_accounting.h"

namespace haqsim::stripes {

StripesActivity plan_activity(const Plan& plan, const StripesConfig& c, LayerBits bits) {
  StripesActivity a;
  const int64_t sips_per_tile = int64_t(c.filters_per_tile) * c.windows;
  // Lane-diagonal bricks hold one real weight per filter; the zeros are not stored.
  const int64_t weights_per_brick = plan.mapping == Mapping::kLaneDiagonal ? 1 : c.lanes;
  for (const Pass& p : plan.passes) {
    a.sip_cycles += p.stream_cycles * p.tiles * sips_per_tile;
    a.sb_read_bits += plan.bricks * p.filters * weights_per_brick * bits.wbits;
    a.nm_read_bits += plan.bricks * p.windows * c.lanes * bits.abits;
    a.outputs += p.filters * p.windows;
    a.weight_load_bits += p.weight_bits;
    a.input_load_bits += p.input_bits;
    a.output_write_bits += p.output_bits;
  }
  return a;
}

void account_energy(const ArchConfig& config, const StripesActivity& a, LayerStats& s) {
  const StripesConfig& c = stripes_config(config);
  s.buffers.clear();
  s.energy = {};
  add_buffer_energy(s, "sb", a.sb_read_bits, a.weight_load_bits, c.sb_read_pj_per_bit,
                    c.sb_write_pj_per_bit);
  add_buffer_energy(s, "nm", a.nm_read_bits, a.input_load_bits, c.nm_read_pj_per_bit,
                    c.nm_write_pj_per_bit);
  add_buffer_energy(s, "nbout", a.outputs * 32, a.outputs * 32, c.nbout_pj_per_bit,
                    c.nbout_pj_per_bit);
  s.energy.compute_pj = double(a.sip_cycles) * c.sip_pj_per_cycle;
  add_dram_and_static_energy(config, a.weight_load_bits + a.input_load_bits + a.output_write_bits,
                             a.cycles, s);
}

}  // namespace haqsim::stripes
