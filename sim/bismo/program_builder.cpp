#include "sim/bismo/program_builder.h"
#include "base/int_math.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "sim/bismo/bismo_config.h"
#include "sim/bismo/bismo_timing.h"
#include "sim/bismo/bit_planes.h"

namespace haqsim::bismo {

namespace {

// The GEMM operands of instance `gi` as functions of (m, k) and (k, n), undoing the mapping.
class GemmView {
 public:
  GemmView(const LayerJob& job, const BismoLayerMapping& mapping)
      : l_(job.layer), job_(job), mapping_(mapping), g_(mapping.gemm) {
    taps_ = int64_t(l_.kernel_h) * l_.kernel_w;
    icg_ = l_.in_channels / l_.groups;
  }

  // Depthwise: the channel of row m of instance gi (-1 for a padding row).
  int64_t row_channel(int64_t gi, int64_t m) const {
    switch (mapping_.kind) {
      case BismoMappingKind::kPerChannel:
        return gi;
      case BismoMappingKind::kBlockDiagonal:
        return channel_or_none(gi * mapping_.channels_per_instance + m);
      case BismoMappingKind::kWeightPlanes:
        return channel_or_none(gi * mapping_.channels_per_instance + m / mapping_.weight_planes);
      default:
        return -1;
    }
  }

  // LHS row m of instance gi (K values, in the LHS's own bits).
  void weight_row(int64_t gi, int64_t m, int32_t* out) const {
    if (l_.kind != LayerKind::kDepthwise) {
      for (int64_t k = 0; k < g_.k; ++k) out[k] = job_.weights[(gi * g_.m + m) * g_.k + k];
      return;
    }
    std::fill(out, out + g_.k, 0);
    const int64_t c = row_channel(gi, m);
    if (c < 0) return;
    // Block-diagonal mappings: the row's channel owns its K slice; elsewhere zeros.
    const int64_t slice = mapping_.kind == BismoMappingKind::kPerChannel ? 0
                          : mapping_.kind == BismoMappingKind::kWeightPlanes
                              ? m / mapping_.weight_planes
                              : m;
    for (int64_t t = 0; t < taps_; ++t) {
      const int32_t w = job_.weights[c * taps_ + t];
      out[slice * taps_ + t] =
          mapping_.kind == BismoMappingKind::kWeightPlanes
              ? int32_t((uint32_t(w) >> (m % mapping_.weight_planes)) & 1u)  // one plane's bit
              : w;
    }
  }

  // Fills column n of instance gi's im2col matrix (K values).
  void input_column(int64_t gi, int64_t n, int32_t* out) const {
    const int64_t ox = n % l_.out_width;
    const int64_t oy = (n / l_.out_width) % l_.out_height;
    const int64_t b = n / (int64_t(l_.out_width) * l_.out_height);
    int64_t k = 0;
    for (int64_t j = 0; k < g_.k; ++j) {
      int64_t channel;
      if (l_.kind != LayerKind::kDepthwise) {
        channel = gi * icg_ + j;
      } else if (mapping_.kind == BismoMappingKind::kPerChannel) {
        channel = gi;
      } else {
        channel = gi * mapping_.channels_per_instance + j;
      }
      const bool exists = channel < l_.in_channels;
      const int32_t* plane =
          exists ? job_.input.data() + (b * l_.in_channels + channel) * l_.in_height * l_.in_width
                 : nullptr;
      for (int64_t ky = 0; ky < l_.kernel_h; ++ky) {
        const int64_t iy = oy * l_.stride_h - l_.pad_top + ky * l_.dilation_h;
        for (int64_t kx = 0; kx < l_.kernel_w; ++kx, ++k) {
          const int64_t ix = ox * l_.stride_w - l_.pad_left + kx * l_.dilation_w;
          const bool inside = exists && iy >= 0 && iy < l_.in_height && ix >= 0 && ix < l_.in_width;
          out[k] = inside ? plane[iy * l_.in_width + ix] : 0;  // zero padding
        }
      }
    }
  }

 private:
  int64_t channel_or_none(int64_t c) const { return c < l_.out_channels ? c : -1; }

  const LayerWorkload& l_;
  const LayerJob& job_;
  const BismoLayerMapping& mapping_;
  BismoGemm g_;
  int64_t taps_ = 1, icg_ = 1;
};

}  // namespace

LoweredLayer lower_layer_job(const LayerJob& job, const ArchConfig& config, LoweredLayer recycled) {
  const BismoConfig& cfg = bismo_config(config);
  if (cfg.dk % 8 != 0) throw std::invalid_argument("BISMO lowering needs Dk to be a multiple of 8");
  LoweredLayer out = std::move(recycled);
  out.programs.fetch.clear();  // clear() keeps the capacity
  out.programs.execute.clear();
  out.programs.result.clear();
  out.mapping = choose_mapping(job.layer, job.bits, config);
  const BismoGemm& g = out.mapping.gemm;
  const int wb = out.mapping.lhs_bits, ab = job.bits.abits;
  out.plan = plan_bismo_tiles(g, cfg, wb, ab);
  const BismoTilePlan& p = out.plan;
  const GemmView view(job, out.mapping);

  // DRAM image: per instance, LHS rows [plane][word], then RHS columns [plane][word], then the
  // M x N int32 results of every instance.
  const int64_t word_bytes = cfg.dk / 8;
  const int64_t lhs_row_bytes = wb * p.k_words * word_bytes;
  const int64_t rhs_col_bytes = ab * p.k_words * word_bytes;
  out.lhs_bytes = g.count * g.m * lhs_row_bytes;
  out.rhs_bytes = g.count * g.n * rhs_col_bytes;
  const int64_t rhs_base = out.lhs_bytes;
  out.result_base = rhs_base + out.rhs_bytes;
  out.dram.assign(size_t(out.result_base + g.count * g.m * g.n * 4), 0);
  const int64_t plane_bytes = p.k_words * word_bytes;
  std::vector<int32_t> values(size_t(g.k));
  for (int64_t gi = 0; gi < g.count; ++gi) {
    for (int64_t m = 0; m < g.m; ++m) {
      view.weight_row(gi, m, values.data());
      pack_planes(values.data(), g.k, wb, plane_bytes,
                  out.dram.data() + (gi * g.m + m) * lhs_row_bytes);
    }
    for (int64_t n = 0; n < g.n; ++n) {
      view.input_column(gi, n, values.data());
      pack_planes(values.data(), g.k, ab, plane_bytes,
                  out.dram.data() + rhs_base + (gi * g.n + n) * rhs_col_bytes);
    }
  }

  const bool a_signed = job.layer.input_signed;
  const bool lhs_signed = out.mapping.lhs_signed;
  const int64_t lhs_region_words = cfg.lhs_depth / 2, rhs_region_words = cfg.rhs_depth / 2;
  Programs& prog = out.programs;
  const std::vector<Step> steps = plan_steps(g, p);
  // One execute run per tile pair and bit pair (and K chunk), plus a few syncs per tile.
  const int64_t runs = g.count * p.execute_instructions;
  prog.execute.reserve(size_t(runs + 3 * g.count * p.m_tiles * p.n_tiles + 2 * steps.size()));
  prog.result.reserve(size_t(3 * g.count * p.m_tiles * p.n_tiles));
  int64_t tile_counter = 0;
  for (std::size_t si = 0; si < steps.size(); ++si) {
    const Step& s = steps[si];
    const int64_t kc = s.k_word_end - s.k_word_begin;
    const int64_t lhs_tile_words = int64_t(wb) * kc, rhs_tile_words = int64_t(ab) * kc;
    const int64_t lhs_base = s.lhs_region * lhs_region_words;
    const int64_t rhs_region_base = s.rhs_region * rhs_region_words;

    // Fetch: wait until step si-2 released the regions this step overwrites.
    if (si >= 2) prog.fetch.push_back(Sync{false, Channel::kExecuteToFetch});
    if (s.load_lhs) {
      FetchRun run{Operand::kLhs, {}};
      for (int64_t mt = s.m_tile_begin; mt < s.m_tile_end; ++mt) {
        for (int r = 0; r < cfg.dm; ++r) {
          const int64_t m = mt * cfg.dm + r;
          if (m >= g.m) break;
          const int64_t row_byte = (s.instance * g.m + m) * lhs_row_bytes;
          for (int plane = 0; plane < wb; ++plane) {
            run.segments.push_back({row_byte + (plane * p.k_words + s.k_word_begin) * word_bytes, r,
                                    lhs_base + (mt - s.m_tile_begin) * lhs_tile_words + plane * kc,
                                    kc});
          }
        }
      }
      prog.fetch.push_back(std::move(run));
    }
    if (s.load_rhs) {
      FetchRun run{Operand::kRhs, {}};
      for (int64_t nt = s.n_tile_begin; nt < s.n_tile_end; ++nt) {
        for (int c = 0; c < cfg.dn; ++c) {
          const int64_t n = nt * cfg.dn + c;
          if (n >= g.n) break;
          const int64_t col_byte = rhs_base + (s.instance * g.n + n) * rhs_col_bytes;
          for (int plane = 0; plane < ab; ++plane) {
            run.segments.push_back(
                {col_byte + (plane * p.k_words + s.k_word_begin) * word_bytes, c,
                 rhs_region_base + (nt - s.n_tile_begin) * rhs_tile_words + plane * kc, kc});
          }
        }
      }
      prog.fetch.push_back(std::move(run));
    }
    prog.fetch.push_back(Sync{true, Channel::kFetchToExecute});

    // Execute: every tile pair of the step, every bit pair, with shift and sign.
    prog.execute.push_back(Sync{false, Channel::kFetchToExecute});
    for (int64_t mt = s.m_tile_begin; mt < s.m_tile_end; ++mt) {
      for (int64_t nt = s.n_tile_begin; nt < s.n_tile_end; ++nt) {
        for (int i = 0; i < wb; ++i) {
          for (int j = 0; j < ab; ++j) {
            ExecuteRun run;
            run.lhs_word = lhs_base + (mt - s.m_tile_begin) * lhs_tile_words + i * kc;
            run.rhs_word = rhs_region_base + (nt - s.n_tile_begin) * rhs_tile_words + j * kc;
            run.words = kc;
            run.shift = i + j;
            // Two's complement: the top plane of a signed operand weighs -2^(b-1).
            run.negate = (lhs_signed && i == wb - 1) != (a_signed && j == ab - 1);
            run.clear = s.first_chunk && i == 0 && j == 0;
            run.write_result = s.last_chunk && i == wb - 1 && j == ab - 1;
            if (run.write_result) {
              run.result_slot = int(tile_counter % cfg.result_depth);
              if (tile_counter >= cfg.result_depth) {
                prog.execute.push_back(Sync{false, Channel::kResultToExecute});
              }
            }
            prog.execute.push_back(run);
            if (run.write_result) {
              prog.execute.push_back(Sync{true, Channel::kExecuteToResult});
              ResultRun result;
              result.result_slot = run.result_slot;
              result.dram_byte =
                  out.result_base + (s.instance * g.m + mt * cfg.dm) * g.n * 4 + nt * cfg.dn * 4;
              result.row_stride_bytes = g.n * 4;
              result.rows = int(std::min<int64_t>(cfg.dm, g.m - mt * cfg.dm));
              result.cols = int(std::min<int64_t>(cfg.dn, g.n - nt * cfg.dn));
              prog.result.push_back(Sync{false, Channel::kExecuteToResult});
              prog.result.push_back(result);
              prog.result.push_back(Sync{true, Channel::kResultToExecute});
              ++tile_counter;
            }
          }
        }
      }
    }
    prog.execute.push_back(Sync{true, Channel::kExecuteToFetch});
  }
  out.output_tiles = tile_counter;
  return out;
}

std::vector<int32_t> read_back_accumulators(const LoweredLayer& lowered, const LayerJob& job) {
  const LayerWorkload& l = job.layer;
  const BismoLayerMapping& mapping = lowered.mapping;
  const BismoGemm& g = mapping.gemm;
  const GemmView view(job, mapping);
  std::vector<int32_t> out(size_t(l.output_elements()), 0);
  const int64_t pixels = int64_t(l.out_height) * l.out_width;
  const bool depthwise = l.kind == LayerKind::kDepthwise;
  const int planes = mapping.weight_planes;
  for (int64_t gi = 0; gi < g.count; ++gi) {
    for (int64_t m = 0; m < g.m; ++m) {
      const int64_t oc = depthwise ? view.row_channel(gi, m) : gi * g.m + m;
      if (oc < 0) continue;
      // dw:weight_planes: the host adds the channel's plane rows, weighted 2^i (the sign plane
      // -2^(w-1)); 32-bit wraparound like the accumulators.
      const int plane = mapping.kind == BismoMappingKind::kWeightPlanes ? int(m % planes) : -1;
      const uint32_t weight = plane < 0             ? 1u
                              : plane == planes - 1 ? uint32_t(0) - (uint32_t(1) << plane)
                                                    : uint32_t(1) << plane;
      const uint8_t* row = lowered.dram.data() + lowered.result_base + (gi * g.m + m) * g.n * 4;
      for (int64_t n = 0; n < g.n; ++n) {
        int32_t v;
        std::memcpy(&v, row + n * 4, 4);
        const int64_t b = n / pixels, pixel = n % pixels;
        int32_t& dst = out[size_t((b * l.out_channels + oc) * pixels + pixel)];
        dst = int32_t(uint32_t(dst) + uint32_t(v) * weight);
      }
    }
  }
  return out;
}

}  // namespace haqsim::bismo
