#include "sim/stripes/stripes_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "base/input_error.h"
#include "base/int_math.h"

namespace haqsim::stripes {

const char* to_string(Mapping mapping) {
  switch (mapping) {
    case Mapping::kConv:
      return "conv";
    case Mapping::kLaneDiagonal:
      return "dw:lane_diagonal";
    case Mapping::kColumnPipelined:
      return "fc:column_pipelined";
  }
  return "?";
}

int64_t Plan::compute_cycles() const {
  int64_t total = 0;
  for (const Pass& p : passes) total += p.stream_cycles;
  return total;
}

int64_t Plan::weight_bits() const {
  int64_t total = 0;
  for (const Pass& p : passes) total += p.weight_bits;
  return total;
}

int64_t Plan::input_bits() const {
  int64_t total = 0;
  for (const Pass& p : passes) total += p.input_bits;
  return total;
}

int64_t Plan::output_bits() const {
  int64_t total = 0;
  for (const Pass& p : passes) total += p.output_bits;
  return total;
}

namespace {

// Bricks B through P column groups at p_a cycles per brick: group g starts one cycle after group
// g - 1 and streams its bricks back to back; plus the weight preload and the reduction of the
// groups' partial sums.
int64_t stream_cycles(int64_t bricks, int groups, int abits) {
  return 1 + (bricks - 1) % groups + ((bricks - 1) / groups + 1) * abits + (groups - 1);
}

}  // namespace

Plan plan_layer(const LayerWorkload& layer, const ArchConfig& config, LayerBits bits) {
  const StripesConfig& c = stripes_config(config);
  if (bits.abits < 1 || bits.abits > c.max_activation_bits || bits.wbits < 1 ||
      bits.wbits > c.weight_bits) {
    throw std::invalid_argument(
        fmt::format("Stripes runs weights of 1..{} and activations of 1..{} bits, not w{}a{}",
                    c.weight_bits, c.max_activation_bits, bits.wbits, bits.abits));
  }
  const int64_t tiles = c.tiles, rows = c.filters_per_tile, cols = c.windows, lanes = c.lanes;
  Plan p;
  p.taps = int64_t(layer.kernel_h) * layer.kernel_w;
  p.windows = int64_t(layer.batch) * layer.out_height * layer.out_width;
  const bool depthwise = layer.kind == LayerKind::kDepthwise;
  const bool fc = layer.kind == LayerKind::kFullyConnected;
  const int64_t block = std::min(rows, lanes);  // depthwise channels per pass
  if (depthwise) {
    p.mapping = Mapping::kLaneDiagonal;
    p.groups = ceil_div(layer.in_channels, block);
    p.in_channels = block;
    p.filters = block;
    p.bricks = p.taps;
    p.filter_sets = 1;
    p.windows_per_pass = cols;
  } else {
    p.mapping = fc ? Mapping::kColumnPipelined : Mapping::kConv;
    p.groups = layer.groups;
    p.in_channels = layer.in_channels / layer.groups;
    p.filters = layer.out_channels / layer.groups;
    p.bricks = p.taps * ceil_div(p.in_channels, lanes);
    p.filter_sets = ceil_div(p.filters, tiles * rows);
    p.windows_per_pass = fc ? std::min(p.windows, cols) : cols;
    if (fc) {
      // As many groups as columns allow, but no more than the activation bits (the weight bus
      // loads one group per cycle) or the bricks there are.
      p.column_groups = int(std::max<int64_t>(
          1, std::min<int64_t>({cols / p.windows_per_pass, bits.abits, p.bricks})));
    }
  }
  p.window_sets = ceil_div(p.windows, p.windows_per_pass);
  const int64_t stream = stream_cycles(p.bricks, p.column_groups, bits.abits);

  // Filter sets in each tile's SB: as many as fit, at most the layer's.
  const int64_t set_bits_per_tile =
      (depthwise ? block : rows) * (depthwise ? 1 : p.in_channels) * p.taps * bits.wbits;
  if (set_bits_per_tile > c.sb_bytes_per_tile * 8) {
    throw InputError(InputLocation{config.file, 0, "stripes.sb_bytes_per_tile", -1},
                     fmt::format("at least {} bytes, so that it holds one filter set's weights ({} "
                                 "filters x {} weights of {} bits) of layer '{}'",
                                 ceil_div(set_bits_per_tile, 8), depthwise ? block : rows,
                                 (depthwise ? 1 : p.in_channels) * p.taps, bits.wbits, layer.name),
                     std::to_string(c.sb_bytes_per_tile));
  }
  p.sb_slots = std::min(p.groups * p.filter_sets, c.sb_bytes_per_tile * 8 / set_bits_per_tile);
  p.inputs_resident = layer.input_elements() * bits.abits <= c.nm_bytes * 8 / 2;

  const int64_t plane = int64_t(layer.out_height) * layer.out_width;
  const int64_t row_bits = int64_t(layer.in_width) * bits.abits;  // one channel's row
  // Resident inputs: the next row not yet loaded, per (group, image).
  std::map<std::pair<int64_t, int64_t>, int64_t> loaded;
  int64_t filter_set_index = 0;
  for (int64_t g = 0; g < p.groups; ++g) {
    const int64_t group_filters =
        depthwise ? std::min(block, layer.in_channels - g * block) : p.filters;
    const int64_t channel_begin = depthwise ? g * block : g * p.in_channels;
    const int64_t channels = depthwise ? group_filters : p.in_channels;
    for (int64_t fs = 0; fs < p.filter_sets; ++fs, ++filter_set_index) {
      for (int64_t ws = 0; ws < p.window_sets; ++ws) {
        Pass pass;
        pass.group = g;
        pass.filter_set = fs;
        pass.first_filter = fs * tiles * rows;
        pass.filters = std::min(tiles * rows, group_filters - pass.first_filter);
        pass.tiles = depthwise ? 1 : int(ceil_div(pass.filters, rows));
        pass.first_window = ws * p.windows_per_pass;
        pass.windows = std::min(p.windows_per_pass, p.windows - pass.first_window);
        pass.stream_cycles = stream;
        pass.load_weights = ws == 0;
        pass.filter_set_index = filter_set_index;
        pass.weight_slot = filter_set_index % p.sb_slots;
        pass.last_of_filter_set = ws + 1 == p.window_sets;
        if (pass.load_weights) {
          pass.weight_bits = pass.filters * (depthwise ? 1 : p.in_channels) * p.taps * bits.wbits;
        }
        // The input rows this pass's windows need, image by image.
        const int64_t last = pass.first_window + pass.windows - 1;
        for (int64_t image = pass.first_window / plane; image <= last / plane; ++image) {
          const int64_t from = std::max(pass.first_window, image * plane) - image * plane;
          const int64_t to = std::min(last, image * plane + plane - 1) - image * plane;
          const int64_t oy_first = from / layer.out_width, oy_last = to / layer.out_width;
          int64_t row_begin = std::max<int64_t>(0, oy_first * layer.stride_h - layer.pad_top);
          const int64_t row_end = std::min<int64_t>(
              layer.in_height, oy_last * layer.stride_h - layer.pad_top + layer.dilated_kernel_h());
          if (p.inputs_resident) {
            if (fs > 0) continue;  // loaded by the group's first filter set
            int64_t& next = loaded[{g, image}];
            row_begin = std::max(row_begin, next);
            next = std::max(next, row_end);
          }
          if (row_end <= row_begin) continue;
          pass.inputs.push_back({image, row_begin, row_end, channel_begin, channels});
          pass.input_bits += (row_end - row_begin) * channels * row_bits;
        }
        if (!p.inputs_resident && pass.input_bits > c.nm_bytes * 8 / 2) {
          throw InputError(InputLocation{config.file, 0, "stripes.nm_bytes", -1},
                           fmt::format("at least {} bytes, so that half of it holds the input "
                                       "rows of {} windows of layer '{}'",
                                       ceil_div(pass.input_bits, 8) * 2, pass.windows, layer.name),
                           std::to_string(c.nm_bytes));
        }
        pass.output_bits = pass.filters * pass.windows * bits.abits;
        p.passes.push_back(std::move(pass));
      }
    }
  }
  return p;
}

std::string describe(const Plan& p) {
  return fmt::format(
      "{}: {} group(s) x {} filter set(s) x {} window set(s) of {}, {} brick(s) per pass{}, "
      "{} filter set(s) in SB at once, inputs {}",
      to_string(p.mapping), p.groups, p.filter_sets, p.window_sets, p.windows_per_pass, p.bricks,
      p.column_groups > 1 ? fmt::format(" over {} column groups", p.column_groups) : "", p.sb_slots,
      p.inputs_resident ? "resident in NM" : "reloaded per pass");
}

}  // namespace haqsim::stripes
