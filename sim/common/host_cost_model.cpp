#include "sim/common/host_cost_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/common/energy_accounting.h"

namespace haqsim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

LayerStats host_layer_stats(const HostWorkload& w, const ArchConfig& config) {
  const HostConfig& h = config.host;
  LayerStats s;
  s.compute_cycles = int64_t(std::ceil(double(w.operations) / h.ops_per_cycle));
  if (h.dram_round_trip) {
    s.dram_read_bytes = ceil_div(w.input_elements * h.element_bits, 8);
    s.dram_write_bytes = ceil_div(w.output_elements * h.element_bits, 8);
    const int64_t per_cycle = std::max<int64_t>(1, config.dram.bytes_per_cycle());
    s.transfer_cycles = ceil_div(std::max(s.dram_read_bytes, s.dram_write_bytes), per_cycle) +
                        config.dram.latency_cycles;
  }
  s.cycles = h.launch_cycles + std::max(s.compute_cycles, s.transfer_cycles);
  s.stall_cycles = s.cycles - s.compute_cycles;
  s.stages.push_back({"host", s.compute_cycles, 0, s.cycles - s.compute_cycles - h.launch_cycles});
  s.utilization = s.cycles > 0 ? double(w.operations) / (double(s.cycles) * h.ops_per_cycle) : 0.0;
  s.mapping_utilization = 1.0;
  s.mapping = "host:" + w.op;
  classify_bound(s);
  s.energy.compute_pj = double(w.operations) * h.pj_per_op;
  add_dram_and_static_energy(config, (s.dram_read_bytes + s.dram_write_bytes) * 8, s.cycles, s);
  s.details.push_back({"host_operations", std::to_string(w.operations)});
  s.details.push_back(
      {"host_elements_in_out", fmt::format("{} / {}", w.input_elements, w.output_elements)});
  return s;
}

}  // namespace haqsim
