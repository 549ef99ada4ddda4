#include "sim/bitfusion/bitfusion_energy.h"

#include <algorithm>

#include "sim/bitfusion/tiler.h"

namespace haqsim::bitfusion {

void account_energy(const ArchConfig& config, const BitFusionActivity& a, LayerStats& s) {
  const BitFusionConfig& f = *config.bitfusion;
  const int64_t wslot = bitfusion_slot_bits(a.bits.wbits);
  const int64_t aslot = bitfusion_slot_bits(a.bits.abits);
  const int64_t psum = a.vectors * f.cols * f.accumulator_bits;
  s.buffers = {
      {"wbuf", a.macs * wslot, a.weight_load_bits},
      {"ibuf", a.macs * aslot / std::max<int64_t>(1, a.activation_sharing), a.input_load_bits},
      {"obuf", psum + a.output_write_bits, psum + a.partial_read_bits},
  };
  const double pj[3][2] = {{f.wbuf_read_pj_per_bit, f.wbuf_write_pj_per_bit},
                           {f.ibuf_read_pj_per_bit, f.ibuf_write_pj_per_bit},
                           {f.obuf_read_pj_per_bit, f.obuf_write_pj_per_bit}};
  s.energy = {};
  for (int i = 0; i < 3; ++i) {
    const double e =
        double(s.buffers[i].read_bits) * pj[i][0] + double(s.buffers[i].write_bits) * pj[i][1];
    s.energy.buffer_detail_pj.emplace_back(s.buffers[i].name, e);
    s.energy.buffer_pj += e;
  }
  s.energy.compute_pj = double(a.vectors) * f.core_pj_per_cycle * (f.rows * f.cols / 512.0);
  const int64_t dram_bits =
      a.weight_load_bits + a.input_load_bits + a.partial_read_bits + a.output_write_bits;
  s.energy.dram_pj = double(dram_bits) * config.dram.energy_pj_per_bit;
  // static mW x ms = uJ = 1e6 pJ
  s.energy.static_pj = config.static_power_mw * config.cycles_to_ms(double(a.cycles)) * 1e6;
}

}  // namespace haqsim::bitfusion
