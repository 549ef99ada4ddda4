#include "tools/app/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tools/app/csv_field.h"
#include "tools/app/network_run.h"
#include "tools/app/sharded_table.h"

namespace haqsim {

namespace {

using nlohmann::json;

std::string policy_bits(const Policy& policy) {
  std::string out;
  for (const auto& l : policy.layers)
    out += fmt::format("{}{}/{}", out.empty() ? "" : " ", l.wbits, l.abits);
  return out;
}

}  // namespace

// Resource columns come from the accelerator's resource model (every point of a grid is the
// same machine): each resource's estimate, then each one's fraction of the device budget.
std::string sweep_csv_header(const SweepGrid& grid) {
  std::string header = "point";
  for (const auto& p : grid.parameters()) header += "," + csv_field(p.key);
  header += ",total_cycles,latency_ms,energy_mj,utilization,dram_bytes";
  const std::vector<ResourceUse> resources = grid.config_at(0).resources();
  for (const ResourceUse& r : resources) header += "," + r.name;
  for (const ResourceUse& r : resources) header += "," + r.fraction_name;
  return header + ",fits\n";
}

std::string run_sweep_point(const SweepGrid& grid, const SweepSpec& spec, int64_t index) {
  const ArchConfig config = grid.config_at(index);
  NetworkSpec network_spec = spec.network;
  if (network_spec.batch <= 0) network_spec.batch = config.batch;
  Network network;
  if (spec.onnx.empty()) {
    network = build_model(spec.model, network_spec);
  } else {
    OnnxInstance instance = spec.onnx_instance;
    instance.default_batch = network_spec.batch;
    network = import_onnx_network(spec.onnx, instance);
  }
  auto model = make_cost_model(config, spec.backend);
  const NetworkRun run = run_network(*model, network, spec.policy, spec.backend);

  double busy = 0;  // useful work in units of peak-rate cycles
  int64_t dram = 0;
  for (const auto& l : run.layers) {
    busy += l.stats.utilization * double(l.stats.cycles);
    dram += l.stats.dram_read_bytes + l.stats.dram_write_bytes;
  }
  for (const auto& l : run.host_layers) dram += l.stats.dram_read_bytes + l.stats.dram_write_bytes;
  std::string row = std::to_string(index);
  for (const auto& v : grid.values_at(index)) row += "," + csv_field(v);
  row +=
      fmt::format(",{},{:.6f},{:.9f},{:.6f},{}", run.total_cycles(), run.latency_ms(),
                  run.energy_mj(), busy / double(std::max<int64_t>(1, run.total_cycles())), dram);
  const std::vector<ResourceUse> resources = config.resources();
  for (const ResourceUse& r : resources) row += fmt::format(",{:.{}f}", r.used, r.decimals);
  for (const ResourceUse& r : resources) {
    row += r.has_budget() ? fmt::format(",{:.6f}", r.fraction()) : std::string(",");
  }
  const bool fits = config.fits();
  return row + (fits ? ",true\n" : ",false\n");
}

std::vector<int64_t> runnable_sweep_points(const SweepGrid& grid, const SweepSpec& spec,
                                           const Shard& shard) {
  std::vector<int64_t> points;
  for (int64_t p = 0; p < grid.size(); ++p) {
    if (shard.contains(p)) points.push_back(p);
  }
  for (int64_t p : points) {
    auto refuse = [&](const std::string& why) {
      std::string values;
      for (const auto& v : grid.values_at(p)) values += (values.empty() ? "" : " ") + v;
      throw InputError({grid.file(), 0, ""},
                       fmt::format("point {} ({}) cannot run on the {} backend: {}", p, values,
                                   to_string(spec.backend), why));
    };
    try {
      make_cost_model(grid.config_at(p), spec.backend);
    } catch (const InputError& e) {
      refuse(e.expected().empty() ? e.what() : "expected " + e.expected() + ", found " + e.found());
    } catch (const std::invalid_argument& e) {
      refuse(e.what());
    }
    if (spec.backend != Backend::kRtl) break;
  }
  return points;
}

json sweep_identity(const SweepGrid& grid, const SweepSpec& spec) {
  json id = grid_identity(grid);
  id.update({{"model", spec.model},
             {"onnx", spec.onnx.empty() ? json() : json(spec.onnx)},
             {"resolution", spec.network.resolution},
             {"classes", spec.network.classes},
             {"width", spec.network.width},
             {"batch", spec.network.batch > 0 ? json(spec.network.batch) : json("config")},
             {"policy", spec.policy_source},
             {"policy_bits", policy_bits(spec.policy)},
             {"backend", to_string(spec.backend)}});
  return id;
}

void write_sweep(const std::string& dir, const json& identity, const std::string& header,
                 const std::vector<std::pair<int64_t, std::string>>& rows, int64_t total_points,
                 const std::string& shard) {
  write_sharded_table(dir, "sweep", identity, header, rows, total_points, shard);
}

void merge_sweeps(const std::vector<std::string>& dirs, const std::string& out) {
  merge_sharded_tables(dirs, out, "sweep");
}

}  // namespace haqsim
