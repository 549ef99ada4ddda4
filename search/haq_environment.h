// HAQ's environment: an episode walks the quantizable layers in order with two steps per layer,
// first the weight bits and then the activation bits, so the agent sees 2 x L states. Each state
// is HAQ's ten layer features, min-max normalized over the network:
//   layer index, input channels, output channels, stride, kernel size, input feature-map size,
//   #parameters, is-depthwise, is-weight-step, previous action.
// An action a in [0, 1] maps to round((bmax - bmin + 1) a + bmin - 0.5) bits. The first and last
// layers can be pinned at 8 bits (HAQ's default): their steps still happen (so the episode shape
// never changes) but the action is replaced.
#pragma once

#include <functional>
#include <vector>

#include "models/network.h"
#include "models/policy.h"

namespace haqsim::search {

constexpr int kObservationSize = 10;

struct EnvironmentOptions {
  int min_bits = 2;
  int max_bits = 8;
  bool pin_first_last = true;  // first and last layer at pinned_bits
  int pinned_bits = 8;
};

class HaqEnvironment {
 public:
  HaqEnvironment(const Network& network, EnvironmentOptions options);

  int layers() const { return layers_; }
  int steps() const { return 2 * layers_; }
  static int layer_of(int step) { return step / 2; }
  static bool is_weight_step(int step) { return step % 2 == 0; }

  // The state at `step` given the previous step's (effective) action.
  std::vector<float> observation(int step, double previous_action) const;
  int bits_of(double action) const;
  double action_of(int bits) const;  // the centre of the action interval that maps to `bits`
  // Pinned steps return the pinned bits' action; others pass `action` through.
  double effective_action(int step, double action) const;
  bool pinned(int quant_index) const;
  // The policy an episode's 2 x L effective actions describe.
  Policy policy_of(const std::vector<double>& actions) const;
  const EnvironmentOptions& options() const { return options_; }

 private:
  EnvironmentOptions options_;
  int layers_ = 0;
  std::vector<std::array<float, 8>> features_;  // the static features, normalized
};

// HAQ's budget enforcement: while the policy's cost exceeds `budget`, walk layers from last to
// first, lowering activation bits and then weight bits by one (not below min_bits, never a pinned
// layer), re-checking after each change. `layer_cost(i, bits)` is the cost layer i adds; the total
// is kept incrementally, so this makes O(changes) queries.
struct Enforced {
  Policy policy;
  double cost = 0;
  int reductions = 0;
  bool met = false;  // false: even the lowest bits exceed the budget
};
Enforced enforce_budget(const Policy& proposed, double budget, const HaqEnvironment& env,
                        const std::function<double(int, LayerBits)>& layer_cost);

}  // namespace haqsim::search
