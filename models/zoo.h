// The model zoo: named network builders. Each builds the layer graph for any input resolution,
// channel count, class count, width multiplier and batch (NetworkSpec).
#pragma once

#include <string>
#include <vector>

#include "models/network.h"

namespace haqsim {

struct ZooEntry {
  std::string name;
  std::string description;
  Network (*build)(const NetworkSpec&);
};

const std::vector<ZooEntry>& model_zoo();

// Builds `name` or throws InputError listing the known names.
Network build_model(const std::string& name, const NetworkSpec& spec);

Network build_mobilenet_v1(const NetworkSpec& spec);
Network build_mobilenet_v2(const NetworkSpec& spec);
Network build_resnet50(const NetworkSpec& spec);

}  // namespace haqsim
