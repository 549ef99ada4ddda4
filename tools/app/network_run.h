// Runs every quantizable layer of a network through one cost model at one policy and collects
// the per-layer results into a report. This is the wiring between workloads (models/) and
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
  std::vector<LayerResult> layers;

  int64_t total_cycles() const;
  int64_t total_macs() const;
  double latency_ms() const;
  double energy_mj() const;
  EnergyBreakdown total_energy() const;
  // true: every layer compared and exact; false: some layer differed; null: none compared.
  nlohmann::json bit_exact() const;
};

NetworkRun run_network(LayerCostModel& model, const Network& network, const Policy& policy,
                       Backend backend);

}  // namespace haqsim
