// BISMO's energy from activity counts and the config's table; shared by the analytic and the
// SystemC models so that they differ only in the activity they count.
#pragma once

#include <cstdint>

#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"

namespace haqsim::bismo {

struct BismoActivity {
  int64_t streamed_words = 0;   // execute cycles streaming (each reads Dm + Dn buffer words)
  int64_t lhs_fetch_bytes = 0;  // DRAM -> LHS buffers
  int64_t rhs_fetch_bytes = 0;  // DRAM -> RHS buffers
  int64_t result_bytes = 0;     // result buffer -> DRAM
  int64_t cycles = 0;
};

// Fills stats.buffers and stats.energy.
void account_energy(const ArchConfig& config, const BismoActivity& activity, LayerStats& stats);

}  // namespace haqsim::bismo
