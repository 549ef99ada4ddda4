// `haqsim calibrate`: named parameters of an arch config fitted to per-layer measurements of the
// user's hardware; writes the calibrated config (fitted lines marked) and prints the error before
// and after, Spearman's rho and the worst layers.
#include <fmt/format.h>

#include "base/atomic_file.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tools/app/calibrate.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/network_options.h"

namespace haqsim::cli {

namespace {

struct CalibrateOptions {
  std::string arch, model, measurements, params, out;
  NetworkInstanceOptions network;
  int max_evaluations = 1500;
  int worst = 5;
};

int run_calibrate(const CalibrateOptions& o) {
  require_usable_output(o.out, OutputKind::kFile, "--out");
  const ArchConfig base = load_arch_config(o.arch);
  const NetworkSpec spec = o.network.spec(base.batch);
  const Network network = build_model(o.model, spec);
  const Measurements measurements = read_measurements(o.measurements, network);
  const std::vector<CalibrationParam> params = parse_calibration_params(o.params, base);
  const CalibrationResult result =
      calibrate(base, network, measurements, params, o.max_evaluations);
  fmt::print("{}", format_calibration(result, measurements, o.worst));
  write_file_atomically(o.out, result.calibrated_yaml);
  fmt::print("wrote {}\n", o.out);
  return 0;
}

}  // namespace

Command add_calibrate_command(CLI::App& app) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* cmd = app.add_subcommand(
      "calibrate",
      "Fit config parameters (DRAM latency, instruction overhead, energy coefficients, ...) to "
      "per-layer measurements of your hardware; writes the calibrated config");
  cmd->add_option("--arch", o->arch, "Accelerator instance to start from (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--model", o->model, "Network the measured layers belong to (`haqsim models`)")
      ->required();
  cmd->add_option("--measurements", o->measurements,
                  "CSV: name or layer, wbits, abits, cycles or ms, optionally energy_pj|uj|mj "
                  "(a layers.csv of `haqsim simulate` works)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--params", o->params,
                  "Keys to fit, comma-separated, each optionally with bounds: "
                  "dram.latency_cycles,energy.dpu_pj_per_binary_op=0.1:2 (default bounds: the "
                  "config's value /4 to x4)")
      ->required();
  cmd->add_option("--out", o->out, "Calibrated config to write (YAML)")->required();
  o->network.add_to(*cmd);
  cmd->add_option("--max-evaluations", o->max_evaluations,
                  "Model evaluations of the global search (the local polish adds up to as many)")
      ->default_val(1500)
      ->check(CLI::Range(10, 1000000));
  cmd->add_option("--worst", o->worst, "Worst-fitting layers to list")
      ->default_val(5)
      ->check(CLI::Range(0, 100000));
  return [o] { return run_calibrate(*o); };
}

}  // namespace haqsim::cli
