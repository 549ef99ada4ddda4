// The host, or a vector unit beside the array, that runs the layers the array does not compute
// (pooling, element-wise operations, activation functions, concat and data movement, softmax,
// normalization): the optional `host:` section every arch config may have, parsed once here for
// every machine. Defaults are stated where they are read (host_config.cpp) and in the README.
#pragma once

#include <cstdint>
#include <optional>

#include "base/yaml_input.h"

namespace haqsim {

struct HostConfig {
  double ops_per_cycle = 16;    // elementary operations per accelerator clock cycle
  int element_bits = 8;         // bits of each tensor element it reads and writes
  bool dram_round_trip = true;  // inputs read from and outputs written to DRAM
  int64_t launch_cycles = 100;  // fixed cost per layer: starting it, synchronizing with the array
  double pj_per_op = 0.5;       // energy of one elementary operation
};

// `section` is the config's `host:` mapping, absent for the defaults.
HostConfig parse_host_config(const std::optional<YamlInput>& section);

}  // namespace haqsim
