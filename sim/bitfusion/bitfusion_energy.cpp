#include "sim/bitfusion/bitfusion_energy.h"

#include <algorithm>

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/energy_accounting.h"

namespace haqsim::bitfusion {

void account_energy(const ArchConfig& config, const BitFusionActivity& a, LayerStats& s) {
  const BitFusionConfig& f = bitfusion_config(config);
  const int64_t wslot = bitfusion_slot_bits(a.bits.wbits);
  const int64_t aslot = bitfusion_slot_bits(a.bits.abits);
  const int64_t psum = a.vectors * f.cols * f.accumulator_bits;
  s.buffers.clear();
  s.energy = {};
  add_buffer_energy(s, "wbuf", a.macs * wslot, a.weight_load_bits, f.wbuf_read_pj_per_bit,
                    f.wbuf_write_pj_per_bit);
  add_buffer_energy(s, "ibuf", a.macs * aslot / std::max<int64_t>(1, a.activation_sharing),
                    a.input_load_bits, f.ibuf_read_pj_per_bit, f.ibuf_write_pj_per_bit);
  if (a.per_unit_activations) {
    add_buffer_energy(s, "ibuf_unit_ports", a.macs * aslot, 0, f.act_per_unit_pj_per_bit, 0.0);
  }
  add_buffer_energy(s, "obuf", psum + a.output_write_bits, psum + a.partial_read_bits,
                    f.obuf_read_pj_per_bit, f.obuf_write_pj_per_bit);
  s.energy.compute_pj = double(a.vectors) * f.core_pj_per_cycle * (f.rows * f.cols / 512.0);
  const int64_t dram_bits =
      a.weight_load_bits + a.input_load_bits + a.partial_read_bits + a.output_write_bits;
  add_dram_and_static_energy(config, dram_bits, a.cycles, s);
}

}  // namespace haqsim::bitfusion
