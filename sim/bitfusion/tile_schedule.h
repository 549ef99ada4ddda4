// The tile steps of one layer, in the order the tiler's loop nest visits them: what the SystemC
// model's load, compute and store stages execute. A step is one (batch, output-channel,
// input-channel, output-pixel) tile; the flags say which buffers it reloads (a tensor is
// reloaded exactly when one of its indices changes, which is what the tiler's traffic counts
// assume), which buffer half it uses, and whether its output tile starts or ends a visit of the
// OBUF (an output tile leaves the OBUF whenever the loop nest moves to another output tile: as a
// final result if every input-channel tile has been accumulated, else as a 32-bit partial-sum
// spill that a later visit reads back).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/bitfusion/tiler.h"

namespace haqsim::bitfusion {

// A half-open index range [begin, begin + size).
struct Range {
  int64_t begin = 0, size = 0;
};

struct TileStep {
  int64_t group = 0;  // convolution group (depthwise layers are one group: ic follows oc)
  Range batch, out, in, out_rows, out_cols;  // `in` is unused by depthwise layers
  Range in_rows, in_cols;                    // the input window, in padded-input coordinates
  int64_t vectors = 0;                       // compute cycles of the step

  bool load_weights = false, load_inputs = false;
  int weight_region = 0, input_region = 0, output_region = 0;
  bool release_weights = false, release_inputs = false;  // last step using those regions

  bool output_begin = false;   // first step of an output visit (acquires an OBUF region)
  bool read_partials = false;  // ... which reads back spilled partial sums
  bool output_end = false;     // last step of the visit: the tile is stored after it
  bool output_final = false;   // ... as final results (else as a partial-sum spill)
  int64_t output_visit = 0;    // visit number, for the stages' token bookkeeping

  // DRAM traffic of the step (bits).
  int64_t weight_bits = 0, input_bits = 0, partial_read_bits = 0, output_write_bits = 0;
};

struct TileSchedule {
  std::vector<TileStep> steps;
  int64_t weight_loads = 0, input_loads = 0, output_visits = 0;
  int64_t vectors = 0;
  // Largest tile of each buffer (bits), for the capacity checks.
  int64_t max_weight_bits = 0, max_input_bits = 0, max_output_bits = 0;
};

TileSchedule schedule_tiles(const LayerWorkload& layer, const BitFusionConfig& config,
                            LayerBits bits, const BitFusionTiling& tiling);

}  // namespace haqsim::bitfusion
