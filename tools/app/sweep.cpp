#include "tools/app/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include "base/atomic_file.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tools/app/csv_field.h"
#include "tools/app/network_run.h"

namespace haqsim {

namespace {

using nlohmann::json;

std::string hash_of(const std::string& text) {
  return fmt::format("{:016x}", std::hash<std::string>{}(text));
}

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
  const Network network = build_model(spec.model, network_spec);
  auto model = make_cost_model(config, spec.backend);
  const NetworkRun run = run_network(*model, network, spec.policy, spec.backend);

  double busy = 0;  // useful work in units of peak-rate cycles
  int64_t dram = 0;
  for (const auto& l : run.layers) {
    busy += l.stats.utilization * double(l.stats.cycles);
    dram += l.stats.dram_read_bytes + l.stats.dram_write_bytes;
  }
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

namespace {

// What a plot needs to know of the resource columns: unit and the device budget.
json resource_columns(const SweepGrid& grid) {
  json out = json::array();
  for (const ResourceUse& r : grid.config_at(0).resources()) {
    out.push_back({{"column", r.name},
                   {"fraction_column", r.fraction_name},
                   {"unit", r.unit},
                   {"budget", r.budget}});
  }
  return out;
}

}  // namespace

json sweep_identity(const SweepGrid& grid, const SweepSpec& spec) {
  json parameters = json::array();
  for (const auto& p : grid.parameters())
    parameters.push_back({{"key", p.key}, {"values", p.values}});
  return {{"grid", grid.file()},
          {"grid_hash", hash_of(grid.grid_text())},
          {"base", grid.base_file()},
          {"base_hash", hash_of(grid.base_text())},
          {"parameters", parameters},
          {"model", spec.model},
          {"resolution", spec.network.resolution},
          {"classes", spec.network.classes},
          {"width", spec.network.width},
          {"batch", spec.network.batch > 0 ? json(spec.network.batch) : json("config")},
          {"policy", spec.policy_source},
          {"policy_bits", policy_bits(spec.policy)},
          {"backend", to_string(spec.backend)},
          {"accelerator", grid.config_at(0).type},
          {"resources", resource_columns(grid)}};
}

void write_sweep(const std::string& dir, const json& identity, const std::string& header,
                 const std::vector<std::pair<int64_t, std::string>>& rows, int64_t total_points,
                 const std::string& shard) {
  auto sorted = rows;
  std::sort(sorted.begin(), sorted.end());
  std::string csv = header;
  json points = json::array();
  for (const auto& [point, row] : sorted) {
    csv += row;
    points.push_back(point);
  }
  json meta = identity;
  meta["total_points"] = total_points;
  meta["shard"] = shard;
  meta["points"] = points;
  meta["columns"] = header.substr(0, header.size() - 1);
  write_file_atomically(dir + "/sweep.csv", csv);
  write_file_atomically(dir + "/sweep.json", meta.dump(2) + "\n");
}

void merge_sweeps(const std::vector<std::string>& dirs, const std::string& out) {
  json identity;
  std::string header, identity_dir;
  int64_t total = -1;
  std::vector<std::pair<int64_t, std::string>> rows;
  std::set<int64_t> seen;
  for (const std::string& dir : dirs) {
    const std::string meta_path = dir + "/sweep.json", csv_path = dir + "/sweep.csv";
    json meta;
    try {
      meta = json::parse(read_whole_file(meta_path));
    } catch (const json::exception& e) {
      throw InputError({meta_path, 0, ""}, "a sweep.json written by haqsim sweep", e.what());
    }
    json id = meta;
    for (const char* k : {"total_points", "shard", "points", "columns", "grid", "base"})
      id.erase(k);
    if (!meta.contains("total_points") || !meta["total_points"].is_number_integer()) {
      throw InputError({meta_path, 0, "total_points"}, "an integer", "none");
    }
    if (identity.is_null()) {
      identity = id;
      identity_dir = dir;
      total = meta["total_points"].get<int64_t>();
    } else if (id != identity || meta["total_points"].get<int64_t>() != total) {
      std::string differs;
      for (const auto& [k, v] : identity.items()) {
        if (!id.contains(k) || id[k] != v) differs += (differs.empty() ? "" : ", ") + k;
      }
      throw InputError({meta_path, 0, differs.empty() ? "total_points" : differs},
                       fmt::format("the same sweep as {}", identity_dir),
                       "a different grid, base config, model, policy or backend");
    }
    std::istringstream csv(read_whole_file(csv_path));
    std::string line;
    std::getline(csv, line);
    if (header.empty()) header = line + "\n";
    if (line + "\n" != header) {
      throw InputError({csv_path, 1, ""}, "the header of " + identity_dir + "/sweep.csv",
                       "'" + line + "'");
    }
    for (int n = 2; std::getline(csv, line); ++n) {
      int64_t point = -1;
      try {
        point = std::stoll(line.substr(0, line.find(',')));
      } catch (const std::exception&) {
      }
      if (point < 0 || point >= total) {
        throw InputError({csv_path, n, "point"}, fmt::format("a point index in [0, {})", total),
                         "'" + line.substr(0, line.find(',')) + "'");
      }
      if (!seen.insert(point).second) {
        throw InputError({csv_path, n, "point"}, "each point in exactly one shard",
                         fmt::format("point {} a second time", point));
      }
      rows.emplace_back(point, line + "\n");
    }
  }
  if (int64_t(seen.size()) != total) {
    std::string missing;
    int listed = 0;
    for (int64_t p = 0; p < total && listed < 10; ++p) {
      if (!seen.count(p)) missing += (listed++ ? ", " : "") + std::to_string(p);
    }
    throw InputError({"", 0, "DIR..."}, fmt::format("shards covering all {} points", total),
                     fmt::format("{} missing (first: {}); is a shard directory missing?",
                                 total - int64_t(seen.size()), missing));
  }
  json full = identity;
  // Paths as the unsharded run recorded them: taken from the first shard.
  const json first = json::parse(read_whole_file(dirs.front() + "/sweep.json"));
  full["grid"] = first["grid"];
  full["base"] = first["base"];
  write_sweep(out, full, header, rows, total, "all");
}

}  // namespace haqsim
