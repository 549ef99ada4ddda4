// `haqsim verify`: the architect's "do I trust this?" check. Runs chosen layers of a network on
// every backend an instance has -- analytic, systemc, rtl (where the array shape was verilated)
// -- and the integer reference, and reports per layer the cycles of each backend, how far the
// analytic model is from the cycle-accurate one against the tolerance the accelerator declares,
// whether the verilated core gave the behavioural core's cycles and statistics, and whether the
// outputs were bit-exact with the reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/network.h"
#include "models/policy.h"
#include "sim/common/arch_config.h"

namespace haqsim {

struct VerifiedLayer {
  int layer = 0;
  std::string name, kind;
  LayerBits bits;
  int64_t analytic_cycles = 0, systemc_cycles = 0;
  std::optional<int64_t> rtl_cycles;  // empty: no verilated array of this shape in the build
  double analytic_difference = 0;     // analytic / systemc - 1
  bool analytic_within_tolerance = false;
  std::optional<bool> rtl_equals_systemc;  // cycles and every stage statistic and traffic
  bool systemc_bit_exact = false;
  std::optional<bool> rtl_bit_exact;
  bool ok() const;
};

struct VerifyReport {
  std::string arch_file, model;
  double tolerance = 0;
  std::string rtl_note;  // why there is no rtl column, when there is none
  std::vector<VerifiedLayer> layers;
  bool ok() const;
};

// "3,5-7" -> {3, 5, 6, 7}; InputError naming --layers for anything else or an index out of
// [0, count).
std::vector<int> parse_layer_list(const std::string& text, int count);

VerifyReport verify_layers(const ArchConfig& config, const Network& network, const Policy& policy,
                           const std::vector<int>& layers, uint64_t seed);

std::string format_verify_table(const VerifyReport& report);
std::string verify_csv(const VerifyReport& report);

}  // namespace haqsim
