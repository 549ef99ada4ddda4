// The parts of a layer's energy every machine accounts the same way, from the config's tables:
// on-chip buffer traffic at a read and a write energy per bit, DRAM traffic at the interface's
// energy per bit, and static power over the layer's time. The machine's own energy model
// (sim/<machine>/*_energy.*) adds its compute energy and calls these for the rest.
#pragma once

#include <cstdint>
#include <string>

#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"

namespace haqsim {

// Appends one buffer's traffic to stats.buffers and its energy to stats.energy.
void add_buffer_energy(LayerStats& stats, const std::string& buffer, int64_t read_bits,
                       int64_t write_bits, double read_pj_per_bit, double write_pj_per_bit);

// DRAM energy of `bits` moved, and static energy over `cycles`, into stats.energy.
void add_dram_and_static_energy(const ArchConfig& config, int64_t dram_bits, int64_t cycles,
                                LayerStats& stats);

}  // namespace haqsim
