#include "tools/haqsim/policy_options.h"

#include "base/input_error.h"

namespace haqsim::cli {

void PolicyOptions::add_to(CLI::App& cmd) {
  auto* policy =
      cmd.add_option("--policy", file, "Per-layer policy (YAML or JSON)")->check(CLI::ExistingFile);
  auto* uniform = cmd.add_option("--bits", bits, "Uniform weight and activation bits (1-8)")
                      ->check(CLI::Range(kMinBits, kMaxBits));
  auto* w = cmd.add_option("--wbits", wbits, "Uniform weight bits (1-8), with --abits")
                ->check(CLI::Range(kMinBits, kMaxBits));
  auto* a = cmd.add_option("--abits", abits, "Uniform activation bits (1-8), with --wbits")
                ->check(CLI::Range(kMinBits, kMaxBits));
  policy->excludes(uniform)->excludes(w)->excludes(a);
  uniform->excludes(w)->excludes(a);
  w->needs(a);
  a->needs(w);
}

Policy PolicyOptions::resolve(const Network& network) const {
  if (!file.empty()) return Policy::load(file, network);
  if (bits > 0) return Policy::uniform(network.quantizable_count(), bits, bits);
  if (wbits > 0) return Policy::uniform(network.quantizable_count(), wbits, abits);
  return Policy::uniform(network.quantizable_count(), 8, 8);
}

}  // namespace haqsim::cli
