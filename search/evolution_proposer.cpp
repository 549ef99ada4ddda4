#include "search/evolution_proposer.h"

#include <algorithm>

namespace haqsim::search {

const EvolutionProposer::Member& EvolutionProposer::tournament(Rng& rng) const {
  std::uniform_int_distribution<size_t> pick(0, population_.size() - 1);
  size_t best = pick(rng);
  for (int i = 1; i < options_.tournament; ++i) best = std::min(best, pick(rng));  // best first
  return population_[best];
}

Proposal EvolutionProposer::ask(int /*episode*/, Rng& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Proposal p;
  p.actions.resize(size_t(env_.steps()));
  if (int(population_.size()) < options_.population) {
    for (int step = 0; step < env_.steps(); ++step) {
      p.actions[size_t(step)] = env_.effective_action(step, uniform(rng));
    }
    return p;
  }
  const Member& a = tournament(rng);
  const bool cross = uniform(rng) < options_.crossover;
  const Member& b = cross ? tournament(rng) : a;
  bool changed = false;
  for (int layer = 0; layer < env_.layers(); ++layer) {
    const Member& parent = uniform(rng) < 0.5 ? a : b;
    for (int step = 2 * layer; step < 2 * layer + 2; ++step) {
      double action = parent.actions[size_t(step)];
      if (uniform(rng) < options_.mutation) {
        action = uniform(rng);
        changed = true;
      }
      p.actions[size_t(step)] = env_.effective_action(step, action);
    }
  }
  if (!changed && !cross) {
    // A clone of one parent would only re-measure it: mutate one free step.
    std::uniform_int_distribution<int> step_of(0, env_.steps() - 1);
    const int step = step_of(rng);
    p.actions[size_t(step)] = env_.effective_action(step, uniform(rng));
  }
  return p;
}

void EvolutionProposer::tell(const Proposal&, const Outcome& outcome, int, Rng&) {
  replay(outcome);
}

void EvolutionProposer::replay(const Outcome& outcome) {
  if (!outcome.met) return;
  Member m;
  m.accuracy = outcome.accuracy;
  for (int step = 0; step < env_.steps(); ++step) {
    const LayerBits& b = outcome.policy.layers[size_t(HaqEnvironment::layer_of(step))];
    m.actions.push_back(env_.action_of(HaqEnvironment::is_weight_step(step) ? b.wbits : b.abits));
  }
  // Stable: among equal accuracies the earlier member stays ahead.
  const auto at = std::upper_bound(
      population_.begin(), population_.end(), m.accuracy,
      [](double accuracy, const Member& other) { return accuracy > other.accuracy; });
  population_.insert(at, std::move(m));
  if (int(population_.size()) > options_.population) population_.pop_back();
}

}  // namespace haqsim::search
