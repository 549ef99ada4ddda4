// Stripes' buffer traffic and energy from activity counts and the config's table; shared by the
// analytic and the SystemC models so that they differ only in the activity they count.
#pragma once

#include <cstdint>

#include "models/policy.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"
#include "sim/stripes/stripes_plan.h"

namespace haqsim::stripes {

struct StripesActivity {
  int64_t sip_cycles = 0;    // sum over passes of stream cycles x SIPs of the tiles used
  int64_t sb_read_bits = 0;  // weights into the SIP registers (a brick per filter per brick)
  int64_t nm_read_bits = 0;  // activation bricks, read once per pass and broadcast
  int64_t outputs = 0;       // sums through NBout
  int64_t weight_load_bits = 0, input_load_bits = 0, output_write_bits = 0;  // DRAM
  int64_t cycles = 0;
};

// The activity of a plan's passes at `bits` (identical for the analytic and SystemC models; the
// latter adds the cycles it measured).
StripesActivity plan_activity(const Plan& plan, const StripesConfig& config, LayerBits bits);

// Fills stats.buffers (sb, nm, nbout) and stats.energy. SIPs of the tiles a pass uses are charged
// every stream cycle (the lanes and adder trees toggle whatever their share of real operands);
// idle tiles are clock-gated.
void account_energy(const ArchConfig& config, const StripesActivity& activity, LayerStats& stats);

}  // namespace haqsim::stripes
