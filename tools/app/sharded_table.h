// The files of a run that is split into points and sharded across processes or cluster tasks
// (`haqsim sweep`, `haqsim codesign`): DIR/<stem>.csv with one row per point, sorted by point,
// and DIR/<stem>.json with the run's identity (what makes two shards parts of one run) and which
// points the file holds. Merging shards checks they come from one run and cover every point
// exactly once, and writes what the unsharded run writes, byte for byte.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace haqsim {

// Writes DIR/<stem>.csv (rows sorted by point, each ending in a newline) and DIR/<stem>.json
// atomically. `shard` is "all" for a complete run.
void write_sharded_table(const std::string& dir, const std::string& stem,
                         const nlohmann::json& identity, const std::string& header,
                         const std::vector<std::pair<int64_t, std::string>>& rows,
                         int64_t total_points, const std::string& shard);

// Joins the shard directories into OUT. InputError naming the directory, file and line when a
// shard belongs to another run, a point is missing or repeated.
void merge_sharded_tables(const std::vector<std::string>& dirs, const std::string& out,
                          const std::string& stem);

}  // namespace haqsim
