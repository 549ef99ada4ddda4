// An arch config with some of its keys given other values, the way sweeps and calibration vary
// a base config: keys are dotted paths into the YAML tree ("dram.latency_cycles", "bismo.dm"),
// values are the scalars' text, and the result is parsed and validated like any config.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sim/common/arch_config.h"

namespace haqsim {

std::vector<std::string> split_config_key(const std::string& key);

// The scalar node at `key` in `tree`, or a null node when the path does not exist.
YAML::Node config_key_node(const YAML::Node& tree, const std::string& key);

// Parses `base_text` (loaded from `base_file`) with keys[i] set to values[i]; InputError when
// the result is not a valid config.
ArchConfig config_with_values(const std::string& base_text, const std::string& base_file,
                              const std::vector<std::string>& keys,
                              const std::vector<std::string>& values);

}  // namespace haqsim
