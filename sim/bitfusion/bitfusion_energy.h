// BitFusion's buffer traffic and energy from activity counts and the config's 45 nm table;
// shared by the analytic and the SystemC models so that they differ only in the activity they
// count (the analytic model takes it from the tiler's closed forms, the SystemC model from what
// its stages did).
#pragma once

#include <cstdint>

#include "models/policy.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"

namespace haqsim::bitfusion {

struct BitFusionActivity {
  LayerBits bits;
  int64_t vectors = 0;                // compute cycles: one vector enters the array per cycle
  int64_t macs = 0;                   // useful products
  int64_t activation_sharing = 1;     // columns that share one activation read (1 for depthwise)
  bool per_unit_activations = false;  // delivered through the act_per_unit ports (dw:taps_on_rows)
  int64_t weight_load_bits = 0;       // DRAM -> WBUF
  int64_t input_load_bits = 0;        // DRAM -> IBUF
  int64_t partial_read_bits = 0;      // DRAM -> OBUF (spilled partial sums coming back)
  int64_t output_write_bits = 0;      // OBUF -> DRAM (final outputs and spills)
  int64_t cycles = 0;                 // the layer's total, for static energy
};

// Fills stats.buffers (wbuf, ibuf, obuf) and stats.energy.
//
// Every product reads its weight field (2, 4 or 8 bits, the precision's BitBrick width) from its
// Fusion Unit's WBUF bank and its activation field from the row's IBUF bank, shared by the busy
// columns of the row (each column its own for depthwise layers); lanes and units without an
// operand (edge tiles, unused reduction lanes) are gated and read nothing. Per vector every column
// reads and writes one accumulator-wide partial sum in its OBUF bank. Loads write the buffers;
// stores read the OBUF. Core energy is the table's per-cycle
// figure for the 512-unit reference array, scaled by the number of Fusion Units and charged per
// compute cycle whatever the precision (BitBricks are always busy, fused differently).
// Activations delivered to individual Fusion Units through the act_per_unit extension's ports
// are charged act_per_unit_pj_per_bit on top of the IBUF read, as buffer "ibuf_unit_ports".
void account_energy(const ArchConfig& config, const BitFusionActivity& activity, LayerStats& stats);

}  // namespace haqsim::bitfusion
