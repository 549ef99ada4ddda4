#include "tools/app/network_run.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

int64_t NetworkRun::total_cycles() const {
  int64_t total = 0;
  for (const auto& l : layers) total += l.stats.cycles;
  return total;
}

int64_t NetworkRun::total_macs() const {
  int64_t total = 0;
  for (const auto& l : layers) total += l.workload.macs();
  return total;
}

double NetworkRun::latency_ms() const {
  return double(total_cycles()) / (clock_mhz * 1e3);
}

EnergyBreakdown NetworkRun::total_energy() const {
  EnergyBreakdown total;
  for (const auto& l : layers) {
    total.compute_pj += l.stats.energy.compute_pj;
    total.buffer_pj += l.stats.energy.buffer_pj;
    total.dram_pj += l.stats.energy.dram_pj;
    total.static_pj += l.stats.energy.static_pj;
  }
  return total;
}

nlohmann::json NetworkRun::bit_exact() const {
  bool all_compared = !layers.empty(), any_compared = false, all_exact = true;
  for (const auto& l : layers) {
    all_compared &= l.stats.bit_exact.has_value();
    any_compared |= l.stats.bit_exact.has_value();
    if (l.stats.bit_exact) all_exact &= *l.stats.bit_exact;
  }
  if (any_compared && !all_exact) return false;
  if (all_compared) return true;
  return nullptr;
}

double NetworkRun::energy_mj() const {
  return total_energy().total_pj() * 1e-9;
}

NetworkRun run_network(LayerCostModel& model, const Network& network, const Policy& policy,
                       Backend backend) {
  const std::vector<LayerWorkload> workloads = lower_network(network);
  if (policy.layers.size() != workloads.size()) {
    throw std::invalid_argument(fmt::format("policy has {} layers, {} has {}", policy.layers.size(),
                                            network.name, workloads.size()));
  }
  const ArchConfig& config = model.config();
  NetworkRun run;
  run.arch_name = config.name;
  run.arch_file = config.file;
  run.arch_type = config.type;
  run.clock_mhz = config.clock_mhz;
  run.model = network.name;
  run.instance =
      fmt::format("{} at {}x{}x{}, {} classes, width {}, batch {}", network.name,
                  network.spec.resolution, network.spec.resolution, network.spec.in_channels,
                  network.spec.classes, network.spec.width, network.spec.batch);
  run.backend = backend;
  run.resolution = network.spec.resolution;
  run.batch = network.spec.batch;
  run.policy_source = policy.source;
  run.device = config.device_name;
  run.resources = config.resources();
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    LayerResult r{workloads[i], policy.layers[i], {}};
    r.stats = model.evaluate(r.workload, r.bits);
    run.layers.push_back(std::move(r));
  }
  return run;
}

}  // namespace haqsim
