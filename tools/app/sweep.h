// Sweeps: one network at one policy over every point of a SweepGrid, one row per point in
// DIR/sweep.csv, and the merge of sharded sweeps into the sweep an unsharded run writes.
//
// sweep.csv columns: point, the grid's parameters (their config keys), total_cycles, latency_ms,
// energy_mj, utilization, dram_bytes, then the resource estimate against the config's device
// budget — BISMO: luts, bram36, lut_fraction, bram_fraction; BitFusion: area_mm2, area_fraction —
// and fits (true when every resource is within the budget). DIR/sweep.json describes the sweep
// (grid, base config, model, policy, backend) and which points the file holds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/network.h"
#include "models/onnx/onnx_import.h"
#include "models/policy.h"
#include "sim/common/cost_model.h"
#include "tools/app/sweep_grid.h"

namespace haqsim {

struct SweepSpec {
  std::string model;
  NetworkSpec network;  // batch <= 0: each point's config's batch
  // A user's ONNX model instead of `model`, instantiated at each point's batch unless the
  // instance fixes one.
  std::string onnx;
  OnnxInstance onnx_instance;
  Policy policy;
  std::string policy_source;
  Backend backend = Backend::kAnalytic;
};

// The CSV header of a grid's sweep.csv (with the trailing newline).
std::string sweep_csv_header(const SweepGrid& grid);
// Simulates point `index` and returns its CSV row (with the trailing newline).
std::string run_sweep_point(const SweepGrid& grid, const SweepSpec& spec, int64_t index);

// The points of `shard`, after checking that they can run on spec.backend (the RTL exists only
// for the array shapes verilated into this binary, so with rtl every point is checked): an
// InputError naming the grid file and the point otherwise, before any worker starts.
std::vector<int64_t> runnable_sweep_points(const SweepGrid& grid, const SweepSpec& spec,
                                           const Shard& shard);

// What identifies one sweep, so a merge can refuse shards of different sweeps.
nlohmann::json sweep_identity(const SweepGrid& grid, const SweepSpec& spec);

// Writes DIR/sweep.csv (rows sorted by point) and DIR/sweep.json atomically (sharded_table.h).
// `shard` is "all" for a complete sweep.
void write_sweep(const std::string& dir, const nlohmann::json& identity, const std::string& header,
                 const std::vector<std::pair<int64_t, std::string>>& rows, int64_t total_points,
                 const std::string& shard);

// Joins the shard directories into OUT: every point exactly once, all from one sweep; the result
// is byte-identical to the unsharded sweep. InputError naming the directory otherwise.
void merge_sweeps(const std::vector<std::string>& dirs, const std::string& out);

}  // namespace haqsim
