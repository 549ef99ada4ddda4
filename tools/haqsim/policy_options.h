// The options every command that takes a policy shares: --policy FILE, or --bits B, or
// --wbits W --abits A (uniform). Exactly one form may be given; 8/8 when none is.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "models/network.h"
#include "models/policy.h"

namespace haqsim::cli {

struct PolicyOptions {
  std::string file;
  int bits = 0;
  int wbits = 0;
  int abits = 0;

  void add_to(CLI::App& cmd);
  Policy resolve(const Network& network) const;
};

}  // namespace haqsim::cli
