// The contract suite's view of the registry: which (accelerator, backend) pairs to test, and on
// which instances. Instances are every shipped config (arch-configs/*.yaml) plus the small ones
// in tests/contract/instances/ (the small verilated shapes), grouped by their `type`, so a new
// accelerator is tested by registering it and adding its configs -- nothing here names a machine.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/workload.h"
#include "sim/common/arch_config.h"
#include "sim/common/cost_model.h"

namespace haqsim::contract {

struct Instance {
  std::string file;
  ArchConfig config;
  bool shipped = false;  // from arch-configs/
};

// Every instance of `type`, shipped ones first, each group sorted by file name.
std::vector<Instance> instances_of(const std::string& type);

// The instances of `type` that `backend` can run in this build (for rtl: the verilated shapes).
std::vector<Instance> runnable_instances(const std::string& type, Backend backend);

struct Case {
  std::string type;
  Backend backend;
};
std::string case_name(const ::testing::TestParamInfo<Case>& info);

// Every registered accelerator with each of its backends (rtl where it has verilated shapes).
std::vector<Case> all_cases();
// Only the cycle-accurate ones (systemc, rtl).
std::vector<Case> cycle_accurate_cases();
// Only rtl.
std::vector<Case> rtl_cases();
// Every registered type.
std::vector<std::string> all_types();

// Small layers of every kind the importer produces, sized so that no array shape holds them in one
// tile: standard 3x3 at strides 1 and 2, pointwise, depthwise at strides 1 and 2, a 5x5
// depthwise, grouped, fully connected, batch 2, signed and unsigned inputs.
std::vector<LayerWorkload> contract_layers();

// A few precision pairs spanning 1..8 bits, both operands at either end.
std::vector<LayerBits> contract_bits();

std::string describe(const std::string& file, const LayerWorkload& layer, LayerBits bits);

}  // namespace haqsim::contract
