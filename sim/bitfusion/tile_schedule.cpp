#include "sim/bitfusion/tile_schedule.h"
#include "base/int_math.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

namespace haqsim::bitfusion {

namespace {

Range tile_range(int64_t index, int64_t tile, int64_t dim) {
  const int64_t begin = index * tile;
  return {begin, std::min(tile, dim - begin)};
}

}  // namespace

TileSchedule schedule_tiles(const LayerWorkload& l, const BitFusionConfig& f, LayerBits bits,
                            const BitFusionTiling& t) {
  const bool dw = l.kind == LayerKind::kDepthwise;
  const int64_t groups = dw ? 1 : l.groups;
  const int64_t out_dim = l.out_channels / groups, in_dim = dw ? 1 : l.in_channels / groups;
  const int64_t taps = int64_t(l.kernel_h) * l.kernel_w;
  const int64_t lanes = int64_t(f.rows) * bitfusion_products_per_unit(bits.wbits, bits.abits);
  const DepthwiseLayout dw_layout = bitfusion_depthwise_layout(f, taps, bits);
  const int64_t row_tiles = ceil_div(l.out_height, t.tile[kLoopSpatial]);
  const int64_t col_tiles = ceil_div(l.out_width, t.tile_cols);
  const std::array<int64_t, 4> dims = {l.batch, out_dim, in_dim,
                                       int64_t(l.out_height) * l.out_width};
  const std::array<int64_t, 4> trips = {ceil_div(dims[0], t.tile[0]), ceil_div(dims[1], t.tile[1]),
                                        ceil_div(dims[2], t.tile[2]), row_tiles * col_tiles};
  if (trips != t.trips) throw std::logic_error("BitFusion schedule disagrees with the tiler");

  TileSchedule s;
  s.steps.reserve(size_t(groups * trips[0] * trips[1] * trips[2] * trips[3]));
  using Key = std::tuple<int64_t, int64_t, int64_t, int64_t>;
  std::map<Key, int64_t> in_tiles_done;  // per output tile: input-channel tiles accumulated
  Key last_weights{-1, -1, -1, -1}, last_inputs{-1, -1, -1, -1}, last_output{-1, -1, -1, -1};
  for (int64_t g = 0; g < groups; ++g) {
    std::array<int64_t, 4> idx{};
    const int64_t total = trips[0] * trips[1] * trips[2] * trips[3];
    for (int64_t n = 0; n < total; ++n) {
      // Decode n into loop indices, the last loop of the order innermost.
      int64_t rest = n;
      for (int j = 3; j >= 0; --j) {
        const int loop = t.order[j];
        idx[loop] = rest % trips[loop];
        rest /= trips[loop];
      }
      TileStep st;
      st.group = g;
      st.batch = tile_range(idx[kLoopBatch], t.tile[kLoopBatch], dims[kLoopBatch]);
      st.out = tile_range(idx[kLoopOut], t.tile[kLoopOut], dims[kLoopOut]);
      st.in = tile_range(idx[kLoopIn], t.tile[kLoopIn], dims[kLoopIn]);
      const int64_t ry = idx[kLoopSpatial] / col_tiles, cx = idx[kLoopSpatial] % col_tiles;
      st.out_rows = tile_range(ry, t.tile[kLoopSpatial], l.out_height);
      st.out_cols = tile_range(cx, t.tile_cols, l.out_width);
      st.in_rows = {st.out_rows.begin * l.stride_h, l.window_rows(st.out_rows.size)};
      st.in_cols = {st.out_cols.begin * l.stride_w, l.window_cols(st.out_cols.size)};
      const int64_t pixels = st.out_rows.size * st.out_cols.size;
      st.vectors = dw ? st.batch.size * ceil_div(st.out.size, dw_layout.channels_per_vector) *
                            pixels * dw_layout.chunks
                      : st.batch.size * ceil_div(st.out.size, f.cols) * pixels * taps *
                            ceil_div(st.in.size, lanes);
      s.vectors += st.vectors;

      const Key wkey{g, idx[kLoopOut], idx[kLoopIn], 0};
      const Key ikey{g, idx[kLoopBatch], dw ? idx[kLoopOut] : idx[kLoopIn], idx[kLoopSpatial]};
      const Key okey{g, idx[kLoopBatch], idx[kLoopOut], idx[kLoopSpatial]};
      const int64_t in_channels = dw ? st.out.size : st.in.size;
      if (wkey != last_weights) {
        st.load_weights = true;
        st.weight_region = int(s.weight_loads++ % 2);
        st.weight_bits = st.out.size * (dw ? 1 : st.in.size) * taps * bits.wbits;
        last_weights = wkey;
      } else {
        st.weight_region = int((s.weight_loads - 1) % 2);
      }
      if (ikey != last_inputs) {
        st.load_inputs = true;
        st.input_region = int(s.input_loads++ % 2);
        st.input_bits =
            st.batch.size * in_channels * st.in_rows.size * st.in_cols.size * bits.abits;
        last_inputs = ikey;
      } else {
        st.input_region = int((s.input_loads - 1) % 2);
      }
      const int64_t out_elems = st.batch.size * st.out.size * pixels;
      if (okey != last_output) {
        st.output_begin = true;
        st.output_visit = s.output_visits++;
        st.read_partials = in_tiles_done[okey] > 0;
        if (st.read_partials) st.partial_read_bits = out_elems * f.accumulator_bits;
        last_output = okey;
      } else {
        st.output_visit = s.output_visits - 1;
      }
      st.output_region = int(st.output_visit % 2);
      in_tiles_done[okey] += 1;
      s.max_weight_bits = std::max(
          s.max_weight_bits, st.out.size * (dw ? 1 : st.in.size) * taps * int64_t(bits.wbits));
      s.max_input_bits = std::max(s.max_input_bits, st.batch.size * in_channels * st.in_rows.size *
                                                        st.in_cols.size * int64_t(bits.abits));
      s.max_output_bits = std::max(s.max_output_bits, out_elems * f.accumulator_bits);
      s.steps.push_back(st);
    }
  }
  // Ends of visits and region lifetimes follow from the next step.
  for (std::size_t k = 0; k < s.steps.size(); ++k) {
    TileStep& st = s.steps[k];
    const bool last = k + 1 == s.steps.size();
    st.release_weights = last || s.steps[k + 1].load_weights;
    st.release_inputs = last || s.steps[k + 1].load_inputs;
    st.output_end = last || s.steps[k + 1].output_begin;
  }
  // A visit is final when its output tile has seen every input-channel tile by its end: count
  // again in order.
  std::map<Key, int64_t> seen;
  const int64_t in_trips = trips[kLoopIn];
  for (TileStep& st : s.steps) {
    const Key okey{st.group, st.batch.begin, st.out.begin,
                   st.out_rows.begin * l.out_width + st.out_cols.begin};
    const int64_t count = ++seen[okey];
    if (st.output_end) {
      const int64_t elems = st.batch.size * st.out.size * st.out_rows.size * st.out_cols.size;
      st.output_final = count == in_trips;
      st.output_write_bits =
          elems * (st.output_final ? bitfusion_output_bits(f, bits) : f.accumulator_bits);
    }
  }
  const int64_t half_w = f.wbuf_bytes * 4, half_i = f.ibuf_bytes * 4, half_o = f.obuf_bytes * 4;
  if (s.max_weight_bits > half_w || s.max_input_bits > half_i || s.max_output_bits > half_o) {
    throw std::logic_error("BitFusion schedule: a tile exceeds half of its buffer");
  }
  return s;
}

}  // namespace haqsim::bitfusion
