// What the Python functions take to name a network and a policy, resolved with the library
// functions the CLI's options use (tools/haqsim/network_options.h, policy_options.h), so that a
// call and the equivalent command line build the same network and policy.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/network.h"
#include "models/policy.h"

namespace haqsim::python {

// A zoo model by name, or a user's ONNX file (whose input shape fixes resolution, channels and
// classes; only the batch of `spec` applies to it, as with `haqsim simulate --onnx`).
struct NetworkArgument {
  std::string model;
  std::string onnx;
  NetworkSpec spec;  // batch <= 0: 1 (callers that simulate set the config's first)

  Network build() const;
};

// One of: a policy file; per-layer (wbits, abits) pairs from a haqsim.Policy (with its source);
// uniform wbits/abits; nothing (8/8, as the CLI's default).
struct PolicyArgument {
  std::string file;
  std::vector<std::pair<int, int>> layers;
  std::string source;
  int wbits = 0;
  int abits = 0;

  // InputError when the policy does not fit `network` (layer count, bits out of range).
  Policy resolve(const Network& network) const;
};

}  // namespace haqsim::python
