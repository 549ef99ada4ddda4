#include "python/core/network_arguments.h"

#include <fmt/format.h>

#include "base/input_error.h"
#include "models/onnx/onnx_import.h"
#include "models/zoo.h"

namespace haqsim::python {

Network NetworkArgument::build(OnnxModelInfo* info) const {
  if (!model.empty() && !onnx.empty()) {
    throw InputError({"", 0, "onnx"}, "model= or onnx=, not both",
                     fmt::format("model='{}' and onnx='{}'", model, onnx));
  }
  NetworkSpec s = spec;
  if (s.batch <= 0) s.batch = 1;  // a policy's network: the batch changes no layer
  if (onnx.empty()) {
    if (model.empty()) throw InputError({"", 0, "model"}, "model= or onnx=", "neither");
    return build_model(model, s);
  }
  OnnxInstance i = instance;
  i.default_batch = s.batch;
  return import_onnx_network(onnx, i, info);
}

Policy PolicyArgument::resolve(const Network& network) const {
  const int count = network.quantizable_count();
  if (!file.empty()) return Policy::load(file, network);
  if (wbits > 0 || abits > 0) return Policy::uniform(count, wbits, abits);
  if (layers.empty()) return Policy::uniform(count, 8, 8);
  if (int(layers.size()) != count) {
    throw InputError({"", 0, "policy"},
                     fmt::format("{} layers (the quantizable layers of {})", count, network.name),
                     fmt::format("{} layers", layers.size()));
  }
  Policy policy;
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto [w, a] = layers[i];
    for (auto [what, bits] : {std::pair{"wbits", w}, std::pair{"abits", a}}) {
      if (bits < kMinBits || bits > kMaxBits) {
        throw InputError({"", 0, fmt::format("policy[{}].{}", i, what)},
                         fmt::format("bits in [{}, {}]", kMinBits, kMaxBits), std::to_string(bits));
      }
    }
    policy.layers.push_back({w, a});
  }
  policy.source = source.empty() ? "Python haqsim.Policy" : source;
  return policy;
}

}  // namespace haqsim::python
