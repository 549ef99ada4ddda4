// BISMO's timing without data and without SystemC: the same fetch / execute / result programs
// the SystemC machine runs (program_builder.h), walked step by step and tile by tile with the
// machine's rules (bismo_machine.h: outstanding fetch requests, a token per step and per result
// slot, the execute stage's per-instruction overhead and drain, DramChannel for every transfer),
// so it gives the machine's cycles at the cost of a loop over tiles. It is the analytic backend
// (bismo_analytic.h) and the mapper's cost: `depthwise_mapping: auto` picks, per layer and
// precision, the mapping this says is cheapest.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/policy.h"
#include "models/workload.h"
#include "sim/bismo/gemm_mapping.h"
#include "sim/common/arch_config.h"
#include "sim/common/layer_stats.h"

namespace haqsim::bismo {

// One fetch-execute step: the tiles whose operands are resident together.
struct Step {
  int64_t instance = 0;
  int64_t m_tile_begin = 0, m_tile_end = 0;
  int64_t n_tile_begin = 0, n_tile_end = 0;
  int64_t k_word_begin = 0, k_word_end = 0;
  bool load_lhs = true, load_rhs = true;
  int lhs_region = 0, rhs_region = 0;
  bool first_chunk = true, last_chunk = true;
};

// The steps of the plan, in the order the programs run them: visited one by one, counted, or
// collected.
void for_each_step(const BismoGemm& gemm, const BismoTilePlan& plan,
                   const std::function<void(const Step&)>& visit);
int64_t step_count(const BismoGemm& gemm, const BismoTilePlan& plan);
std::vector<Step> plan_steps(const BismoGemm& gemm, const BismoTilePlan& plan);

struct BismoTiming {
  int64_t cycles = 0;
  StageStats fetch{"fetch"}, execute{"execute"}, result{"result"};
  int64_t streamed_words = 0;
  int64_t lhs_fetch_bytes = 0, rhs_fetch_bytes = 0, result_bytes = 0;
  int64_t transfer_cycles = 0, dram_contention_cycles = 0;
  int64_t dram_read_bytes() const { return lhs_fetch_bytes + rhs_fetch_bytes; }
};

// The cycles the SystemC machine takes for this layer at this mapping and plan.
BismoTiming time_layer(const LayerWorkload& layer, LayerBits bits, const BismoLayerMapping& mapping,
                       const BismoTilePlan& plan, const ArchConfig& config);

// The mapping a layer runs with: the configured one, or with `depthwise_mapping: auto` the
// candidate with the fewest cycles (ties: less DRAM traffic, then the candidates' order).
BismoLayerMapping choose_mapping(const LayerWorkload& layer, LayerBits bits,
                                 const ArchConfig& config);

}  // namespace haqsim::bismo
