// The compute core of Stripes' compute stage: the tiles' SIP grids (filters x windows Serial
// Inner-Product units, `lanes` wide each). The compute stage owns timing and hands the core one
// pass at a time with its operands already gathered from the synapse buffer and the neuron
// memory; a core only computes -- by multiplying (behavioural) or by clocking the verilated SIP
// tile through every bit of every brick (rtl), which also checks the pass's cycle count.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/common/trace_request.h"
#include "sim/stripes/stripes_config.h"

namespace haqsim::stripes {

// One pass's operands for every tile it uses.
struct SipPass {
  int64_t bricks = 0;
  int abits = 8;
  bool act_signed = true;
  int windows = 0;        // windows (columns per column group) in this pass
  int column_groups = 1;  // P: columns take different bricks (fc:column_pipelined)
  int filters = 0;        // SIP rows used per tile (the last tile may hold fewer real filters)
  int tiles = 0;
  int64_t stream_cycles = 0;  // what the plan says the pass takes; the RTL core checks it
  // [bricks][windows][lanes] activation values (abits bits, signed iff act_signed).
  const int32_t* activations = nullptr;
  // [tiles][bricks][filters][lanes] weights (signed).
  const int32_t* weights = nullptr;
};

class SipArrayCore {
 public:
  virtual ~SipArrayCore() = default;
  // Runs the pass; writes every (tile, filter, window) sum to out[(t * filters + f) * windows +
  // w], 32-bit two's complement (the SIP accumulators wrap at 32 bits).
  virtual void run_pass(const SipPass& pass, int32_t* out) = 0;
  // Cycles from the last streamed bit to the sums in the accumulators.
  virtual int64_t drain_cycles() = 0;
  virtual const char* name() const = 0;
  // The machine cycle at which the next pass starts (a traced RTL core aligns its waveform).
  virtual void at_cycle(int64_t /*machine_cycle*/) {}
};

// Multiplies and adds the pass's operands directly (the SIPs' shift-and-add over activation bits
// is the product; the RTL core checks that).
std::unique_ptr<SipArrayCore> make_behavioural_core(const StripesConfig& config);
// The verilated SIP tile (rtl/stripes/), clocked through every cycle of every tile's pass;
// std::invalid_argument when no variant of the config's filters x windows x lanes was built.
std::unique_ptr<SipArrayCore> make_rtl_core(const StripesConfig& config);
// The same, recording tile 0's signals into trace.path in the trace's cycle window.
std::unique_ptr<SipArrayCore> make_traced_rtl_core(const StripesConfig& config,
                                                   const TraceRequest& trace);

}  // namespace haqsim::stripes
