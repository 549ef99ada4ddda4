#include "search/ddpg_proposer.h"

namespace haqsim::search {

Proposal DdpgProposer::ask(int episode, Rng& rng) {
  Proposal p;
  double previous = 0;
  for (int step = 0; step < env_.steps(); ++step) {
    std::vector<float> s = env_.observation(step, previous);
    previous = env_.effective_action(step, agent_.explore(s, episode, rng));
    p.states.push_back(std::move(s));
    p.actions.push_back(previous);
  }
  return p;
}

void DdpgProposer::tell(const Proposal& p, const Outcome& outcome, int episode, Rng& rng) {
  for (int t = 0; t < env_.steps(); ++t) {
    const bool last = t + 1 == env_.steps();
    agent_.remember({p.states[size_t(t)], last ? p.states[size_t(t)] : p.states[size_t(t) + 1],
                     float(p.actions[size_t(t)]), float(outcome.reward), last});
    if (agent_.learning(episode)) agent_.update(rng);
  }
}

std::string DdpgProposer::kind(int episode) const {
  return agent_.learning(episode) ? "ddpg" : "warmup";
}

double DdpgProposer::sigma(int episode) const {
  return agent_.learning(episode) ? agent_.sigma_at(episode) : 0;
}

Proposal RandomProposer::ask(int /*episode*/, Rng& rng) {
  // The same draws, in the same order, as before the proposer interface: recorded random
  // searches stay reproducible.
  Proposal p;
  double previous = 0;
  for (int step = 0; step < env_.steps(); ++step) {
    std::vector<float> s = env_.observation(step, previous);
    previous = env_.effective_action(step, std::uniform_real_distribution<double>(0.0, 1.0)(rng));
    p.states.push_back(std::move(s));
    p.actions.push_back(previous);
  }
  return p;
}

}  // namespace haqsim::search
