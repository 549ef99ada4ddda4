// haqsim._core.simulate: `haqsim simulate` for Python. It runs the library functions the command
// runs (load the config, build the network, resolve the policy, make the cost model, run every
// layer) and returns the CLI's own outputs as text -- the terminal table, layers.csv and
// summary.json (tools/app/report.h) -- so a DataFrame built from them has exactly the columns
// and values of the files, and writes those files too when `out` is given.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/quant/quantized_network.h"
#include "python/core/bindings.h"
#include "python/core/network_arguments.h"
#include "sim/registry.h"
#include "tools/app/config_patch.h"
#include "tools/app/network_run.h"
#include "tools/app/quantized_network_run.h"
#include "tools/app/report.h"

namespace py = pybind11;

namespace haqsim::python {

namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

// The config file with some keys given other values, as a sweep point would have them; each
// override is checked on its own so that a bad one is named.
ArchConfig load_arch(const std::string& arch, const Overrides& overrides) {
  ArchConfig config = load_arch_config(arch);
  if (overrides.empty()) return config;
  const YAML::Node tree = YAML::Load(config.content);
  std::vector<std::string> keys, values;
  std::string applied;
  for (const auto& [key, value] : overrides) {
    const YAML::Node node = config_key_node(tree, key);
    if (!node || !node.IsScalar()) {
      throw InputError({arch, 0, key}, "a scalar key of the config to override",
                       node ? "a mapping or sequence" : "no such key");
    }
    keys.push_back(key);
    values.push_back(value);
    try {
      config = config_with_values(config.content, arch, {key}, {value});
    } catch (const InputError& e) {
      throw InputError({"", 0, fmt::format("config['{}']", key)},
                       fmt::format("a value {} accepts for '{}' ({})", arch, key, e.expected()),
                       value);
    }
    applied += fmt::format("{}{}={}", applied.empty() ? "" : ", ", key, value);
  }
  config.name += " [" + applied + "]";
  return config;
}

py::dict simulate(const std::string& arch, const Overrides& overrides,
                  const NetworkArgument& network_argument, const PolicyArgument& policy_argument,
                  const std::string& backend_name, const std::string& operands, uint64_t seed,
                  const std::string& out) {
  std::string table, csv, summary;
  {
    py::gil_scoped_release release;  // simulations take seconds; let other threads run
    if (!out.empty()) require_usable_output(out, OutputKind::kDirectory, "out");
    if (operands != "random" && operands != "network") {
      throw InputError({"", 0, "operands"}, "'random' or 'network'", "'" + operands + "'");
    }
    const ArchConfig config = load_arch(arch, overrides);
    NetworkArgument with_batch = network_argument;
    if (with_batch.spec.batch <= 0) with_batch.spec.batch = config.batch;
    OnnxModelInfo onnx_info;
    const Network network = with_batch.build(&onnx_info);
    const Policy policy = policy_argument.resolve(network);
    const Backend backend = parse_backend(backend_name);
    ModelOptions options;
    options.seed = seed;
    auto model = make_cost_model(config, backend, options);
    NetworkRun run;
    if (operands == "network") {
      const QuantizedNetwork qnet = make_synthetic_quantized_network(network, policy, seed);
      const IntTensor input = make_synthetic_input(qnet, network.spec.batch, seed);
      run = run_quantized_network_on(*model, qnet, input, backend).report;
    } else {
      run = run_network(*model, network, policy, backend);
    }
    if (!network_argument.onnx.empty()) {
      run.model_file = onnx_info.file;
      run.model_opset = onnx_info.opset;
      run.model_producer = onnx_info.producer;
    }
    table = format_table(run);
    csv = to_csv(run);
    summary = to_summary_json(run);
    if (!out.empty()) write_report(out, run);
  }
  py::dict result;
  result["table"] = table;
  result["csv"] = csv;
  result["summary"] = summary;
  return result;
}

}  // namespace

void bind_simulate(py::module_& m) {
  // resolution, classes, width, batch: 0 = not given (a zoo network takes 224, 1000, 1.0 and the
  // config's batch; an ONNX graph its own dims).
  py::class_<NetworkArgument>(m, "NetworkArgument")
      .def(py::init([](const std::string& model, const std::string& onnx, int resolution,
                       int classes, double width, int batch) {
             NetworkArgument a;
             a.model = model;
             a.onnx = onnx;
             if (!onnx.empty() && width > 0) {
               throw InputError({"", 0, "width"},
                                "no width= with onnx= (an imported model's layer widths are its "
                                "weights')",
                                fmt::format("{}", width));
             }
             if (resolution > 0) a.spec.resolution = resolution;
             if (classes > 0) a.spec.classes = classes;
             if (width > 0) a.spec.width = width;
             a.spec.batch = batch;
             a.instance.resolution = resolution;
             a.instance.classes = classes;
             a.instance.batch = batch;
             return a;
           }),
           py::arg("model") = "", py::arg("onnx") = "", py::arg("resolution") = 0,
           py::arg("classes") = 0, py::arg("width") = 0.0, py::arg("batch") = 0);
  py::class_<PolicyArgument>(m, "PolicyArgument")
      .def(py::init([](const std::string& file, const std::vector<std::pair<int, int>>& layers,
                       const std::string& source, int wbits, int abits) {
             return PolicyArgument{file, layers, source, wbits, abits};
           }),
           py::arg("file") = "", py::arg("layers") = std::vector<std::pair<int, int>>{},
           py::arg("source") = "", py::arg("wbits") = 0, py::arg("abits") = 0);
  m.def("simulate", &simulate, py::arg("arch"), py::arg("overrides"), py::arg("network"),
        py::arg("policy"), py::arg("backend"), py::arg("operands"), py::arg("seed"), py::arg("out"),
        "Runs a network on an accelerator instance; returns the table, layers.csv and "
        "summary.json texts");
}

}  // namespace haqsim::python
