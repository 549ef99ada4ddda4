// The fixed-precision baseline a search compares with: every free layer at k bits, the pinned
// first and last layers at their pinned bits. Under a size budget, which counts weights only,
// activations stay at --max-bits (Deep Compression's k-bit weight sharing quantizes weights
// alone). A `--target 4bit` budget is this policy's cost, so the baseline meets the budget it
// sets by construction.
#pragma once

#include "models/policy.h"
#include "search/constraint.h"
#include "search/haq_environment.h"

namespace haqsim::search {

Policy uniform_baseline(const EnvironmentOptions& env, int layers, int bits, ConstraintKind kind);

}  // namespace haqsim::search
