// A sweep grid: a base accelerator config and lists of values for some of its keys.
//
//   base: bismo-edge.yaml          # relative to the grid file
//   grid:                          # mirrors the config tree; each leaf is a list of values
//     bismo:
//       dm: [4, 8, 16]
//       dk: [64, 128, 256]
//
// Points enumerate like nested loops in the order the parameters appear in the file, the last one
// varying fastest, so point i is the same configuration in every run, shard and process. Every
// value is validated against the base config when the grid is loaded, so a bad grid fails before
// any simulation runs, naming the grid file, line and key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/common/arch_config.h"

namespace haqsim {

struct SweepParameter {
  std::string key;  // dotted path in the arch config ("bismo.dm")
  std::vector<std::string> values;
  std::vector<int> lines;  // line of each value in the grid file
};

class SweepGrid {
 public:
  static SweepGrid load(const std::string& path);

  const std::string& file() const { return file_; }
  const std::string& base_file() const { return base_file_; }
  // Text of the grid and the base config, so a merge can check its shards come from one sweep.
  const std::string& grid_text() const { return grid_text_; }
  const std::string& base_text() const { return base_text_; }
  const std::vector<SweepParameter>& parameters() const { return parameters_; }

  int64_t size() const;
  // Value of each parameter at point `index` (< size()), in parameter order.
  std::vector<std::string> values_at(int64_t index) const;
  // The base config with point `index`'s values; validated.
  ArchConfig config_at(int64_t index) const;

 private:
  ArchConfig config_with(const std::vector<std::string>& values) const;

  std::string file_, base_file_, grid_text_, base_text_;
  std::vector<SweepParameter> parameters_;
};

// The grid's part of a run's identity, which merges compare across shards: grid and base files
// and their content hashes, parameters, accelerator type and resource columns (unit and device
// budget, for plots).
nlohmann::json grid_identity(const SweepGrid& grid);

// A deterministic slice of a sweep: shard `index` of `count` runs points p with p % count == index
// (round-robin, so expensive corners of a grid spread over the shards).
struct Shard {
  int index = 0;
  int count = 1;
  static Shard parse(const std::string& text);  // "I/N", 0 <= I < N; InputError otherwise
  bool contains(int64_t point) const { return point % count == index; }
  std::string to_string() const;
};

}  // namespace haqsim
