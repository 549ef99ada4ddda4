// The zoo, a network's quantizable layers and policies for Python: haqsim.Policy keeps its
// per-layer bits in Python and comes here to read and write files, so a policy file is checked
// and written by the code the CLI uses (models/policy.h).
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "base/atomic_file.h"
#include "base/yaml_input.h"
#include "models/workload.h"
#include "models/zoo.h"
#include "python/core/bindings.h"
#include "python/core/network_arguments.h"

namespace py = pybind11;

namespace haqsim::python {

namespace {

py::list zoo() {
  py::list out;
  for (const ZooEntry& e : model_zoo()) {
    py::dict d;
    d["name"] = e.name;
    d["description"] = e.description;
    out.append(d);
  }
  return out;
}

// One dict per quantizable layer: layer (index), name, kind, shape, macs (with the batch).
py::list quantizable_layers(const NetworkArgument& argument) {
  std::vector<LayerWorkload> workloads;
  {
    py::gil_scoped_release release;
    NetworkArgument a = argument;
    if (a.spec.batch <= 0) a.spec.batch = 1;
    workloads = lower_network(a.build());
  }
  py::list out;
  for (const LayerWorkload& w : workloads) {
    py::dict d;
    d["layer"] = w.quant_index;
    d["name"] = w.name;
    d["kind"] = std::string(to_string(w.kind));
    d["shape"] = w.shape_string();
    d["macs"] = w.macs();
    out.append(d);
  }
  return out;
}

// The `model:` a policy file names, for loading it without saying which network it is for.
std::string policy_file_model(const std::string& path) {
  const YamlInput root = YamlInput::load_file(path);
  if (!root.has("model")) {
    root.fail("model", "a 'model:' key naming the network (or pass model= or onnx=)", "none");
  }
  return root.string("model");
}

py::tuple load_policy(const std::string& path, const NetworkArgument& network) {
  const Policy policy = PolicyArgument{path, {}, "", 0, 0}.resolve(network.build());
  std::vector<std::pair<int, int>> layers;
  for (const LayerBits& b : policy.layers) layers.emplace_back(b.wbits, b.abits);
  return py::make_tuple(layers, policy.source);
}

std::string policy_yaml(const PolicyArgument& policy, const NetworkArgument& network) {
  const Network net = network.build();
  return policy.resolve(net).to_yaml(net);
}

void write_text(const std::string& path, const std::string& text, const std::string& what) {
  require_usable_output(path, OutputKind::kFile, what);
  write_file_atomically(path, text);
}

}  // namespace

void bind_networks(py::module_& m) {
  m.def("zoo", &zoo, "The model zoo: name and description of each network");
  m.def("quantizable_layers", &quantizable_layers, py::arg("network"),
        "The network's quantizable layers in policy order");
  m.def("policy_file_model", &policy_file_model, py::arg("path"));
  m.def("load_policy", &load_policy, py::arg("path"), py::arg("network"),
        "Reads and checks a policy file; returns ([(wbits, abits)...], source)");
  m.def("policy_yaml", &policy_yaml, py::arg("policy"), py::arg("network"),
        "The policy as haqsim writes policy.yaml");
  m.def("write_text", &write_text, py::arg("path"), py::arg("text"), py::arg("what"),
        "Writes a file atomically (whole or not at all)");
}

}  // namespace haqsim::python
