#include "search/constraint.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "base/input_error.h"

namespace haqsim::search {

const char* to_string(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kLatency:
      return "latency";
    case ConstraintKind::kEnergy:
      return "energy";
    case ConstraintKind::kSize:
      return "size";
  }
  return "?";
}

const char* unit_of(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kLatency:
      return "ms";
    case ConstraintKind::kEnergy:
      return "mJ";
    case ConstraintKind::kSize:
      return "MB";
  }
  return "?";
}

ConstraintKind parse_constraint(const std::string& text) {
  if (text == "latency") return ConstraintKind::kLatency;
  if (text == "energy") return ConstraintKind::kEnergy;
  if (text == "size") return ConstraintKind::kSize;
  throw InputError(InputLocation{"", 0, "--constraint", -1}, "latency, energy or size",
                   "'" + text + "'");
}

double PolicyCost::of(ConstraintKind kind) const {
  switch (kind) {
    case ConstraintKind::kLatency:
      return latency_ms;
    case ConstraintKind::kEnergy:
      return energy_mj;
    case ConstraintKind::kSize:
      return size_mb;
  }
  return 0;
}

double Budget::resolve(const std::function<PolicyCost(int bits)>& uniform_cost) const {
  if (uniform_bits > 0) return uniform_cost(uniform_bits).of(kind);
  return relative ? value * uniform_cost(8).of(kind) : value;
}

std::string Budget::describe() const {
  if (uniform_bits > 0) return fmt::format("fixed {}-bit {}", uniform_bits, to_string(kind));
  if (relative) return fmt::format("{:g} x 8-bit {}", value, to_string(kind));
  return fmt::format("{:g} {}", value, unit_of(kind));
}

Budget parse_budget(ConstraintKind kind, const std::string& target) {
  Budget budget;
  budget.kind = kind;
  const char* begin = target.c_str();
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  std::string unit(end);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front()))) unit.erase(0, 1);
  const std::string expected = fmt::format(
      "a ratio of the 8-bit {} (e.g. 0.6), a value in {} (e.g. 12{}) or a fixed-precision "
      "baseline's bits (e.g. 4bit)",
      to_string(kind), unit_of(kind), unit_of(kind));
  if (end == begin || !std::isfinite(value) || value <= 0) {
    throw InputError(InputLocation{"", 0, "--target", -1}, expected, "'" + target + "'");
  }
  if (unit == "bit") {
    if (value != std::floor(value) || value < 1 || value > 8) {
      throw InputError(InputLocation{"", 0, "--target", -1},
                       "a baseline of 1 to 8 bits (e.g. 4bit)", "'" + target + "'");
    }
    budget.relative = false;
    budget.uniform_bits = int(value);
    budget.value = 1.0;
    return budget;
  }
  if (unit.empty()) {
    budget.relative = true;
  } else if (unit == unit_of(kind)) {
    budget.relative = false;
  } else {
    throw InputError(
        InputLocation{"", 0, "--target", -1},
        fmt::format("{} (a {} budget is in {})", expected, to_string(kind), unit_of(kind)),
        "'" + target + "'");
  }
  budget.value = value;
  return budget;
}

}  // namespace haqsim::search
