// What a search must respect: one resource (latency, energy or model size) and its budget, given
// as a ratio of the all-8-bit policy's cost ("0.6"), as an absolute value ("12ms", "3.5mJ",
// "2MB"), or as the cost of a fixed-precision baseline ("4bit": the uniform 4-bit policy the
// search compares with, uniform_baseline.h) -- the way the HAQ paper's tables set their budgets,
// measured on the very instance and quantizer the search costs.
#pragma once

#include <functional>
#include <string>

namespace haqsim::search {

enum class ConstraintKind { kLatency, kEnergy, kSize };

const char* to_string(ConstraintKind kind);
const char* unit_of(ConstraintKind kind);  // "ms", "mJ", "MB"
// InputError naming `--constraint` for anything but latency|energy|size.
ConstraintKind parse_constraint(const std::string& text);

// A whole policy's cost on one accelerator instance.
struct PolicyCost {
  double latency_ms = 0;
  double energy_mj = 0;
  double size_mb = 0;  // quantized weights, 10^6 bytes
  double of(ConstraintKind kind) const;
};

struct Budget {
  ConstraintKind kind = ConstraintKind::kLatency;
  bool relative = true;  // `value` is a ratio of the 8-bit cost, else an absolute value
  double value = 1.0;
  int uniform_bits = 0;  // > 0: the cost of the uniform baseline at these bits ("4bit")

  // The budget in the constraint's unit; `uniform_cost(k)` is the cost of the search's uniform
  // k-bit baseline (k = 8 for a ratio: the all-8-bit policy).
  double resolve(const std::function<PolicyCost(int bits)>& uniform_cost) const;
  std::string describe() const;  // "0.6 x 8-bit latency", "12 ms", "fixed 4-bit latency"
};

// `target` is a positive ratio ("0.6"), a value with the constraint's unit ("12ms", "12 ms") or
// a baseline's bits ("4bit", 1 to 8). InputError naming `--target`, what was expected and what
// was found.
Budget parse_budget(ConstraintKind kind, const std::string& target);

}  // namespace haqsim::search
