#include "sim/bismo/bismo_analytic.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "base/int_math.h"
#include "sim/bismo/bismo_config.h"
#include "sim/bismo/bismo_energy.h"
#include "sim/bismo/dpu_array_core.h"
#include "sim/bismo/gemm_mapping.h"

namespace haqsim {

BismoAnalytic::BismoAnalytic(ArchConfig config) : config_(std::move(config)) {
  bismo_config(config_);  // checks it is a BISMO config
}

LayerStats BismoAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const BismoConfig& b = bismo_config(config_);
  const DramConfig& dram = config_.dram;
  const BismoLayerMapping mapping = map_layer_to_bismo(layer, b);
  const BismoTilePlan plan = plan_bismo_tiles(mapping.gemm, b, bits.wbits, bits.abits);
  const int64_t count = mapping.gemm.count;

  // Execute: one cycle per Dk-bit word streamed through the array, a fixed issue overhead per
  // execute instruction (one per tile pair, bit pair and K chunk), and the DPU pipeline drain
  // before each finished tile is written to the result buffer.
  const int64_t tiles = count * plan.m_tiles * plan.n_tiles;
  const int64_t compute = count * (plan.execute_stream_cycles +
                                   plan.execute_instructions * b.instruction_overhead_cycles) +
                          tiles * bismo::kDpuDrainCycles;

  const int64_t read_bytes = count * (plan.lhs_fetch_bytes + plan.rhs_fetch_bytes);
  const int64_t write_bytes = count * plan.result_bytes;
  const int64_t bw = dram.bytes_per_cycle();
  // Fetch hands each step over with a token once its data has arrived, so every step exposes
  // one DRAM read latency on top of its transfer.
  const int64_t fetch_cycles = ceil_div(read_bytes, bw) + count * plan.steps * dram.latency_cycles;
  const int64_t result_cycles = ceil_div(write_bytes, bw);
  // AXI reads and writes use independent channels: each direction has the full port width.
  const int64_t memory = std::max(fetch_cycles, result_cycles);

  // Before the first execute: the first step's operands arrive. After the last: one result tile
  // goes out and is acknowledged. Neither overlaps with anything.
  const int64_t prologue =
      dram.latency_cycles + ceil_div(plan.first_step_lhs_bytes + plan.first_step_rhs_bytes, bw);
  const int64_t epilogue = dram.latency_cycles + ceil_div(int64_t(b.dm) * b.dn * 4, bw);

  LayerStats s;
  s.compute_cycles = compute;
  s.cycles = std::max(compute, memory) + prologue + epilogue;
  s.stall_cycles = s.cycles - compute;
  s.memory_bound = memory > compute;
  s.dram_read_bytes = read_bytes;
  s.dram_write_bytes = write_bytes;
  s.mapping = mapping.name;
  s.mapping_utilization = mapping.mapping_utilization;
  const double useful_binary_ops = 2.0 * layer.macs() * bits.wbits * bits.abits;
  s.utilization = useful_binary_ops / (double(s.cycles) * b.peak_binary_ops_per_cycle());
  s.stages = {
      {"fetch", fetch_cycles, 0, std::max<int64_t>(0, s.cycles - fetch_cycles)},
      {"execute", compute, s.cycles - compute, 0},
      {"result", result_cycles, std::max<int64_t>(0, s.cycles - result_cycles), 0},
  };

  bismo::BismoActivity activity;
  activity.streamed_words = count * plan.execute_stream_cycles;
  activity.lhs_fetch_bytes = count * plan.lhs_fetch_bytes;
  activity.rhs_fetch_bytes = count * plan.rhs_fetch_bytes;
  activity.result_bytes = write_bytes;
  activity.cycles = s.cycles;
  bismo::account_energy(config_, activity, s);

  s.details = {{"gemm", fmt::format("{} x ({}x{}x{})", mapping.gemm.count, mapping.gemm.m,
                                    mapping.gemm.k, mapping.gemm.n)},
               {"tiling", describe(plan)}};
  return s;
}

}  // namespace haqsim
