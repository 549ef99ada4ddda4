// What a search must respect: one resource (latency, energy or model size) and its budget, given
// as a ratio of the all-8-bit policy's cost ("0.6") or as an absolute value ("12ms", "3.5mJ",
// "2MB").
#pragma once

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

  // The budget in the constraint's unit.
  double resolve(const PolicyCost& all_8bit) const;
  std::string describe() const;  // "0.6 x 8-bit latency", "12 ms"
};

// `target` is a positive ratio ("0.6") or a value with the constraint's unit ("12ms", "12 ms").
// InputError naming `--target`, what was expected and what was found.
Budget parse_budget(ConstraintKind kind, const std::string& target);

}  // namespace haqsim::search
