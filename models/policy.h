// A quantization policy: per quantizable layer, the weight bits and the activation bits of the
// layer's *input* (HAQ's convention). Read from YAML or JSON, written as YAML.
//
// File format (JSON is the same tree):
//   model: mobilenet_v1          # optional; checked against the network when present
//   layers:
//     - {layer: 0, wbits: 8, abits: 8}        # by quantizable-layer index ...
//     - {name: conv2_dw, wbits: 4, abits: 6}  # ... or by layer name
// Every quantizable layer must appear exactly once.
#pragma once

#include <string>
#include <vector>

#include "models/network.h"

namespace haqsim {

struct LayerBits {
  int wbits = 8;
  int abits = 8;
  bool operator==(const LayerBits& o) const { return wbits == o.wbits && abits == o.abits; }
};

constexpr int kMinBits = 1;
constexpr int kMaxBits = 8;

struct Policy {
  std::vector<LayerBits> layers;  // indexed by quantizable-layer index
  std::string source;             // file it came from, or "uniform w/a"

  static Policy uniform(int layer_count, int wbits, int abits);
  // Throws InputError naming the file, line and entry on any problem.
  static Policy load(const std::string& path, const Network& network);
  static Policy parse(const std::string& text, const std::string& name, const Network& network);
  std::string to_yaml(const Network& network) const;
  bool operator==(const Policy& o) const { return layers == o.layers; }
};

}  // namespace haqsim
