// haqsim's accelerators: the registry table (sim/registry.cpp, one line per machine) and what
// the rest of haqsim does with it -- load an arch config, make a cost model. Tools, the search
// and tests include this header; only sim/registry.cpp includes the machines' own headers.
#pragma once

#include <memory>
#include <string>

#include "base/yaml_input.h"
#include "sim/common/accelerator.h"
#include "sim/common/arch_config.h"
#include "sim/common/cost_model.h"

namespace haqsim {

// Every accelerator this build knows.
const AcceleratorRegistry& accelerators();

// Parses and validates a config file (its `type` names a registered accelerator).
ArchConfig load_arch_config(const std::string& path);
// Parses and validates an already-loaded YAML tree (sweeps patch the tree, then call this).
ArchConfig parse_arch_config(const YamlInput& root, const std::string& content);

// The model of `config` on `backend`, made by the config's accelerator.
std::unique_ptr<LayerCostModel> make_cost_model(const ArchConfig& config, Backend backend,
                                                const ModelOptions& options = {});

}  // namespace haqsim
