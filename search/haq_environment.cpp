#include "search/haq_environment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace haqsim::search {

HaqEnvironment::HaqEnvironment(const Network& network, EnvironmentOptions options)
    : options_(options), layers_(network.quantizable_count()) {
  if (options_.min_bits < kMinBits || options_.max_bits > kMaxBits ||
      options_.min_bits > options_.max_bits) {
    throw std::invalid_argument("bit range must satisfy 1 <= min <= max <= 8");
  }
  std::vector<std::array<double, 8>> raw;
  for (int i = 0; i < layers_; ++i) {
    const Layer& l = network.quantizable(i);
    const bool depthwise = l.kind() == LayerKind::kDepthwise;
    raw.push_back({double(i), double(l.in_channels), double(l.out_channels), double(l.stride_h),
                   double(l.kernel_h), double(l.in_height), double(l.weight_count()),
                   depthwise ? 1.0 : 0.0});
  }
  for (int i = 0; i < layers_; ++i) features_.push_back({});
  for (int f = 0; f < 8; ++f) {
    double lo = raw.empty() ? 0 : raw[0][f], hi = lo;
    for (const auto& r : raw) {
      lo = std::min(lo, r[f]);
      hi = std::max(hi, r[f]);
    }
    for (int i = 0; i < layers_; ++i) {
      features_[i][f] = hi > lo ? float((raw[i][f] - lo) / (hi - lo)) : 0.0f;
    }
  }
}

std::vector<float> HaqEnvironment::observation(int step, double previous_action) const {
  const auto& f = features_.at(layer_of(step));
  std::vector<float> s(f.begin(), f.end());
  s.push_back(is_weight_step(step) ? 1.0f : 0.0f);
  s.push_back(float(previous_action));
  return s;
}

int HaqEnvironment::bits_of(double action) const {
  const double a = std::clamp(action, 0.0, 1.0);
  const int span = options_.max_bits - options_.min_bits + 1;
  const int bits = int(std::lround(span * a + options_.min_bits - 0.5));
  return std::clamp(bits, options_.min_bits, options_.max_bits);
}

double HaqEnvironment::action_of(int bits) const {
  const int span = options_.max_bits - options_.min_bits + 1;
  return std::clamp((bits - options_.min_bits + 0.5) / span, 0.0, 1.0);
}

bool HaqEnvironment::pinned(int quant_index) const {
  return options_.pin_first_last && (quant_index == 0 || quant_index == layers_ - 1);
}

double HaqEnvironment::effective_action(int step, double action) const {
  if (!pinned(layer_of(step))) return action;
  // A pinned bit width may lie outside the search range (e.g. 8 with max 6): its action is
  // still the nearest representable one, and policy_of() writes the pinned bits themselves.
  return action_of(std::clamp(options_.pinned_bits, options_.min_bits, options_.max_bits));
}

Policy HaqEnvironment::policy_of(const std::vector<double>& actions) const {
  if (int(actions.size()) != steps()) throw std::invalid_argument("one action per step expected");
  Policy p = Policy::uniform(layers_, 8, 8);
  for (int i = 0; i < layers_; ++i) {
    if (pinned(i)) {
      p.layers[i] = {options_.pinned_bits, options_.pinned_bits};
    } else {
      p.layers[i] = {bits_of(actions[2 * i]), bits_of(actions[2 * i + 1])};
    }
  }
  p.source = "search";
  return p;
}

Enforced enforce_budget(const Policy& proposed, double budget, const HaqEnvironment& env,
                        const std::function<double(int, LayerBits)>& layer_cost) {
  Enforced e;
  e.policy = proposed;
  std::vector<double> per_layer(proposed.layers.size());
  for (size_t i = 0; i < per_layer.size(); ++i) {
    per_layer[i] = layer_cost(int(i), proposed.layers[i]);
    e.cost += per_layer[i];
  }
  const int min_bits = env.options().min_bits;
  // Relative slack so that a policy exactly at the budget (e.g. a ratio of 1) is not pushed down
  // by rounding in the sum.
  const double limit = budget * (1 + 1e-12);
  bool changed = true;
  while (e.cost > limit && changed) {
    changed = false;
    for (int i = int(per_layer.size()) - 1; i >= 0 && e.cost > limit; --i) {
      if (env.pinned(i)) continue;
      LayerBits& b = e.policy.layers[i];
      for (int* bits : {&b.abits, &b.wbits}) {
        if (e.cost <= limit || *bits <= min_bits) continue;
        --*bits;
        ++e.reductions;
        changed = true;
        const double c = layer_cost(i, b);
        e.cost += c - per_layer[i];
        per_layer[i] = c;
      }
    }
  }
  // Recompute the total exactly (the running sum drifts by rounding).
  e.cost = 0;
  for (double c : per_layer) e.cost += c;
  e.met = e.cost <= limit;
  return e;
}

}  // namespace haqsim::search
