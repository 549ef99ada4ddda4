// The table of a co-design run (`haqsim codesign`): for every array configuration of a sweep grid,
// the policy a searcher found for it under one budget, and the Pareto front over the
// configurations. The search itself lives in the CLI (it needs the accuracy oracle); this file
// holds what `haqsim merge` and `haqsim report` need without it.
//
// codesign.csv columns: point, the grid's parameters, shape, the resource estimates and their
// fractions of the device budget, fits; the 8-bit policy's latency, energy and size on this
// array; the budget (one absolute value for every point: the grid's base config at 8 bits times
// the target ratio, or the target itself); status; then the chosen policy's method, accuracy on
// the search, held-out validation and test images, its drop against 8-bit on the test images,
// latency, energy, size, its constrained cost as a ratio of the base config's 8-bit cost, and the
// policy itself ("w/a" per layer).
//
// status: searched | does-not-fit (not searched: the array exceeds the device) |
// budget-below-cheapest (even every free layer at --min-bits misses the budget on this array).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/app/sweep_grid.h"

namespace haqsim {

struct CodesignCost {
  double latency_ms = 0, energy_mj = 0, size_mb = 0;
};

struct CodesignPoint {
  int64_t index = 0;
  std::string status;  // searched | does-not-fit | budget-below-cheapest
  CodesignCost reference_8bit;
  double budget = 0;
  // Of the chosen policy (status "searched"):
  std::string method;
  double accuracy_search = -1, accuracy_valid = -1, accuracy_test = -1, drop_vs_8bit = 0;
  CodesignCost cost;
  double ratio_to_base_8bit = 0;
  std::string policy;
};

std::string codesign_csv_header(const SweepGrid& grid);
// The row of point.index (with the trailing newline).
std::string codesign_csv_row(const SweepGrid& grid, const CodesignPoint& point);

// The Pareto front of a complete codesign.csv: searched points that fit, not dominated in
// (test accuracy: higher, the constrained cost `cost_column`: lower, the largest resource
// fraction: lower). Returns front.csv: the same header, the front's rows by increasing cost.
// Why the largest fraction: it is the resource that binds on the device; an FPGA point is
// as expensive as its scarcer resource.
std::string codesign_front_csv(const std::string& codesign_csv, const std::string& cost_column);

// Writes DIR/front.csv from DIR/codesign.csv when it holds every point (after a complete run or
// a merge); returns whether it did.
bool write_codesign_front(const std::string& dir);

}  // namespace haqsim
