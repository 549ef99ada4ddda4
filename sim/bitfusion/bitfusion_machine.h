// The BitFusion accelerator as a SystemC model: load, compute and store stages as threads that
// walk the tile schedule (tile_schedule.h) and synchronize by token FIFOs; WBUF, IBUF and OBUF
// each split into two halves (double buffering); one DRAM interface (DramChannel: separate AXI
// read and write channels) shared by loads and stores.
//
// Timing (one SystemC nanosecond = one accelerator cycle):
// - load, per step: takes the buffer halves the step fills (a WBUF/IBUF half is free once the
//   compute stage has finished the last step using it, an OBUF half once the store stage has
//   written its tile out), then issues one DRAM read per tensor it loads (weights, inputs,
//   spilled partial sums), one issue cycle each, and waits for the data; then it tells compute
//   the step is ready. One step's loads are in flight at a time, so with two halves loading
//   step k+1 overlaps computing step k.
// - compute, per step: waits for the step's data, then streams its vectors into the array, one
//   per cycle. Steps that follow each other without a gap stream back to back: the next step's
//   fill overlaps the previous one's drain. The last sum of a step lands in the OBUF
//   `execute() - vectors` cycles (the fill/drain) after its last vector entered; the store stage
//   sees the tile then. While the stream pauses (waiting for data or an OBUF half) the array
//   drains in the shadow of that stall, which is counted as a memory stall; the drain after the
//   last vector is exposed and reported as `fill_drain_cycles`.
// - store, per output visit: waits until the tile's last sum is in the OBUF, issues one DRAM
//   write (final results at the activation precision, bitfusion_output_bits; spills at 32), and
//   frees the OBUF half when its data has left; the layer ends when the last write is acknowledged.
// - token FIFOs are deep enough that sends never block; a send is visible in the same cycle.
// A stage does all its work between two interactions (tokens, DRAM requests) at once and then
// waits the cycles it took, so simulation cost follows tile steps, not cycles; every interaction
// still happens at its exact cycle, and no cycle count depends on data values.
//
// Data path: the DRAM image holds the zero-padded input (the host pads, as it lowers layers for
// any accelerator), the weights, a partial-sum area and the result area; the stages copy tiles
// between it and the buffer halves when they issue the transfers (the token protocol guarantees
// nobody reads a half being filled). Results are written as raw 32-bit accumulators, the values
// before the requantization unit, while the write is timed at the requantized width.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/bitfusion/fusion_array_core.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/common/layer_job.h"
#include "sim/common/layer_stats.h"
#include "sim/common/trace_request.h"

namespace haqsim::bitfusion {

struct MachineActivity {
  int64_t cycles = 0;
  StageStats load{"load"}, compute{"compute"}, store{"store"};
  int64_t vectors = 0;
  int64_t fill_drain_cycles = 0;    // the last step's drain, exposed at the end
  int64_t drain_during_stalls = 0;  // drains hidden in stream pauses (counted as stalls)
  int64_t weight_load_bits = 0, input_load_bits = 0, partial_read_bits = 0;
  int64_t output_write_bits = 0;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  int64_t dram_contention_cycles = 0;
  int64_t transfer_cycles = 0;  // the DRAM interface moving data (sim/common/dram_channel.h)
};

// Runs one layer job through the schedule in a fresh SystemC context; the accumulators
// ([batch][out_channels][out_h][out_w]) are read back from the DRAM image's result area.
// With a trace request, also writes the VCD of the stages' signals in its cycle window.
MachineActivity run_bitfusion_machine(const LayerJob& job, const TileSchedule& schedule,
                                      const ArchConfig& config, FusionArrayCore& core,
                                      std::vector<int32_t>& accumulators,
                                      const TraceRequest* trace = nullptr);

}  // namespace haqsim::bitfusion
