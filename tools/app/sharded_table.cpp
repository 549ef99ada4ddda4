#include "tools/app/sharded_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "base/atomic_file.h"
#include "base/input_error.h"

namespace haqsim {

using nlohmann::json;

void write_sharded_table(const std::string& dir, const std::string& stem, const json& identity,
                         const std::string& header,
                         const std::vector<std::pair<int64_t, std::string>>& rows,
                         int64_t total_points, const std::string& shard) {
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
  write_file_atomically(dir + "/" + stem + ".csv", csv);
  write_file_atomically(dir + "/" + stem + ".json", meta.dump(2) + "\n");
}

void merge_sharded_tables(const std::vector<std::string>& dirs, const std::string& out,
                          const std::string& stem) {
  json identity;
  std::string header, identity_dir;
  int64_t total = -1;
  std::vector<std::pair<int64_t, std::string>> rows;
  std::set<int64_t> seen;
  for (const std::string& dir : dirs) {
    const std::string meta_path = dir + "/" + stem + ".json", csv_path = dir + "/" + stem + ".csv";
    json meta;
    try {
      meta = json::parse(read_whole_file(meta_path));
    } catch (const json::exception& e) {
      throw InputError({meta_path, 0, ""},
                       fmt::format("a {}.json written by haqsim {}", stem, stem), e.what());
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
                       fmt::format("the same {} as {}", stem, identity_dir),
                       "a different grid, base config, model, policy or backend");
    }
    std::istringstream csv(read_whole_file(csv_path));
    std::string line;
    std::getline(csv, line);
    if (header.empty()) header = line + "\n";
    if (line + "\n" != header) {
      throw InputError({csv_path, 1, ""}, "the header of " + identity_dir + "/" + stem + ".csv",
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
  const json first = json::parse(read_whole_file(dirs.front() + "/" + stem + ".json"));
  full["grid"] = first["grid"];
  full["base"] = first["base"];
  write_sharded_table(out, stem, full, header, rows, total, "all");
}

}  // namespace haqsim
