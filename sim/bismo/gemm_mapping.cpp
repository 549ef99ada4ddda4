#include "sim/bismo/gemm_mapping.h"
#include "base/int_math.h"

#include <fmt/format.h>

#include <algorithm>

namespace haqsim {

BismoLayerMapping map_layer_to_bismo(const LayerWorkload& layer, const BismoConfig& config,
                                     BismoMappingKind kind, int wbits) {
  BismoLayerMapping out;
  out.kind = kind;
  out.lhs_bits = wbits;
  const int64_t taps = int64_t(layer.kernel_h) * layer.kernel_w;
  const int64_t channels = layer.groups;  // depthwise
  double real_pairs = double(layer.macs());
  switch (kind) {
    case BismoMappingKind::kGemm:
    case BismoMappingKind::kGrouped:
      out.name = layer.groups > 1 ? "grouped" : "gemm";
      out.gemm = {layer.groups, layer.gemm_m, layer.gemm_k, layer.gemm_n};
      break;
    case BismoMappingKind::kPerChannel:
      out.name = "dw:per_channel";
      out.gemm = {channels, 1, taps, layer.gemm_n};
      break;
    case BismoMappingKind::kBlockDiagonal: {
      out.name = "dw:block_diagonal";
      const int64_t per_tile = std::min<int64_t>(config.dm, channels);
      out.channels_per_instance = per_tile;
      out.gemm = {ceil_div(channels, per_tile), per_tile, per_tile * taps, layer.gemm_n};
      break;
    }
    case BismoMappingKind::kWeightPlanes: {
      out.name = "dw:weight_planes";
      const int64_t per_tile =
          std::min<int64_t>(channels, std::max<int64_t>(1, config.dm / wbits));
      out.channels_per_instance = per_tile;
      out.weight_planes = wbits;
      out.lhs_bits = 1;
      out.lhs_signed = false;
      out.gemm = {ceil_div(channels, per_tile), per_tile * wbits, per_tile * taps, layer.gemm_n};
      real_pairs *= wbits;  // every MAC occupies a row per weight plane
      break;
    }
  }
  // Real operand pairs over the array positions the mapping occupies while computing.
  const BismoGemm& g = out.gemm;
  const double occupied = double(g.count) * ceil_div(g.m, config.dm) * config.dm *
                          ceil_div(g.k, config.dk) * config.dk * ceil_div(g.n, config.dn) *
                          config.dn;
  out.mapping_utilization = real_pairs / occupied;
  return out;
}

std::vector<BismoMappingKind> candidate_mappings(const LayerWorkload& layer,
                                                 const BismoConfig& config) {
  if (layer.kind != LayerKind::kDepthwise) {
    return {layer.groups > 1 ? BismoMappingKind::kGrouped : BismoMappingKind::kGemm};
  }
  switch (config.depthwise_mapping) {
    case BismoDepthwiseMapping::kPerChannel:
      return {BismoMappingKind::kPerChannel};
    case BismoDepthwiseMapping::kBlockDiagonal:
      return {BismoMappingKind::kBlockDiagonal};
    case BismoDepthwiseMapping::kWeightPlanes:
      return {BismoMappingKind::kWeightPlanes};
    case BismoDepthwiseMapping::kAuto:
      break;
  }
  return {BismoMappingKind::kBlockDiagonal, BismoMappingKind::kWeightPlanes,
          BismoMappingKind::kPerChannel};
}

BismoTilePlan plan_bismo_tiles(const BismoGemm& gemm, const BismoConfig& config, int wbits,
                               int abits) {  // wbits: the LHS's planes
  BismoTilePlan p;
  p.k_words = ceil_div(gemm.k, config.dk);
  p.m_tiles = ceil_div(gemm.m, config.dm);
  p.n_tiles = ceil_div(gemm.n, config.dn);
  // Bytes of one m-tile (n-tile) with all of K and all bit planes, as fetched: rows beyond M
  // (columns beyond N) are not fetched; their buffer entries are zero-filled.
  const int64_t lhs_bytes_total = ceil_div(gemm.m * p.k_words * wbits * config.dk, 8);
  const int64_t rhs_bytes_total = ceil_div(gemm.n * p.k_words * abits * config.dk, 8);
  p.result_bytes = gemm.m * gemm.n * 4;

  // Each buffer is split into two regions so fetch fills one while execute reads the other.
  const int64_t lhs_region = config.lhs_depth / 2;
  const int64_t rhs_region = config.rhs_depth / 2;
  const int64_t lhs_words_per_tile = p.k_words * wbits;
  const int64_t rhs_words_per_tile = p.k_words * abits;

  if (lhs_words_per_tile <= lhs_region && rhs_words_per_tile <= rhs_region) {
    p.k_split = false;
    p.k_chunk_words = p.k_words;
    const int64_t m_fit = std::min(p.m_tiles, lhs_region / lhs_words_per_tile);
    const int64_t n_fit = std::min(p.n_tiles, rhs_region / rhs_words_per_tile);
    // Weights outer: weights fetched once, activations once per weight block (once in total
    // when all weights fit). Activations outer: the reverse. The resident (outer) operand keeps
    // the largest blocks, which minimizes re-fetching the other; the streamed (inner) operand's
    // blocks are cut to about an eighth of its tiles, which costs no traffic (it is fetched
    // once per outer block either way) and keeps the first step, which nothing overlaps, short.
    // Take the order with less traffic plus first-step bytes.
    struct Option {
      bool weights_outer;
      int64_t m_per_block, n_per_block, lhs_bytes, rhs_bytes, first_bytes;
    };
    auto option = [&](bool weights_outer) {
      Option o{weights_outer, m_fit, n_fit, 0, 0, 0};
      int64_t& inner = weights_outer ? o.n_per_block : o.m_per_block;
      inner =
          std::min(inner, std::max<int64_t>(1, ceil_div(weights_outer ? p.n_tiles : p.m_tiles, 8)));
      const int64_t m_blocks = ceil_div(p.m_tiles, o.m_per_block);
      const int64_t n_blocks = ceil_div(p.n_tiles, o.n_per_block);
      o.lhs_bytes = weights_outer ? lhs_bytes_total : lhs_bytes_total * n_blocks;
      o.rhs_bytes = weights_outer ? rhs_bytes_total * m_blocks : rhs_bytes_total;
      o.first_bytes =
          ceil_div(std::min(gemm.m, o.m_per_block * config.dm) * p.k_words * wbits * config.dk, 8) +
          ceil_div(std::min(gemm.n, o.n_per_block * config.dn) * p.k_words * abits * config.dk, 8);
      return o;
    };
    const Option w = option(true), a = option(false);
    const Option& best =
        w.lhs_bytes + w.rhs_bytes + w.first_bytes <= a.lhs_bytes + a.rhs_bytes + a.first_bytes ? w
                                                                                               : a;
    p.k_split = false;
    p.k_chunk_words = p.k_words;
    p.weights_outer = best.weights_outer;
    p.m_tiles_per_block = best.m_per_block;
    p.n_tiles_per_block = best.n_per_block;
    p.lhs_fetch_bytes = best.lhs_bytes;
    p.rhs_fetch_bytes = best.rhs_bytes;
    p.steps = ceil_div(p.m_tiles, p.m_tiles_per_block) * ceil_div(p.n_tiles, p.n_tiles_per_block);
  } else {
    // K does not fit: for each (m-tile, n-tile) stream K in chunks through both buffers; the
    // DPU accumulators carry the partial sums across chunks.
    p.k_split = true;
    p.k_chunk_words = std::max<int64_t>(1, std::min(lhs_region / wbits, rhs_region / abits));
    p.m_tiles_per_block = p.n_tiles_per_block = 1;
    p.weights_outer = true;
    p.lhs_fetch_bytes = lhs_bytes_total * p.n_tiles;
    p.rhs_fetch_bytes = rhs_bytes_total * p.m_tiles;
  }
  // The first step's operands: what must arrive before anything can execute.
  p.first_step_lhs_bytes = ceil_div(
      std::min(gemm.m, p.m_tiles_per_block * config.dm) * p.k_chunk_words * wbits * config.dk, 8);
  p.first_step_rhs_bytes = ceil_div(
      std::min(gemm.n, p.n_tiles_per_block * config.dn) * p.k_chunk_words * abits * config.dk, 8);
  const int64_t k_chunks = ceil_div(p.k_words, p.k_chunk_words);
  if (p.k_split) p.steps = p.m_tiles * p.n_tiles * k_chunks;
  p.execute_instructions = p.m_tiles * p.n_tiles * int64_t(wbits) * abits * k_chunks;
  p.execute_stream_cycles = p.m_tiles * p.n_tiles * int64_t(wbits) * abits * p.k_words;
  return p;
}

std::string describe(const BismoTilePlan& p) {
  return fmt::format("k_words={} m_tiles={} n_tiles={} k_split={} k_chunk={} block={}x{} order={}",
                     p.k_words, p.m_tiles, p.n_tiles, p.k_split ? "yes" : "no", p.k_chunk_words,
                     p.m_tiles_per_block, p.n_tiles_per_block,
                     p.weights_outer ? "weights-outer" : "activations-outer");
}

}  // namespace haqsim
