// What the Python functions take to name a network and a policy, resolved with the library
// functions the CLI's options use (tools/haqsim/network_options.h, policy_options.h), so that a
// call and the equivalent command line build the same network and policy.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/network.h"
#include "models/onnx/onnx_import.h"
#include "models/policy.h"

namespace haqsim::python {

// A zoo model by name, or a user's ONNX file instantiated as `haqsim simulate --onnx` does it:
// a given batch, resolution or classes binds the graph's symbolic dims (and must agree with its
// fixed ones); the batch of `spec` is the one a symbolic batch takes otherwise.
struct NetworkArgument {
  std::string model;
  std::string onnx;
  NetworkSpec spec;       // batch <= 0: 1 (callers that simulate set the config's first)
  OnnxInstance instance;  // what the caller gave for the ONNX graph (0: not given)

  // `info` receives an ONNX file's name, opset and producer (for the report, as the CLI's).
  Network build(OnnxModelInfo* info = nullptr) const;
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
