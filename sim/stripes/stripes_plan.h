// How one layer runs on Stripes: the mapping of its GEMM onto tiles x filters x windows SIPs and
// the sequence of passes, with what each pass loads from DRAM, computes and writes back. Shared by
// the analytic model and the SystemC machine, so both execute the same plan and differ only in how
// they time it.
//
// Mappings (the report's `mapping` column):
// - conv: DaDianNao's and Stripes' own. Filters (output channels) across the T x F SIP rows of
//   all tiles, output windows (pixels, batch included) across the W columns; the reduction in
//   bricks of L consecutive input channels at one kernel tap, taps x ceil(C_in / L) bricks per
//   pass, each brick p_a cycles (one activation bit per cycle). The activation bricks of the W
//   windows are broadcast to every tile, as the paper's neuron memory broadcasts them.
// - dw:lane_diagonal (depthwise): one filter per channel does not share its activations with any
//   other filter, and the broadcast gives every tile the same bricks, so a pass takes a block of
//   D = min(F, L) channels on one tile: brick = the D channels at one tap, filter f's weight in
//   lane f and zeros elsewhere (the remedy DNNsim uses). One tile of T busy, 1/L of the lanes.
// - fc:column_pipelined (fully connected): with fewer windows (batch images) than columns, the
//   columns take different bricks of the same windows, staggered one cycle apart because each
//   needs its own weights and a row's weight bus delivers one brick per cycle (the paper's
//   reason fully connected layers gain nothing from activation bits); the column groups' partial
//   sums are added at the end of the pass.
//
// Timing of a pass (cycles the SIPs stream, identical in the analytic, SystemC and RTL paths):
//   1 (weight preload) + ((B - 1) mod P) + (floor((B - 1) / P) + 1) x p_a + (P - 1)
// for B bricks and P column groups (P = 1 except fc:column_pipelined, where P = min(W / windows,
// p_a, B); the last term adds the groups' sums), then the SIP pipeline's drain before the sums
// are in the output buffer (hidden behind the next pass's preload).
//
// Memory: weights and activations are stored packed at their precisions in DRAM and on chip (a
// haqsim choice: the bit-serial dispatcher and the SIP weight registers take any width), outputs
// leave requantized at the layer's activation precision (as haqsim's BitFusion model does). Each
// tile's synapse buffer (SB) holds as many filter sets as fit (DaDianNao's premise is that a
// layer's weights all do), as a ring of slots: a filter set's weights load into the next slot
// once the set that held it is done. The layer's input is loaded into the neuron memory (NM)
// once, row by row as the passes of the first filter set need it, when it fits in half of NM;
// otherwise each pass reloads its rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/policy.h"
#include "models/workload.h"
#include "sim/stripes/stripes_config.h"

namespace haqsim::stripes {

enum class Mapping { kConv, kLaneDiagonal, kColumnPipelined };
const char* to_string(Mapping mapping);

// Register stages of a SIP from a beat to its accumulator; the drain after the last beat is one
// less. The RTL core measures it on the verilated tile instead of assuming it.
constexpr int64_t kSipPipelineDepth = 2;
constexpr int64_t kSipDrainCycles = kSipPipelineDepth - 1;

// Input rows [row_begin, row_end) of one image for channels [channel_begin, +channels), loaded
// from DRAM into NM before a pass.
struct InputRows {
  int64_t image = 0;
  int64_t row_begin = 0, row_end = 0;
  int64_t channel_begin = 0, channels = 0;
};

struct Pass {
  int64_t group = 0;                      // channel group (conv groups; depthwise channel blocks)
  int64_t filter_set = 0;                 // within the group
  int64_t first_filter = 0, filters = 0;  // within the group (depthwise: channels of the block)
  int64_t first_window = 0, windows = 0;  // of the layer's N = batch x out_h x out_w
  int tiles = 0;                          // tiles holding filters
  int64_t stream_cycles = 0;
  bool load_weights = false;     // first pass of its filter set: the set's weights are loaded
  int64_t filter_set_index = 0;  // counting filter sets across groups
  int64_t weight_slot = 0;       // SB slot of its filter set
  bool last_of_filter_set = false;
  int64_t weight_bits = 0;  // DRAM -> SB before this pass
  std::vector<InputRows> inputs;
  int64_t input_bits = 0;   // DRAM -> NM before this pass
  int64_t output_bits = 0;  // NBout -> DRAM after this pass
};

struct Plan {
  Mapping mapping = Mapping::kConv;
  int64_t groups = 1;
  int64_t in_channels = 0;  // per group (depthwise: channels per block)
  int64_t filters = 0;      // per group
  int64_t taps = 1;
  int64_t bricks = 0;   // per pass
  int64_t windows = 0;  // N
  int64_t windows_per_pass = 0;
  int column_groups = 1;    // P
  int64_t filter_sets = 0;  // per group
  int64_t window_sets = 0;
  int64_t sb_slots = 1;  // filter sets the SB holds at once (at most the layer's)
  bool inputs_resident = true;
  std::vector<Pass> passes;

  int64_t compute_cycles() const;  // sum of the passes' stream cycles
  int64_t weight_bits() const;
  int64_t input_bits() const;
  int64_t output_bits() const;
};

// Throws InputError (naming the config key) when a filter set's weights do not fit a tile's SB or
// a pass's input rows do not fit half of NM; std::invalid_argument for precisions
// beyond the SIPs' widths.
Plan plan_layer(const LayerWorkload& layer, const ArchConfig& config, LayerBits bits);

std::string describe(const Plan& plan);

}  // namespace haqsim::stripes
