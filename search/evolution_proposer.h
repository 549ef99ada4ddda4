// Evolutionary search in the manner of APQ (Wang et al., CVPR 2020): a population of the best
// budget-meeting policies seen so far; each new policy is a child of tournament-chosen parents
// (uniform crossover layer by layer, weight and activation bits travelling together) with
// per-step mutation to a fresh random action. Children go through the same budget enforcement as
// every method's proposals, so each evaluated policy is feasible. Until the population is full,
// proposals are random (the initial population). Its state is its past outcomes, so a resumed
// search rebuilds it by replay and continues identically.
#pragma once

#include "search/proposer.h"

namespace haqsim::search {

class EvolutionProposer : public Proposer {
 public:
  EvolutionProposer(const HaqEnvironment& env, EvolutionOptions options)
      : env_(env), options_(options) {}
  std::string method() const override { return "evolution"; }
  Proposal ask(int episode, Rng& rng) override;
  void tell(const Proposal& proposal, const Outcome& outcome, int episode, Rng& rng) override;
  void replay(const Outcome& outcome) override;

 private:
  struct Member {
    std::vector<double> actions;  // the enforced policy's bits as action-interval centres
    double accuracy = 0;
  };
  const Member& tournament(Rng& rng) const;
  const HaqEnvironment& env_;
  EvolutionOptions options_;
  std::vector<Member> population_;  // best first
};

}  // namespace haqsim::search
