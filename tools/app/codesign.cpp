#include "tools/app/codesign.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "tools/app/csv_field.h"

namespace haqsim {

namespace {

using nlohmann::json;

std::vector<std::string> split_csv_line(const std::string& line) {
  // Every field haqsim writes here is a number, a word or a grid value; csv_field quotes a value
  // only if it holds a comma or quote, which grid values of numeric keys never do.
  std::vector<std::string> cells;
  std::stringstream s(line);
  for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

std::string optional_percent(double v) {
  return v >= 0 ? fmt::format("{:.4f}", v) : "";
}

}  // namespace

std::string codesign_csv_header(const SweepGrid& grid) {
  std::string header = "point";
  for (const auto& p : grid.parameters()) header += "," + csv_field(p.key);
  header += ",shape";
  const std::vector<ResourceUse> resources = grid.config_at(0).resources();
  for (const ResourceUse& r : resources) header += "," + r.name;
  for (const ResourceUse& r : resources) header += "," + r.fraction_name;
  header +=
      ",fits,latency_8bit_ms,energy_8bit_mj,size_8bit_mb,budget,status,method,accuracy_search,"
      "accuracy_valid,accuracy_test,drop_vs_8bit,latency_ms,energy_mj,size_mb,ratio_to_base_8bit,"
      "policy\n";
  return header;
}

std::string codesign_csv_row(const SweepGrid& grid, const CodesignPoint& p) {
  const ArchConfig config = grid.config_at(p.index);
  std::string row = std::to_string(p.index);
  for (const auto& v : grid.values_at(p.index)) row += "," + csv_field(v);
  row += "," + csv_field(config.machine->shape());
  const std::vector<ResourceUse> resources = config.resources();
  for (const ResourceUse& r : resources) row += fmt::format(",{:.{}f}", r.used, r.decimals);
  for (const ResourceUse& r : resources) {
    row += r.has_budget() ? fmt::format(",{:.6f}", r.fraction()) : std::string(",");
  }
  row += config.fits() ? ",true" : ",false";
  row += fmt::format(",{:.6f},{:.9f},{:.6f},{:.9g},{}", p.reference_8bit.latency_ms,
                     p.reference_8bit.energy_mj, p.reference_8bit.size_mb, p.budget, p.status);
  if (p.status != "searched") return row + ",,,,,,,,,,\n";  // the 10 columns from method on
  return row + fmt::format(",{},{},{},{},{:.4f},{:.6f},{:.9f},{:.6f},{:.6f},{}\n", p.method,
                           optional_percent(p.accuracy_search), optional_percent(p.accuracy_valid),
                           optional_percent(p.accuracy_test), p.drop_vs_8bit, p.cost.latency_ms,
                           p.cost.energy_mj, p.cost.size_mb, p.ratio_to_base_8bit, p.policy);
}

std::string codesign_front_csv(const std::string& codesign_csv, const std::string& cost_column) {
  std::istringstream in(codesign_csv);
  std::string header_line;
  std::getline(in, header_line);
  const std::vector<std::string> header = split_csv_line(header_line);
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      throw InputError({"codesign.csv", 1, name}, "a column '" + name + "'", "none");
    }
    return size_t(it - header.begin());
  };
  const size_t status = column("status"), fits = column("fits"), accuracy = column("accuracy_test"),
               cost = column(cost_column);
  std::vector<size_t> fractions;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].size() > 9 && header[i].substr(header[i].size() - 9) == "_fraction") {
      fractions.push_back(i);
    }
  }
  struct Candidate {
    double accuracy, cost, resources;
    std::string line;
  };
  std::vector<Candidate> candidates;
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> cells = split_csv_line(line);
    if (cells.size() != header.size() || cells[status] != "searched" || cells[fits] != "true" ||
        cells[accuracy].empty()) {
      continue;
    }
    double resources = 0;
    for (size_t f : fractions) {
      if (!cells[f].empty()) resources = std::max(resources, std::stod(cells[f]));
    }
    candidates.push_back({std::stod(cells[accuracy]), std::stod(cells[cost]), resources, line});
  }
  std::vector<const Candidate*> front;
  for (const Candidate& c : candidates) {
    const bool dominated = std::any_of(candidates.begin(), candidates.end(), [&](const auto& o) {
      return o.accuracy >= c.accuracy && o.cost <= c.cost && o.resources <= c.resources &&
             (o.accuracy > c.accuracy || o.cost < c.cost || o.resources < c.resources);
    });
    if (!dominated) front.push_back(&c);
  }
  std::stable_sort(front.begin(), front.end(),
                   [](const Candidate* a, const Candidate* b) { return a->cost < b->cost; });
  std::string out = header_line + "\n";
  for (const Candidate* c : front) out += c->line + "\n";
  return out;
}

bool write_codesign_front(const std::string& dir) {
  const json meta = json::parse(read_whole_file(dir + "/codesign.json"));
  if (meta.value("shard", "") != "all") return false;
  const std::string cost_column = meta.at("constraint").get<std::string>() == "energy" ? "energy_mj"
                                  : meta.at("constraint").get<std::string>() == "size"
                                      ? "size_mb"
                                      : "latency_ms";
  write_file_atomically(dir + "/front.csv",
                        codesign_front_csv(read_whole_file(dir + "/codesign.csv"), cost_column));
  return true;
}

}  // namespace haqsim
