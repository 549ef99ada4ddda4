#include "sim/bitfusion/tiler.h"
#include "base/int_math.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "base/input_error.h"

namespace haqsim {

int bitfusion_products_per_unit(int wbits, int abits) {
  return (8 / std::max(abits, 2)) * (8 / std::max(wbits, 2));
}

int bitfusion_slot_bits(int bits) {
  return bits <= 2 ? 2 : bits <= 4 ? 4 : 8;
}

int bitfusion_output_bits(const BitFusionConfig& config, LayerBits bits) {
  return config.output_precision == BitFusionOutputPrecision::kPartialSums ? config.accumulator_bits
                                                                           : bits.abits;
}

DepthwiseLayout bitfusion_depthwise_layout(const BitFusionConfig& f, int64_t taps, LayerBits bits) {
  const int64_t lanes = int64_t(f.rows) * bitfusion_products_per_unit(bits.wbits, bits.abits);
  if (f.depthwise_mapping == BitFusionDepthwiseMapping::kTapsOnRows) {
    return {f.cols, ceil_div(taps, lanes)};
  }
  if (taps > lanes) return {1, ceil_div(taps, lanes)};
  return {std::min<int64_t>(f.cols, lanes / taps), 1};
}

int64_t bitfusion_fill_drain_cycles(const BitFusionConfig& config) {
  return int64_t(config.rows) + config.cols;
}

namespace {

// Tile sizes to try for a dimension: `unit` x powers of two below `dim`, and `dim` itself.
std::vector<int64_t> candidates(int64_t dim, int64_t unit) {
  std::vector<int64_t> out;
  for (int64_t t = unit; t < dim; t *= 2) out.push_back(t);
  out.push_back(dim);
  return out;
}

// A dimension cut into tiles: `full` tiles of `tile`, and one `rest` tile if it does not divide.
struct Split {
  int64_t tile, full, rest;
};
Split split(int64_t dim, int64_t tile) {
  return {tile, dim / tile, dim % tile};
}

// Calls f(size, count) for the (at most two) distinct tile sizes of a split.
template <typename F>
void for_each_size(const Split& s, F f) {
  if (s.full > 0) f(s.tile, s.full);
  if (s.rest > 0) f(s.rest, 1);
}

struct LayerDims {
  int64_t batch, out, in, rows;
  int64_t out_width, kernel_taps;
  int64_t stride_h, stride_w, window_h, window_w;  // window_*: the dilated kernel's extent
  int64_t padded_in_rows, padded_in_cols;
  bool depthwise;
};

int64_t input_rows_for(const LayerDims& d, int64_t output_rows) {
  return std::min((output_rows - 1) * d.stride_h + d.window_h, d.padded_in_rows);
}

int64_t input_cols_for(const LayerDims& d, int64_t output_cols) {
  return std::min((output_cols - 1) * d.stride_w + d.window_w, d.padded_in_cols);
}

// Spatial tiles are whole output rows (th x OW), or, when one row is too large, pieces of a
// row (1 x tw).
struct SpatialTile {
  int64_t rows, cols;
};

}  // namespace

BitFusionTiling choose_bitfusion_tiling(const LayerWorkload& layer, const ArchConfig& config,
                                        LayerBits bits, const BitFusionTilingChoice* only) {
  const BitFusionConfig& f = bitfusion_config(config);
  const int pf = bitfusion_products_per_unit(bits.wbits, bits.abits);
  const int64_t lanes = int64_t(f.rows) * pf;  // reduction lanes per column per cycle
  const bool depthwise = layer.kind == LayerKind::kDepthwise;
  const DepthwiseLayout dw_layout =
      bitfusion_depthwise_layout(f, int64_t(layer.kernel_h) * layer.kernel_w, bits);

  LayerDims d;
  d.batch = layer.batch;
  d.out = layer.out_channels / (depthwise ? 1 : layer.groups);
  d.in = depthwise ? 1 : layer.in_channels / layer.groups;
  d.rows = layer.out_height;
  d.out_width = layer.out_width;
  d.kernel_taps = int64_t(layer.kernel_h) * layer.kernel_w;
  d.stride_h = layer.stride_h;
  d.stride_w = layer.stride_w;
  d.window_h = layer.dilated_kernel_h();
  d.window_w = layer.dilated_kernel_w();
  d.padded_in_rows = layer.padded_height();
  d.padded_in_cols = layer.padded_width();
  d.depthwise = depthwise;
  const int64_t group_count = depthwise ? 1 : layer.groups;

  const int64_t half_w = f.wbuf_bytes * 8 / 2, half_i = f.ibuf_bytes * 8 / 2,
                half_o = f.obuf_bytes * 8 / 2;
  const int out_bits = bitfusion_output_bits(f, bits);  // partial sums at accumulator width
  const int acc = f.accumulator_bits;
  const double bw_bits = double(config.dram.ports) * config.dram.port_width_bits;
  const int64_t fill_drain = bitfusion_fill_drain_cycles(f);

  // `px` is the number of output pixels of a spatial tile (rows x cols).
  auto compute_of_tile = [&](int64_t tb, int64_t to, int64_t ti, int64_t px) {
    if (depthwise) return tb * ceil_div(to, dw_layout.channels_per_vector) * px * dw_layout.chunks;
    return tb * ceil_div(to, f.cols) * px * d.kernel_taps * ceil_div(ti, lanes);
  };
  auto weight_bits_of = [&](int64_t to, int64_t ti) {
    return to * ti * d.kernel_taps * bits.wbits;
  };
  auto input_bits_of = [&](int64_t tb, int64_t to, int64_t ti, SpatialTile sp) {
    return tb * (depthwise ? to : ti) * input_rows_for(d, sp.rows) * input_cols_for(d, sp.cols) *
           bits.abits;
  };
  auto output_elems_of = [&](int64_t tb, int64_t to, SpatialTile sp) {
    return tb * to * sp.rows * sp.cols;
  };
  std::vector<SpatialTile> spatial_candidates;
  for (int64_t th : candidates(d.rows, 1)) spatial_candidates.push_back({th, d.out_width});
  for (int64_t tw = 1; tw < d.out_width; tw *= 2) spatial_candidates.push_back({1, tw});

  // Relevant loops per tensor (bit masks over TileLoop).
  const int w_rel = depthwise ? (1 << kLoopOut) : (1 << kLoopOut) | (1 << kLoopIn);
  const int i_rel = depthwise ? (1 << kLoopBatch) | (1 << kLoopOut) | (1 << kLoopSpatial)
                              : (1 << kLoopBatch) | (1 << kLoopIn) | (1 << kLoopSpatial);
  const int o_rel = (1 << kLoopBatch) | (1 << kLoopOut) | (1 << kLoopSpatial);

  std::array<int, 4> order = {0, 1, 2, 3};
  std::vector<std::array<int, 4>> orders;
  do orders.push_back(order);
  while (std::next_permutation(order.begin(), order.end()));

  BitFusionTiling best;
  bool found = false;
  // Output-channel tiles in multiples of the channels one vector covers.
  const int64_t out_unit =
      std::min<int64_t>(depthwise ? dw_layout.channels_per_vector : f.cols, d.out);
  const int64_t in_unit = std::min<int64_t>(lanes, d.in);
  for (int64_t tb : candidates(d.batch, 1)) {
    for (int64_t to : candidates(d.out, out_unit)) {
      for (int64_t ti : candidates(d.in, in_unit)) {
        for (const SpatialTile& sp : spatial_candidates) {
          if (only && (std::array<int64_t, 4>{tb, to, ti, sp.rows} != only->tile ||
                       sp.cols != only->tile_cols)) {
            continue;
          }
          if (weight_bits_of(to, ti) > half_w || input_bits_of(tb, to, ti, sp) > half_i ||
              output_elems_of(tb, to, sp) * acc > half_o) {
            continue;
          }
          const Split sb = split(d.batch, tb), so = split(d.out, to), si = split(d.in, ti),
                      sh = split(d.rows, sp.rows), sw = split(d.out_width, sp.cols);
          // Totals over all tiles, exact at the edges.
          int64_t compute = 0, input_total = 0;
          for_each_size(sh, [&](int64_t h, int64_t nh) {
            for_each_size(sw, [&](int64_t w, int64_t nw) {
              const SpatialTile tile{h, w};
              const int64_t spatial_count = nh * nw;
              for_each_size(sb, [&](int64_t b, int64_t nb) {
                for_each_size(so, [&](int64_t o, int64_t no) {
                  for_each_size(si, [&](int64_t i, int64_t ni) {
                    compute += nb * no * ni * spatial_count * compute_of_tile(b, o, i, h * w);
                  });
                });
                for_each_size(depthwise ? so : si, [&](int64_t c, int64_t nc) {
                  input_total += nb * nc * spatial_count * input_bits_of(b, c, c, tile);
                });
              });
            });
          });
          compute *= group_count;
          const int64_t weight_total = d.out * d.in * d.kernel_taps * bits.wbits;
          const int64_t output_total = d.batch * d.out * d.rows * d.out_width;
          const std::array<int64_t, 4> trips = {
              ceil_div(d.batch, tb), ceil_div(d.out, to), ceil_div(d.in, ti),
              ceil_div(d.rows, sp.rows) * ceil_div(d.out_width, sp.cols)};
          for (const auto& ord : orders) {
            if (only && ord != only->order) continue;
            // A tensor is re-fetched once per iteration of every irrelevant loop that sits
            // outside its innermost relevant loop.
            // Loops of one trip change nothing and are skipped (the SystemC model's schedule
            // reloads a tile exactly when its indices change, and this count must match it).
            auto refetch = [&](int relevant) {
              int innermost = -1;
              for (int j = 0; j < 4; ++j) {
                if ((relevant & (1 << ord[j])) && trips[ord[j]] > 1) innermost = j;
              }
              int64_t factor = 1;
              for (int j = 0; j < innermost; ++j) {
                if (!(relevant & (1 << ord[j]))) factor *= trips[ord[j]];
              }
              return factor;
            };
            BitFusionTiling t;
            t.tile = {tb, to, ti, sp.rows};
            t.tile_cols = sp.cols;
            t.trips = trips;
            t.order = ord;
            t.depthwise = depthwise;
            t.compute_cycles = compute;
            t.weight_read_bits = group_count * weight_total * refetch(w_rel);
            t.input_read_bits = group_count * input_total * refetch(i_rel);
            const int64_t passes = refetch(o_rel);  // > 1: partial sums spill to DRAM
            t.output_write_bits =
                group_count * output_total * (out_bits + (passes - 1) * int64_t(acc));
            t.output_read_bits = group_count * output_total * (passes - 1) * int64_t(acc);
            t.first_load_bits = weight_bits_of(to, ti) + input_bits_of(tb, to, ti, sp);
            t.last_store_bits = output_elems_of(tb, to, sp) * out_bits;
            // Double buffering with one tile in flight: tile k+1's loads (request latency plus
            // data) overlap tile k's compute, so each tile step but the last takes the longest of
            // the two and of its share of output writes (AXI reads and writes use separate
            // channels); the last step only computes. Tiny tiles pay the DRAM latency every step;
            // that is what limits them. The first load comes before and the last store after
            // (latency and data each), and the array's fill and drain (rows + cols cycles) is
            // exposed once, at the end. Weight tiles are loaded by only some steps and, being
            // large, can stall compute for their full length (only one step is loaded ahead), so
            // steps followed by a weight load and the others are costed separately; the rest
            // is averaged over steps, which is what makes this an estimate: the SystemC model
            // takes each step's own maximum.
            const double tile_steps = double(trips[0]) * trips[1] * trips[2] * trips[3];
            const double weight_tile = double(weight_bits_of(to, ti));
            const double weight_loads =
                std::min(tile_steps, std::max(1.0, double(t.weight_read_bits) / weight_tile));
            const double other_read_bits = double(t.input_read_bits + t.output_read_bits);
            // OBUF turnaround: output visit v+2 reuses visit v's half, so it starts only after
            // visit v has drained, been written out and (when partial sums spill) been read
            // back; two visits' worth of steps cover that chain once.
            const double visits = double(trips[0]) * trips[1] * trips[3] * passes;
            const double per_visit_read =
                t.output_read_bits > 0
                    ? config.dram.latency_cycles + double(t.output_read_bits) / bw_bits / visits
                    : 0.0;
            const double turnaround =
                (double(compute) / visits + fill_drain +
                 double(t.output_write_bits) / bw_bits / visits + per_visit_read) /
                2 * visits / tile_steps;
            const double other_step =
                std::max({double(compute) / tile_steps,
                          config.dram.latency_cycles + other_read_bits / bw_bits / tile_steps,
                          double(t.output_write_bits) / bw_bits / tile_steps, turnaround});
            const double weight_step =
                std::max(other_step, config.dram.latency_cycles +
                                         (weight_tile + other_read_bits / tile_steps) / bw_bits);
            // The first weight tile comes with the first load; the last step only computes.
            const double steps_time = (weight_loads - 1) * weight_step +
                                      (tile_steps - weight_loads) * other_step +
                                      double(compute) / tile_steps;
            t.cycles = int64_t(steps_time + 0.5) + config.dram.latency_cycles * 2 +
                       int64_t(double(t.first_load_bits + t.last_store_bits) / bw_bits + 0.999999) +
                       fill_drain;
            t.energy_pj = t.dram_bits() * config.dram.energy_pj_per_bit;
            // Fewest cycles, then least energy, then fewest tiles (less control overhead).
            const int64_t tiles = trips[0] * trips[1] * trips[2] * trips[3];
            const int64_t best_tiles =
                best.trips[0] * best.trips[1] * best.trips[2] * best.trips[3];
            if (!found || t.cycles < best.cycles ||
                (t.cycles == best.cycles && t.energy_pj < best.energy_pj * (1 - 1e-9)) ||
                (t.cycles == best.cycles && t.energy_pj <= best.energy_pj * (1 + 1e-9) &&
                 tiles < best_tiles)) {
              best = t;
              found = true;
            }
          }
        }
      }
    }
  }
  if (!found) {
    // Name the buffer that cannot hold even the smallest tile.
    const int64_t tb = 1, to = out_unit, ti = in_unit;
    const SpatialTile sp{1, 1};
    std::string key = "bitfusion.obuf_bytes";
    int64_t need = output_elems_of(tb, to, sp) * acc;
    int64_t configured = f.obuf_bytes;
    if (weight_bits_of(to, ti) > half_w) {
      key = "bitfusion.wbuf_bytes";
      need = weight_bits_of(to, ti);
      configured = f.wbuf_bytes;
    } else if (input_bits_of(tb, to, ti, sp) > half_i) {
      key = "bitfusion.ibuf_bytes";
      need = input_bits_of(tb, to, ti, sp);
      configured = f.ibuf_bytes;
    }
    throw InputError(InputLocation{config.file, 0, key, -1},
                     fmt::format("a buffer of at least {} bytes (twice the smallest tile of layer "
                                 "'{}' at w{}a{}, for double buffering)",
                                 ceil_div(need, 8) * 2, layer.name, bits.wbits, bits.abits),
                     fmt::format("{} bytes", configured));
  }
  return best;
}

std::string describe(const BitFusionTiling& t) {
  static const char* names[] = {"b", "oc", "ic", "pixels"};
  std::string order;
  for (int id : t.order) order += std::string(order.empty() ? "" : ">") + names[id];
  return fmt::format("tile b={} oc={} ic={} oh={} ow={} order={}{}", t.tile[0], t.tile[1],
                     t.depthwise ? t.tile[1] : t.tile[2], t.tile[3], t.tile_cols, order,
                     t.depthwise ? " (depthwise: ic follows oc)" : "");
}

}  // namespace haqsim
