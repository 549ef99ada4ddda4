// Stripes as a SystemC model: load, compute and store stages as threads that walk the plan's
// passes (stripes_plan.h) and synchronize by token FIFOs; the synapse buffer's slots hold filter
// sets, the output buffer (NBout) two passes' sums; one DRAM interface
// (sim/common/dram_channel.h) shared by loads and stores.
//
// Timing (one SystemC nanosecond = one accelerator cycle):
// - load, per pass: takes the SB slot its filter set fills (free once compute finished the last
//   pass of the filter set that held it) and, when inputs are reloaded per pass, the NM half;
//   issues one DRAM read for the set's weights and one for the pass's new input rows (one issue
//   cycle each) and goes on to the next pass with the requests outstanding, as a DMA engine does;
//   compute starts a pass when its data has arrived.
// - compute, per pass: waits for its data and for an NBout half (free once store wrote the pass
//   two before), streams the pass (stripes_plan.h gives its cycles), and hands the sums to store
//   when the SIP pipeline has drained; back-to-back passes hide the drain behind the next pass's
//   weight preload, the last pass's drain is exposed.
// - store, per pass: writes the pass's outputs (at the layer's activation precision) and frees the
//   NBout half when its data has left; the layer ends when the last write is acknowledged.
// A stage does all its work between two interactions at once and then waits the cycles it took
// (sim/common/pipelined_machine.h), so simulation cost follows passes, not cycles.
//
// Data path: DRAM holds the layer's input, weights and results; NM holds the zero-padded input
// image, filled row by row as the load stage fetches rows (a pass reading a row not yet loaded
// reads zeros and fails the bit-exact check); each SB slot holds its filter set's weights
// gathered into bricks; the compute stage gathers each pass's activation bricks from NM.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/common/layer_job.h"
#include "sim/common/layer_stats.h"
#include "sim/common/trace_request.h"
#include "sim/stripes/sip_array_core.h"
#include "sim/stripes/stripes_plan.h"

namespace haqsim::stripes {

struct MachineActivity {
  int64_t cycles = 0;
  StageStats load{"load"}, compute{"compute"}, store{"store"};
  int64_t stream_cycles = 0;
  int64_t exposed_drain_cycles = 0;
  int64_t weight_load_bits = 0, input_load_bits = 0, output_write_bits = 0;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  int64_t dram_contention_cycles = 0;
  int64_t transfer_cycles = 0;  // the DRAM interface moving data (sim/common/dram_channel.h)
};

// Runs one layer job through the plan in a fresh SystemC context; the accumulators
// ([batch][out_channels][out_h][out_w]) are read back from DRAM's result area.
MachineActivity run_stripes_machine(const LayerJob& job, const Plan& plan, const ArchConfig& config,
                                    SipArrayCore& core, std::vector<int32_t>& accumulators,
                                    const TraceRequest* trace = nullptr);

}  // namespace haqsim::stripes
