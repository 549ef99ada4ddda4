#include "tools/app/network_run.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/common/host_cost_model.h"

namespace haqsim {

int64_t NetworkRun::array_cycles() const {
  int64_t total = 0;
  for (const auto& l : layers) total += l.stats.cycles;
  return total;
}

int64_t NetworkRun::host_cycles() const {
  int64_t total = 0;
  for (const auto& l : host_layers) total += l.stats.cycles;
  return total;
}

int64_t NetworkRun::total_cycles() const {
  return array_cycles() + host_cycles();
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
  auto add = [&](const LayerStats& s) {
    total.compute_pj += s.energy.compute_pj;
    total.buffer_pj += s.energy.buffer_pj;
    total.dram_pj += s.energy.dram_pj;
    total.static_pj += s.energy.static_pj;
  };
  for (const auto& l : layers) add(l.stats);
  for (const auto& l : host_layers) add(l.stats);
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

std::vector<int> array_layer_indices(const Network& network) {
  std::vector<int> out;
  for (size_t i = 0; i < network.layers.size(); ++i) {
    if (network.layers[i].quantizable()) out.push_back(int(i));
  }
  return out;
}

void add_host_layers(NetworkRun& run, const Network& network, const ArchConfig& config) {
  for (const HostWorkload& w : lower_host_layers(network)) {
    run.host_layers.push_back({w, host_layer_stats(w, config)});
  }
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
  run.instance = fmt::format("{} at {}, {} classes, width {}, batch {}", network.name,
                             network.spec.input_shape(), network.spec.classes, network.spec.width,
                             network.spec.batch);
  run.backend = backend;
  run.resolution = network.spec.resolution;
  run.batch = network.spec.batch;
  run.policy_source = policy.source;
  run.device = config.device_name;
  run.resources = config.resources();
  run.weights = network.total_weights();
  const std::vector<int> indices = array_layer_indices(network);
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    LayerResult r{workloads[i], policy.layers[i], {}, indices[i]};
    r.stats = model.evaluate(r.workload, r.bits);
    run.layers.push_back(std::move(r));
  }
  add_host_layers(run, network, config);
  return run;
}

}  // namespace haqsim
