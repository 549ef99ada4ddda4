// The BISMO accelerator as a SystemC model: fetch, execute and result stages as threads, each
// with its own instruction queue, synchronized by token FIFOs; LHS/RHS buffers split into two
// regions; a result buffer of `result_depth` tiles; one DRAM channel shared by fetch reads and
// result writes.
//
// Timing (one SystemC nanosecond = one accelerator cycle):
// - fetch run: one DRAM read request (DramChannel timing), issued in one cycle; requests stay
//   outstanding, and a token send waits until all data fetched before it has arrived.
// - execute run: `instruction_overhead_cycles` + one cycle per streamed word; a run that writes
//   a result also waits for the core's pipeline drain.
// - result run: one DRAM write request of the tile's rows; the stage waits for its last beat
//   (the slot is then free); the layer ends when the last write is acknowledged.
// - sync: a send is visible to the receiver in the same cycle; a receive blocks until a token
//   is there. Syncs take no cycles of their own.
// A stage does all the work between two interactions (syncs, DRAM requests, result writes) at
// once and then waits the cycles it took, so simulation cost follows instructions, not cycles;
// every interaction still happens at its exact cycle.
#pragma once

#include <memory>

#include "sim/bismo/dpu_array_core.h"
#include "sim/bismo/layer_dram.h"
#include "sim/bismo/program_builder.h"
#include "sim/common/layer_stats.h"
#include "sim/common/trace_request.h"

namespace haqsim::bismo {

struct MachineActivity {
  int64_t cycles = 0;
  StageStats fetch{"fetch"}, execute{"execute"}, result{"result"};
  int64_t streamed_words = 0;  // execute cycles spent streaming
  int64_t execute_instructions = 0;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  int64_t lhs_fetch_bytes = 0, rhs_fetch_bytes = 0;
  int64_t dram_contention_cycles = 0;
  int64_t transfer_cycles = 0;  // the DRAM interface moving data (sim/common/dram_channel.h)
  int64_t result_tiles = 0;
  // Instructions, syncs included, each stage's program had (over all steps).
  int64_t fetch_program_length = 0, execute_program_length = 0, result_program_length = 0;
};

// Runs the lowered layer in a fresh SystemC context, each stage taking its program from
// `lowering` one step at a time as it gets there; fetches read `dram`, results are written to it.
// With a trace request, also writes the VCD of the stages' signals in its cycle window.
MachineActivity run_bismo_machine(const LayerLowering& lowering, LayerDram& dram,
                                  const ArchConfig& config, DpuArrayCore& core,
                                  const TraceRequest* trace = nullptr);

}  // namespace haqsim::bismo
