// BitFusion's timing without data and without SystemC: the tile schedule (tile_schedule.h)
// walked step by step with the SystemC machine's rules (bitfusion_machine.h: one step's loads in
// flight, a token per buffer half, the OBUF turnaround through the store stage, the array's
// fill/drain, DramChannel for every transfer). Loads only read and stores only write, and the
// DRAM model keeps the two AXI directions apart, so replaying the stages in step order gives the
// machine's cycles exactly, at the cost of a loop over tile steps. It is the analytic backend
// (bitfusion_analytic.h).
#pragma once

#include "sim/bitfusion/bitfusion_machine.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"

namespace haqsim::bitfusion {

// What run_bitfusion_machine() reports for this schedule, without running it (the compute core
// is assumed to take bitfusion_fill_drain_cycles() beyond its vectors, as both cores do).
MachineActivity time_schedule(const TileSchedule& schedule, const ArchConfig& config);

// The layer's report from a run's activity, one definition for both backends (cycles, bound,
// stages, traffic, utilization, energy, details).
LayerStats layer_stats(const LayerWorkload& layer, LayerBits bits, const ArchConfig& config,
                       const BitFusionTiling& tiling, const TileSchedule& schedule,
                       const MachineActivity& activity);

}  // namespace haqsim::bitfusion
