#include "sim/bismo/bismo_analytic.h"

#include <fmt/format.h>

#include "sim/bismo/bismo_config.h"
#include "sim/bismo/bismo_energy.h"
#include "sim/bismo/bismo_timing.h"
#include "sim/bismo/gemm_mapping.h"

namespace haqsim {

BismoAnalytic::BismoAnalytic(ArchConfig config) : config_(std::move(config)) {
  bismo_config(config_);  // checks it is a BISMO config
}

LayerStats BismoAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const BismoConfig& b = bismo_config(config_);
  const BismoLayerMapping mapping = bismo::choose_mapping(layer, bits, config_);
  const BismoTilePlan plan = plan_bismo_tiles(mapping.gemm, b, mapping.lhs_bits, bits.abits);
  const bismo::BismoTiming t = bismo::time_layer(layer, bits, mapping, plan, config_);

  LayerStats s;
  s.cycles = t.cycles;
  s.compute_cycles = t.execute.busy;
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages = {t.fetch, t.execute, t.result};
  s.dram_read_bytes = t.dram_read_bytes();
  s.dram_write_bytes = t.result_bytes;
  s.transfer_cycles = t.transfer_cycles;
  classify_bound(s);
  s.mapping = mapping.name;
  s.mapping_utilization = mapping.mapping_utilization;
  const double useful_binary_ops = 2.0 * layer.macs() * bits.wbits * bits.abits;
  s.utilization = useful_binary_ops / (double(s.cycles) * b.peak_binary_ops_per_cycle());

  bismo::BismoActivity activity;
  activity.streamed_words = t.streamed_words;
  activity.lhs_fetch_bytes = t.lhs_fetch_bytes;
  activity.rhs_fetch_bytes = t.rhs_fetch_bytes;
  activity.result_bytes = t.result_bytes;
  activity.cycles = s.cycles;
  bismo::account_energy(config_, activity, s);

  s.details = {{"gemm", fmt::format("{} x ({}x{}x{})", mapping.gemm.count, mapping.gemm.m,
                                    mapping.gemm.k, mapping.gemm.n)},
               {"tiling", describe(plan)},
               {"dram_contention_cycles", std::to_string(t.dram_contention_cycles)}};
  return s;
}

}  // namespace haqsim
