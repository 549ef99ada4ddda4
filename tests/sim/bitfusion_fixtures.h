// BitFusion configurations for the model tests: small arrays with small buffers, so that layers
// need several tiles along every loop.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"

namespace haqsim::testing {

// A rows x cols array with the given buffer sizes (bytes), the reference energy table and a
// 64-bit DRAM interface.
inline ArchConfig small_bitfusion_config(int rows, int cols, int64_t wbuf, int64_t ibuf,
                                         int64_t obuf) {
  ArchConfig c;
  c.name = "test";
  c.type = "bitfusion";
  c.clock_mhz = 500;
  c.dram = {1, 64, 9, 16, 15.0};
  BitFusionConfig f;
  f.rows = rows;
  f.cols = cols;
  f.wbuf_bytes = wbuf;
  f.ibuf_bytes = ibuf;
  f.obuf_bytes = obuf;
  f.core_pj_per_cycle = 235;
  f.wbuf_read_pj_per_bit = 0.021, f.wbuf_write_pj_per_bit = 0.029;
  f.ibuf_read_pj_per_bit = 0.059, f.ibuf_write_pj_per_bit = 0.114;
  f.obuf_read_pj_per_bit = 0.033, f.obuf_write_pj_per_bit = 0.073;
  c.machine = std::make_unique<BitFusionConfig>(f);
  return c;
}

// 2 x 3 array (a verilated variant), small buffers: layers need several tiles along every loop.
inline ArchConfig tiny_bitfusion_config() {
  return small_bitfusion_config(2, 3, 512, 256, 192);
}

// The same config with depthwise layers on the act_per_unit extension (dw:taps_on_rows).
inline ArchConfig with_taps_on_rows(ArchConfig c) {
  BitFusionConfig& f = bitfusion_config(c);
  f.act_per_unit = true;
  f.depthwise_mapping = BitFusionDepthwiseMapping::kTapsOnRows;
  return c;
}

// Calls f(tiling, schedule) for every loop order of every (tile sizes, tile columns) choice:
// tilings the tiler would not pick, partial-sum spills included.
template <class F>
void for_each_loop_order(const LayerWorkload& layer, const ArchConfig& config, LayerBits bits,
                         const std::vector<std::pair<std::array<int64_t, 4>, int64_t>>& tiles,
                         F f) {
  std::array<int, 4> order = {0, 1, 2, 3};
  do {
    for (const auto& [tile, cols] : tiles) {
      const BitFusionTilingChoice choice{tile, cols, order};
      const BitFusionTiling t = choose_bitfusion_tiling(layer, config, bits, &choice);
      f(t, bitfusion::schedule_tiles(layer, bitfusion_config(config), bits, t));
    }
  } while (std::next_permutation(order.begin(), order.end()));
}

}  // namespace haqsim::testing
