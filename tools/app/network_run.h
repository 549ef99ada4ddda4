// Runs every quantizable layer of a network through one cost model at one policy, costs every
// other layer with the declared host model (sim/common/host_cost_model.h), and collects the
// per-layer results into a report. This is the wiring between workloads (models/) and
// hardware (sim/) that `haqsim simulate`, the sweeps and the search share.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/network.h"
#include "models/policy.h"
#include "models/workload.h"
#include "sim/common/cost_model.h"

namespace haqsim {

struct LayerResult {
  LayerWorkload workload;
  LayerBits bits;
  LayerStats stats;
  int network_index = -1;  // in Network::layers, for the network-order report
};

// A layer the host (or vector unit) runs: pooling, element-wise, concat, softmax, ...
struct HostLayerResult {
  HostWorkload workload;
  LayerStats stats;
};

struct NetworkRun {
  std::string arch_name;
  std::string arch_file;
  std::string arch_type;  // the registered accelerator
  double clock_mhz = 0;
  std::string model;
  std::string instance;  // which network instance (resolution, classes, data) the numbers are for
  Backend backend = Backend::kAnalytic;
  int resolution = 0;
  int batch = 0;
  std::string policy_source;
  // "random": seeded random operands per layer; "network": the quantized network end to end.
  std::string operands = "random";
  std::optional<bool> logits_match_reference;  // network operands only
  // The instance's resource estimate against its device's budget (what a sweep's `fits` is of).
  std::string device;
  std::vector<ResourceUse> resources;
  std::vector<LayerResult> layers;           // the array's, in quantizable-layer order
  std::vector<HostLayerResult> host_layers;  // the host's, in network order
  // The model file of an imported network ("" for the zoo's), its opset and producer.
  std::string model_file;
  int64_t model_opset = 0;
  std::string model_producer;
  int64_t weights = 0;  // weight elements of the array layers (excluding biases)

  // Array and host layers run one after another: the total is their sum.
  int64_t total_cycles() const;
  int64_t array_cycles() const;
  int64_t host_cycles() const;
  int64_t total_macs() const;
  double latency_ms() const;
  double energy_mj() const;
  EnergyBreakdown total_energy() const;
  // true: every layer compared and exact; false: some layer differed; null: none compared.
  nlohmann::json bit_exact() const;
};

NetworkRun run_network(LayerCostModel& model, const Network& network, const Policy& policy,
                       Backend backend);

// Network::layers indices of the quantizable layers, in quantizable order.
std::vector<int> array_layer_indices(const Network& network);
// Costs every host layer of `network` with the config's host model into run.host_layers.
void add_host_layers(NetworkRun& run, const Network& network, const ArchConfig& config);

}  // namespace haqsim
