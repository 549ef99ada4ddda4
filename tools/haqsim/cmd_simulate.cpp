// `haqsim simulate`: one network at one policy on one accelerator instance; prints the per-layer
// table and writes DIR/layers.csv and DIR/summary.json.
#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/onnx/onnx_import.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"
#include "tools/app/network_run.h"
#include "tools/app/quantized_network_run.h"
#include "tools/app/report.h"
#include "tools/app/run_figures.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/network_options.h"
#include "tools/haqsim/policy_options.h"

namespace haqsim::cli {

namespace {

struct SimulateOptions {
  std::string arch;
  std::string model;
  std::string onnx;
  PolicyOptions policy;
  NetworkInstanceOptions network;
  std::string backend = "analytic";
  std::string operands = "random";
  uint64_t seed = 1;
  std::string out;
  bool quiet = false;
  bool verbose = false;
  std::string trace;  // VCD file
  int trace_layer = -1;
  std::string trace_cycles;
};

// "A:B" -> [A, B); "A:" to the end of the layer; ":B" from its start.
TraceRequest parse_trace(const SimulateOptions& o, const Network& network, Backend backend) {
  TraceRequest t;
  t.path = o.trace;
  t.layer = o.trace_layer;
  auto fail = [](const std::string& key, const std::string& expected, const std::string& found) {
    throw InputError({"", 0, key}, expected, found);
  };
  if (backend == Backend::kAnalytic) {
    fail("--trace", "--backend systemc or rtl (the analytic model has no signals)", "analytic");
  }
  if (t.layer < 0 || t.layer >= network.quantizable_count()) {
    fail("--trace-layer",
         fmt::format("a quantizable-layer index in [0, {}] (see layers.csv)",
                     network.quantizable_count() - 1),
         o.trace_layer < 0 ? std::string("none") : std::to_string(o.trace_layer));
  }
  if (!o.trace_cycles.empty()) {
    const std::string& w = o.trace_cycles;
    const size_t colon = w.find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument(w);
      size_t used = 0;
      if (colon > 0) {
        t.begin = std::stoll(w.substr(0, colon), &used);
        if (used != colon) throw std::invalid_argument(w);
      }
      if (colon + 1 < w.size()) {
        t.end = std::stoll(w.substr(colon + 1), &used);
        if (used != w.size() - colon - 1) throw std::invalid_argument(w);
      }
    } catch (const std::logic_error&) {
      fail("--trace-cycles", "A:B (cycles, B exclusive; A: or :B open-ended)", "'" + w + "'");
    }
    if (t.begin < 0 || (t.end >= 0 && t.end <= t.begin)) {
      fail("--trace-cycles", "0 <= A < B", "'" + w + "'");
    }
  }
  return t;
}

int run_simulate(const SimulateOptions& o) {
  require_usable_output(o.out, OutputKind::kDirectory, "--out");
  const ArchConfig config = load_arch_config(o.arch);
  const NetworkSpec spec = o.network.spec(config.batch);
  OnnxModelInfo onnx_info;
  const Network network = o.onnx.empty()
                              ? build_model(o.model, spec)
                              : onnx_network(o.onnx, o.network, config.batch, &onnx_info);
  const Policy policy = o.policy.resolve(network);
  const Backend backend = parse_backend(o.backend);
  ModelOptions options;
  options.seed = o.seed;
  // The VCD is written under a temporary name and renamed into place with the report, so a run
  // that fails after the traced layer leaves no VCD behind; missing directories are created.
  std::optional<StagedOutputFile> trace_file;
  if (!o.trace.empty() || o.trace_layer >= 0 || !o.trace_cycles.empty()) {
    if (o.trace.empty()) {
      throw InputError({"", 0, "--trace"}, "a VCD file with --trace-layer/--trace-cycles", "none");
    }
    TraceRequest trace = parse_trace(o, network, backend);
    trace_file.emplace(o.trace, "--trace");
    trace.path = trace_file->temp_path();
    options.trace = trace;
  }
  auto model = make_cost_model(config, backend, options);
  NetworkRun run;
  if (o.operands == "network") {
    // Seeded synthetic weights, quantized at the policy like a trained model, and one
    // synthetic image per batch entry: real quantized arithmetic end to end at any shape.
    const QuantizedNetwork qnet = make_synthetic_quantized_network(network, policy, o.seed);
    const IntTensor input = make_synthetic_input(qnet, spec.batch, o.seed);
    run = run_quantized_network_on(*model, qnet, input, backend).report;
  } else {
    run = run_network(*model, network, policy, backend);
  }
  if (!o.onnx.empty()) {
    run.model_file = onnx_info.file;
    run.model_opset = onnx_info.opset;
    run.model_producer = onnx_info.producer;
  }
  if (options.trace && options.trace->begin > 0) {
    // A window that opens after the traced layer finished would leave a VCD with a header and
    // no values; say so instead of writing it.
    const int64_t cycles = run.layers[size_t(options.trace->layer)].stats.cycles;
    if (options.trace->begin >= cycles) {
      throw InputError({"", 0, "--trace-cycles"},
                       fmt::format("a window that starts within layer {}'s {} cycles",
                                   options.trace->layer, cycles),
                       "'" + o.trace_cycles + "'");
    }
  }
  for (const std::string& over : exceeded_budgets(run)) {
    fmt::print(stderr, "haqsim: warning: {} does not fit its device: {}\n", config.name, over);
  }
  if (!o.quiet) fmt::print("{}", format_table(run));
  if (o.verbose) {
    for (const auto& l : run.layers) {
      for (const auto& [key, value] : l.stats.details) {
        fmt::print("  [{}] {} {}: {}\n", l.workload.quant_index, l.workload.name, key, value);
      }
    }
  }
  write_report(o.out, run);
  if (trace_file) trace_file->commit();
  if (!o.quiet) fmt::print("wrote {0}/layers.csv and {0}/summary.json\n", o.out);
  if (!o.trace.empty() && !o.quiet) {
    fmt::print("wrote {} (layer {}, {} signals)\n", o.trace, o.trace_layer,
               backend == Backend::kRtl ? "verilated RTL" : "SystemC");
  }
  return 0;
}

}  // namespace

Command add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  auto* cmd = app.add_subcommand(
      "simulate", "Run a network layer by layer on an accelerator and report per-layer timing");
  cmd->add_option("--arch", o->arch, "Accelerator instance (YAML in arch-configs/)")
      ->required()
      ->check(CLI::ExistingFile);
  auto* model = cmd->add_option("--model", o->model, "Network from the zoo (see `haqsim models`)");
  auto* onnx = cmd->add_option("--onnx", o->onnx,
                               "Your own float model as ONNX instead of --model (its input shape "
                               "sets resolution, channels and classes; --batch and --resolution "
                               "bind symbolic dims)")
                   ->check(CLI::ExistingFile);
  model->excludes(onnx);
  o->policy.add_to(*cmd);
  o->network.add_to(*cmd);
  cmd->add_option("--backend", o->backend,
                  "analytic (closed form), systemc (cycle-accurate, behavioural core) or rtl "
                  "(cycle-accurate, verilated core)")
      ->default_val("analytic")
      ->check(CLI::IsMember({"analytic", "systemc", "rtl"}));
  cmd->add_option("--operands", o->operands,
                  "With systemc/rtl: 'random' runs each layer on seeded random operands of its "
                  "shape; 'network' runs the whole quantized network (seeded synthetic weights) "
                  "with the host requantizing each layer's accumulators into the next layer's "
                  "input, checking every layer and the logits against the integer reference")
      ->default_val("random")
      ->check(CLI::IsMember({"random", "network"}));
  cmd->add_option("--seed", o->seed, "Seed of the synthetic operands")->default_val(1);
  cmd->add_option("--out", o->out, "Output directory for layers.csv and summary.json")->required();
  cmd->add_flag("--quiet", o->quiet, "Do not print the table");
  cmd->add_flag("--verbose", o->verbose, "Also print each layer's mapping and tiling");
  cmd->add_option("--trace", o->trace,
                  "Write a VCD of one layer (with --trace-layer): the machine's SystemC signals "
                  "(systemc) or the verilated array's (rtl)");
  cmd->add_option("--trace-layer", o->trace_layer, "Quantizable-layer index to trace");
  cmd->add_option("--trace-cycles", o->trace_cycles,
                  "Cycle window A:B of the layer to keep (B exclusive; default: all)");
  cmd->footer(
      "Policy: 8-bit weights and activations on every layer unless --policy, --bits or "
      "--wbits/--abits is given.\nUnits: lat(ms) milliseconds at the config's clock_mhz; "
      "energy(mJ) millijoules (per layer and total); DRAM(kB) kB (10^3 bytes) read plus "
      "written; MMACs 10^6 multiply-accumulates. layers.csv and summary.json hold "
      "latency_ms, energy_mj and bytes (columns: README, \"Report columns\").");
  return [o, model, onnx] {
    if (model->count() == 0 && onnx->count() == 0) {
      throw InputError(InputLocation{"", 0, "--model", -1}, "--model NAME or --onnx FILE",
                       "neither");
    }
    return run_simulate(*o);
  };
}

}  // namespace haqsim::cli
