// BitFusion's mapping search, after the authors' optimizer (hsharma35/bitfusion): for one layer
// at one precision pair, try power-of-two tile sizes over batch, output channels, input channels
// and output pixels (whole rows, or pieces of one row), and every order of the four tile loops;
// keep the tilings whose tiles fit half of each buffer (the other half is being filled: double
// buffering), and pick the one with the fewest cycles, then the least energy. Shared by the
// analytic and the SystemC models.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "models/policy.h"
#include "models/workload.h"
#include "sim/bitfusion/bitfusion_config.h"

namespace haqsim {

// Products one Fusion Unit computes per cycle at (wbits, abits): 8x8 -> 1, 4x4 -> 4, 2x2 -> 16;
// 3 bits run at the 4-bit rate, 5..7 at the 8-bit rate, 1 at the 2-bit rate.
int bitfusion_products_per_unit(int wbits, int abits);
// Operand width a BitBrick group spends on a b-bit value (2, 4 or 8).
int bitfusion_slot_bits(int bits);
// Width of a final output value leaving for DRAM. `output_precision: requantized`: the
// requantization unit at the OBUF's output rounds it to the activation precision the next layer
// reads; a per-layer model does not see the next layer, so it takes the layer's own activation
// precision (exact under uniform policies). `partial_sums`: the accumulator width, as the
// authors' simulator writes outputs.
int bitfusion_output_bits(const BitFusionConfig& config, LayerBits bits);

// How a depthwise layer's (channel, tap) products are laid on the array: each vector covers
// `channels_per_vector` channels (one per busy column) and `lanes_per_chunk` of their taps;
// `chunks` vectors cover all taps. dw:taps_on_rows: M channels, ceil(taps / (N * pf)) chunks.
// dw:row_shared: the N * pf reduction lanes of a row-shared vector hold the taps of
// floor(N * pf / taps) channels side by side (at most M), or, when one channel's taps need more
// lanes than there are, one channel in ceil(taps / (N * pf)) chunks.
struct DepthwiseLayout {
  int64_t channels_per_vector = 1;
  int64_t chunks = 1;
};
DepthwiseLayout bitfusion_depthwise_layout(const BitFusionConfig& config, int64_t taps,
                                           LayerBits bits);

// Cycles a burst of back-to-back vectors spends in the systolic array beyond one per vector, up
// to its last sum being in the OBUF: rows + cols. A vector's row i enters i cycles after its
// row 0 and column j's sum leaves j cycles after column 0's (rows + cols - 2 cycles of skew); a
// Fusion Unit registers its operands as they enter and adds its product into its partial-sum
// register one edge later (one cycle more), and the OBUF adds a column sum at the edge closing
// the cycle it leaves the array in (one more). So the last sum of a burst of V
// vectors is in the OBUF V + rows + cols cycles after the first vector entered. This is the
// verilated array's timing (rtl/bitfusion/bitfusion_array.sv); the behavioural core and the
// analytic model assume it, the RTL core measures it, and test_bitfusion_rtl_backend asserts the
// two agree for every built variant.
int64_t bitfusion_fill_drain_cycles(const BitFusionConfig& config);

// The spatial loop walks output rows (tiles of whole rows) or, for rows too large for the
// buffers, pieces of rows.
enum TileLoop { kLoopBatch = 0, kLoopOut = 1, kLoopIn = 2, kLoopSpatial = 3 };

struct BitFusionTiling {
  std::array<int64_t, 4> tile{};   // per TileLoop; the spatial entry is output rows per tile
  int64_t tile_cols = 0;           // output columns per spatial tile
  std::array<int64_t, 4> trips{};  // ceil(dim / tile)
  std::array<int, 4> order{};      // TileLoop ids, outermost first
  int64_t compute_cycles = 0;
  int64_t weight_read_bits = 0;   // DRAM -> WBUF
  int64_t input_read_bits = 0;    // DRAM -> IBUF
  int64_t output_write_bits = 0;  // OBUF -> DRAM (final outputs, and partial-sum spills)
  int64_t output_read_bits = 0;   // DRAM -> OBUF (partial sums read back)
  int64_t first_load_bits = 0;    // first tiles, before compute can start
  int64_t last_store_bits = 0;    // last output tile, after compute ends
  int64_t cycles = 0;    // tile steps (max of compute and transfer) + first load + last store
  double energy_pj = 0;  // DRAM + buffers + core, for tie-breaking
  bool depthwise = false;

  int64_t dram_bits() const {
    return weight_read_bits + input_read_bits + output_write_bits + output_read_bits;
  }
};

// Restricts the search to one tiling (tests use it to run every loop order and tile size).
struct BitFusionTilingChoice {
  std::array<int64_t, 4> tile{};  // per TileLoop; must be one of the search's candidates
  int64_t tile_cols = 0;
  std::array<int, 4> order{};
};

// Throws InputError (naming the config file and buffer) when not even the smallest tile fits
// (or, with `only`, when that tiling does not fit).
BitFusionTiling choose_bitfusion_tiling(const LayerWorkload& layer, const ArchConfig& config,
                                        LayerBits bits,
                                        const BitFusionTilingChoice* only = nullptr);

std::string describe(const BitFusionTiling& tiling);

}  // namespace haqsim
