#include "sim/bismo/bismo_timing.h"

#include <algorithm>
#include <deque>

#include "base/int_math.h"
#include "sim/bismo/bismo_config.h"
#include "sim/bismo/dpu_array_core.h"
#include "sim/common/dram_channel.h"

namespace haqsim::bismo {

int64_t step_count(const BismoGemm& g, const BismoTilePlan& p) {
  if (p.k_split) return g.count * p.m_tiles * p.n_tiles * ceil_div(p.k_words, p.k_chunk_words);
  return g.count * ceil_div(p.m_tiles, p.m_tiles_per_block) *
         ceil_div(p.n_tiles, p.n_tiles_per_block);
}

void for_each_step(const BismoGemm& g, const BismoTilePlan& p,
                   const std::function<void(const Step&)>& visit) {
  int lhs_loads = 0, rhs_loads = 0;
  auto push = [&](Step s) {
    s.lhs_region = s.load_lhs ? (lhs_loads++ % 2) : (lhs_loads - 1) % 2;
    s.rhs_region = s.load_rhs ? (rhs_loads++ % 2) : (rhs_loads - 1) % 2;
    visit(s);
  };
  for (int64_t gi = 0; gi < g.count; ++gi) {
    if (p.k_split) {
      const int64_t chunks = ceil_div(p.k_words, p.k_chunk_words);
      for (int64_t mt = 0; mt < p.m_tiles; ++mt) {
        for (int64_t nt = 0; nt < p.n_tiles; ++nt) {
          for (int64_t c = 0; c < chunks; ++c) {
            Step s;
            s.instance = gi;
            s.m_tile_begin = mt, s.m_tile_end = mt + 1;
            s.n_tile_begin = nt, s.n_tile_end = nt + 1;
            s.k_word_begin = c * p.k_chunk_words;
            s.k_word_end = std::min(p.k_words, s.k_word_begin + p.k_chunk_words);
            s.first_chunk = c == 0;
            s.last_chunk = c == chunks - 1;
            push(s);
          }
        }
      }
      continue;
    }
    const int64_t m_blocks = ceil_div(p.m_tiles, p.m_tiles_per_block);
    const int64_t n_blocks = ceil_div(p.n_tiles, p.n_tiles_per_block);
    const int64_t outer_blocks = p.weights_outer ? m_blocks : n_blocks;
    const int64_t inner_blocks = p.weights_outer ? n_blocks : m_blocks;
    for (int64_t ob = 0; ob < outer_blocks; ++ob) {
      for (int64_t ib = 0; ib < inner_blocks; ++ib) {
        const int64_t mb = p.weights_outer ? ob : ib, nb = p.weights_outer ? ib : ob;
        Step s;
        s.instance = gi;
        s.m_tile_begin = mb * p.m_tiles_per_block;
        s.m_tile_end = std::min(p.m_tiles, s.m_tile_begin + p.m_tiles_per_block);
        s.n_tile_begin = nb * p.n_tiles_per_block;
        s.n_tile_end = std::min(p.n_tiles, s.n_tile_begin + p.n_tiles_per_block);
        s.k_word_begin = 0;
        s.k_word_end = p.k_words;
        // The outer operand stays resident across the inner loop.
        s.load_lhs = p.weights_outer ? ib == 0 : true;
        s.load_rhs = p.weights_outer ? true : ib == 0;
        push(s);
      }
    }
  }
}

std::vector<Step> plan_steps(const BismoGemm& g, const BismoTilePlan& p) {
  std::vector<Step> steps;
  steps.reserve(size_t(step_count(g, p)));
  for_each_step(g, p, [&](const Step& s) { steps.push_back(s); });
  return steps;
}

BismoTiming time_layer(const LayerWorkload& layer, LayerBits bits, const BismoLayerMapping& mapping,
                       const BismoTilePlan& plan, const ArchConfig& config) {
  const BismoConfig& b = bismo_config(config);
  const BismoGemm& g = mapping.gemm;
  const int64_t word_bytes = b.dk / 8;
  const int64_t runs_per_tile = int64_t(mapping.lhs_bits) * bits.abits;
  const int64_t overhead = b.instruction_overhead_cycles;
  DramChannel dram(config.dram);
  BismoTiming t;

  // Stage clocks and the token times each stage sends (FIFO order = program order).
  int64_t fetch = 0, data_arrived = 0, exec = 0, result = 0, last_ack = 0;
  int64_t step_released[2] = {0, 0};  // execute -> fetch, of the last two steps (si % 2)
  std::deque<int64_t> slot_freed;     // result -> execute, one per written tile
  int64_t tiles_written = 0;

  auto receive = [](int64_t& local, int64_t token, StageStats& stats) {
    if (token > local) {
      stats.wait_token += token - local;
      local = token;
    }
  };

  // Visited, not stored: a layer's steps can number in the hundreds of thousands, and the
  // analytic model (and the mapping choice, which times every candidate) runs per query.
  int64_t si = 0;
  for_each_step(g, plan, [&](const Step& s) {
    const int64_t kc = s.k_word_end - s.k_word_begin;

    // Fetch: wait until step si - 2 released the regions, issue the requests (one cycle each,
    // kept outstanding), and hand over once the data has arrived.
    if (si >= 2) receive(fetch, step_released[si % 2], t.fetch);
    auto fetch_run = [&](int64_t rows_or_cols, int planes, int64_t& counted) {
      const DramTransfer tr = dram.request_uniform(fetch, rows_or_cols * planes, kc * word_bytes,
                                                   /*write=*/false);
      t.fetch.busy += tr.done_cycle - tr.data_start;
      data_arrived = std::max(data_arrived, tr.done_cycle);
      counted += rows_or_cols * planes * kc * word_bytes;
      fetch += 1;
    };
    if (s.load_lhs) {
      const int64_t rows =
          std::min(g.m, s.m_tile_end * int64_t(b.dm)) - s.m_tile_begin * int64_t(b.dm);
      fetch_run(rows, mapping.lhs_bits, t.lhs_fetch_bytes);
    }
    if (s.load_rhs) {
      const int64_t cols =
          std::min(g.n, s.n_tile_end * int64_t(b.dn)) - s.n_tile_begin * int64_t(b.dn);
      fetch_run(cols, bits.abits, t.rhs_fetch_bytes);
    }
    if (data_arrived > fetch) {
      t.fetch.wait_memory += data_arrived - fetch;
      fetch = data_arrived;
    }
    const int64_t step_ready = fetch;

    // Execute: every tile pair, every bit pair; the last run of a tile's last chunk waits for a
    // free result slot and drains the DPU pipeline before the tile is handed to the result
    // stage, which writes it out and frees the slot.
    receive(exec, step_ready, t.execute);
    const int64_t run_cycles = overhead + kc;
    for (int64_t mt = s.m_tile_begin; mt < s.m_tile_end; ++mt) {
      for (int64_t nt = s.n_tile_begin; nt < s.n_tile_end; ++nt) {
        t.streamed_words += runs_per_tile * kc;
        if (!s.last_chunk) {
          exec += runs_per_tile * run_cycles;
          t.execute.busy += runs_per_tile * run_cycles;
          continue;
        }
        exec += (runs_per_tile - 1) * run_cycles;
        t.execute.busy += (runs_per_tile - 1) * run_cycles;
        if (tiles_written >= b.result_depth) {
          receive(exec, slot_freed.front(), t.execute);
          slot_freed.pop_front();
        }
        exec += run_cycles + kDpuDrainCycles;
        t.execute.busy += run_cycles + kDpuDrainCycles;
        ++tiles_written;

        receive(result, exec, t.result);
        const int64_t rows = std::min<int64_t>(b.dm, g.m - mt * b.dm);
        const int64_t cols = std::min<int64_t>(b.dn, g.n - nt * b.dn);
        const DramTransfer tr = dram.request_uniform(result, rows, cols * 4, /*write=*/true);
        t.result.wait_memory += tr.data_start - result;
        t.result.busy += tr.done_cycle - tr.data_start;
        t.result_bytes += rows * cols * 4;
        result = tr.done_cycle;
        last_ack = std::max(last_ack, tr.ack_cycle);
        slot_freed.push_back(result);
      }
    }
    step_released[si % 2] = exec;
    ++si;
  });
  result = std::max(result, last_ack);
  t.cycles = std::max({fetch, exec, result});
  t.transfer_cycles = dram.transfer_cycles();
  t.dram_contention_cycles = dram.contention_cycles();
  (void)layer;
  return t;
}

BismoLayerMapping choose_mapping(const LayerWorkload& layer, LayerBits bits,
                                 const ArchConfig& config) {
  const BismoConfig& b = bismo_config(config);
  const std::vector<BismoMappingKind> candidates = candidate_mappings(layer, b);
  BismoLayerMapping best;
  int64_t best_cycles = -1, best_bytes = 0;
  for (BismoMappingKind kind : candidates) {
    BismoLayerMapping m = map_layer_to_bismo(layer, b, kind, bits.wbits);
    if (candidates.size() == 1) return m;
    const BismoTilePlan plan = plan_bismo_tiles(m.gemm, b, m.lhs_bits, bits.abits);
    const BismoTiming timing = time_layer(layer, bits, m, plan, config);
    const int64_t bytes = timing.dram_read_bytes() + timing.result_bytes;
    if (best_cycles < 0 || timing.cycles < best_cycles ||
        (timing.cycles == best_cycles && bytes < best_bytes)) {
      best = m;
      best_cycles = timing.cycles;
      best_bytes = bytes;
    }
  }
  return best;
}

}  // namespace haqsim::bismo
