// `haqsim verify`: chosen layers of a network on every backend of an instance and the integer
// reference; a table of cycles, differences and bit-exactness, exit code 3 on any disagreement
// beyond what the accelerator declares.
#include <fmt/format.h>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tools/app/verify.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/network_options.h"
#include "tools/haqsim/policy_options.h"

namespace haqsim::cli {

namespace {

struct VerifyOptions {
  std::string arch;
  std::string model;
  PolicyOptions policy;
  std::string layers;
  NetworkInstanceOptions network;
  uint64_t seed = 1;
  std::string out;
  bool quiet = false;
};

int run_verify(const VerifyOptions& o) {
  if (!o.out.empty()) require_usable_output(o.out, OutputKind::kFile, "--out");
  const ArchConfig config = load_arch_config(o.arch);
  const NetworkSpec spec = o.network.spec(config.batch);
  const Network network = build_model(o.model, spec);
  const Policy policy = o.policy.resolve(network);
  const int count = network.quantizable_count();
  std::vector<int> layers;
  if (o.layers.empty()) {
    for (int i = 0; i < count; ++i) layers.push_back(i);
  } else {
    layers = parse_layer_list(o.layers, count);
  }
  const VerifyReport report = verify_layers(config, network, policy, layers, o.seed);
  if (!o.quiet) fmt::print("{}", format_verify_table(report));
  if (!o.out.empty()) write_file_atomically(o.out, verify_csv(report));
  return report.ok() ? 0 : 3;
}

}  // namespace

Command add_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand(
      "verify",
      "Run layers on every backend (analytic, systemc, rtl where built) and the integer reference "
      "and check they agree; exit code 3 when they do not");
  cmd->add_option("--arch", o->arch, "Accelerator instance (YAML in arch-configs/)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--model", o->model, "Network from the zoo (see `haqsim models`)")->required();
  o->policy.add_to(*cmd);
  cmd->add_option("--layers", o->layers,
                  "Quantizable-layer indices to check, e.g. 3,5-7 (default: every layer)");
  o->network.add_to(*cmd);
  cmd->add_option("--seed", o->seed, "Seed of the synthetic operands")->default_val(1);
  cmd->add_option("--out", o->out, "Also write the table as CSV to this file");
  cmd->add_flag("--quiet", o->quiet, "Do not print the table");
  return [o] { return run_verify(*o); };
}

}  // namespace haqsim::cli
