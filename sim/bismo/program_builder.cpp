#include "sim/bismo/program_builder.h"

#include <algorithm>
#include <stdexcept>

#include "sim/bismo/bismo_config.h"

namespace haqsim::bismo {

LayerLowering::LayerLowering(const LayerJob& job, const ArchConfig& config)
    : cfg_(bismo_config(config)),
      mapping_(choose_mapping(job.layer, job.bits, config)),
      abits_(job.bits.abits),
      a_signed_(job.layer.input_signed) {
  if (cfg_.dk % 8 != 0)
    throw std::invalid_argument("BISMO lowering needs Dk to be a multiple of 8");
  const BismoGemm& g = mapping_.gemm;
  plan_ = plan_bismo_tiles(g, cfg_, mapping_.lhs_bits, abits_);
  LayerDramLayout& d = layout_;
  d.word_bytes = cfg_.dk / 8;
  d.plane_bytes = plan_.k_words * d.word_bytes;
  d.lhs_row_bytes = mapping_.lhs_bits * d.plane_bytes;
  d.rhs_col_bytes = abits_ * d.plane_bytes;
  d.rhs_base = g.count * g.m * d.lhs_row_bytes;
  d.result_base = d.rhs_base + g.count * g.n * d.rhs_col_bytes;
  d.end = d.result_base + g.count * g.m * g.n * 4;

  steps_ = plan_steps(g, plan_);
  first_tile_.reserve(steps_.size());
  for (const Step& s : steps_) {
    first_tile_.push_back(output_tiles_);
    if (s.last_chunk) {
      output_tiles_ += (s.m_tile_end - s.m_tile_begin) * (s.n_tile_end - s.n_tile_begin);
    }
  }
}

int64_t LayerLowering::sends(Channel channel) const {
  switch (channel) {
    case Channel::kFetchToExecute:
    case Channel::kExecuteToFetch:
      return step_count();  // one hand-over each way per step
    case Channel::kExecuteToResult:
    case Channel::kResultToExecute:
      return output_tiles_;  // one per result tile each way
  }
  return 0;
}

void LayerLowering::append_fetch(int64_t si, std::vector<FetchInstruction>& out) const {
  const Step& s = steps_[size_t(si)];
  const BismoGemm& g = mapping_.gemm;
  const LayerDramLayout& d = layout_;
  const int wb = mapping_.lhs_bits;
  const int64_t kc = s.k_word_end - s.k_word_begin;
  const int64_t lhs_base = s.lhs_region * (cfg_.lhs_depth / 2);
  const int64_t rhs_region_base = s.rhs_region * (cfg_.rhs_depth / 2);
  // Wait until step si-2 released the regions this step overwrites.
  if (si >= 2) out.push_back(Sync{false, Channel::kExecuteToFetch});
  if (s.load_lhs) {
    FetchRun run{Operand::kLhs, {}};
    for (int64_t mt = s.m_tile_begin; mt < s.m_tile_end; ++mt) {
      for (int r = 0; r < cfg_.dm; ++r) {
        const int64_t m = mt * cfg_.dm + r;
        if (m >= g.m) break;
        const int64_t row_byte = (s.instance * g.m + m) * d.lhs_row_bytes;
        for (int plane = 0; plane < wb; ++plane) {
          run.segments.push_back(
              {row_byte + (plane * plan_.k_words + s.k_word_begin) * d.word_bytes, r,
               lhs_base + (mt - s.m_tile_begin) * wb * kc + plane * kc, kc});
        }
      }
    }
    out.push_back(std::move(run));
  }
  if (s.load_rhs) {
    FetchRun run{Operand::kRhs, {}};
    for (int64_t nt = s.n_tile_begin; nt < s.n_tile_end; ++nt) {
      for (int c = 0; c < cfg_.dn; ++c) {
        const int64_t n = nt * cfg_.dn + c;
        if (n >= g.n) break;
        const int64_t col_byte = d.rhs_base + (s.instance * g.n + n) * d.rhs_col_bytes;
        for (int plane = 0; plane < abits_; ++plane) {
          run.segments.push_back(
              {col_byte + (plane * plan_.k_words + s.k_word_begin) * d.word_bytes, c,
               rhs_region_base + (nt - s.n_tile_begin) * abits_ * kc + plane * kc, kc});
        }
      }
    }
    out.push_back(std::move(run));
  }
  out.push_back(Sync{true, Channel::kFetchToExecute});
}

void LayerLowering::append_execute(int64_t si, std::vector<ExecuteInstruction>& out) const {
  const Step& s = steps_[size_t(si)];
  const int wb = mapping_.lhs_bits, ab = abits_;
  const int64_t kc = s.k_word_end - s.k_word_begin;
  const int64_t lhs_base = s.lhs_region * (cfg_.lhs_depth / 2);
  const int64_t rhs_region_base = s.rhs_region * (cfg_.rhs_depth / 2);
  int64_t tile = first_tile_[size_t(si)];
  // Every tile pair of the step, every bit pair, with shift and sign.
  out.push_back(Sync{false, Channel::kFetchToExecute});
  for (int64_t mt = s.m_tile_begin; mt < s.m_tile_end; ++mt) {
    for (int64_t nt = s.n_tile_begin; nt < s.n_tile_end; ++nt) {
      for (int i = 0; i < wb; ++i) {
        for (int j = 0; j < ab; ++j) {
          ExecuteRun run;
          run.lhs_word = lhs_base + (mt - s.m_tile_begin) * wb * kc + i * kc;
          run.rhs_word = rhs_region_base + (nt - s.n_tile_begin) * ab * kc + j * kc;
          run.words = kc;
          run.shift = i + j;
          // Two's complement: the top plane of a signed operand weighs -2^(b-1).
          run.negate = (mapping_.lhs_signed && i == wb - 1) != (a_signed_ && j == ab - 1);
          run.clear = s.first_chunk && i == 0 && j == 0;
          run.write_result = s.last_chunk && i == wb - 1 && j == ab - 1;
          if (run.write_result) {
            run.result_slot = int(tile % cfg_.result_depth);
            if (tile >= cfg_.result_depth) out.push_back(Sync{false, Channel::kResultToExecute});
          }
          out.push_back(run);
          if (run.write_result) {
            out.push_back(Sync{true, Channel::kExecuteToResult});
            ++tile;
          }
        }
      }
    }
  }
  out.push_back(Sync{true, Channel::kExecuteToFetch});
}

void LayerLowering::append_result(int64_t si, std::vector<ResultInstruction>& out) const {
  const Step& s = steps_[size_t(si)];
  if (!s.last_chunk) return;  // the tiles' partial sums stay in the accumulators
  int64_t tile = first_tile_[size_t(si)];
  for (int64_t mt = s.m_tile_begin; mt < s.m_tile_end; ++mt) {
    for (int64_t nt = s.n_tile_begin; nt < s.n_tile_end; ++nt) {
      out.push_back(Sync{false, Channel::kExecuteToResult});
      out.push_back(result_run(s, mt, nt, tile++));
      out.push_back(Sync{true, Channel::kResultToExecute});
    }
  }
}

ResultRun LayerLowering::result_run(const Step& s, int64_t mt, int64_t nt, int64_t tile) const {
  const BismoGemm& g = mapping_.gemm;
  ResultRun result;
  result.result_slot = int(tile % cfg_.result_depth);
  result.dram_byte =
      layout_.result_base + (s.instance * g.m + mt * cfg_.dm) * g.n * 4 + nt * cfg_.dn * 4;
  result.row_stride_bytes = g.n * 4;
  result.rows = int(std::min<int64_t>(cfg_.dm, g.m - mt * cfg_.dm));
  result.cols = int(std::min<int64_t>(cfg_.dn, g.n - nt * cfg_.dn));
  return result;
}

}  // namespace haqsim::bismo
