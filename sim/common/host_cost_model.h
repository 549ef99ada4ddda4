// The declared cost of a host layer (one that does not run on the array), the same for every
// machine and backend:
//   compute  = operations / host.ops_per_cycle
//   transfer = the layer's DRAM bytes (inputs read, output written, at host.element_bits each)
//              over the arch's DRAM interface (dram.ports x dram.port_width_bits per cycle, reads
//              and writes on their own channels as AXI has them) plus dram.latency_cycles, when
//              host.dram_round_trip
//   cycles   = host.launch_cycles + max(compute, transfer)   (streaming overlaps the two)
//   energy   = operations x host.pj_per_op + DRAM bits x dram.energy_pj_per_bit + static power
// The array waits meanwhile: layers run one after another, so a network's total is the sum of
// its array and host layers.
#pragma once

#include "models/workload.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"

namespace haqsim {

LayerStats host_layer_stats(const HostWorkload& layer, const ArchConfig& config);

}  // namespace haqsim
