#include "search/uniform_baseline.h"

#include <fmt/format.h>

namespace haqsim::search {

Policy uniform_baseline(const EnvironmentOptions& env, int layers, int bits, ConstraintKind kind) {
  const int abits = kind == ConstraintKind::kSize ? env.max_bits : bits;
  Policy p = Policy::uniform(layers, bits, abits);
  if (env.pin_first_last && layers > 0) {
    p.layers.front() = p.layers.back() = {env.pinned_bits, env.pinned_bits};
  }
  p.source = fmt::format("uniform {}/{}", bits, abits);
  return p;
}

}  // namespace haqsim::search
