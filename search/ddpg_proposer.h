// HAQ's DDPG agent as a proposer: each step's action comes from the actor with truncated-normal
// exploration (uniform during warm-up); every episode's transitions share its reward and train
// the agent after warm-up.
#pragma once

#include "search/proposer.h"

namespace haqsim::search {

class DdpgProposer : public Proposer {
 public:
  DdpgProposer(const HaqEnvironment& env, DdpgAgent& agent) : env_(env), agent_(agent) {}
  std::string method() const override { return "ddpg"; }
  Proposal ask(int episode, Rng& rng) override;
  void tell(const Proposal& proposal, const Outcome& outcome, int episode, Rng& rng) override;
  std::string kind(int episode) const override;
  double sigma(int episode) const override;
  void save(std::ostream& out) override { agent_.save(out); }
  void load(std::istream& in) override { agent_.load(in); }

 private:
  const HaqEnvironment& env_;
  DdpgAgent& agent_;
};

// Random search: every action uniform in [0, 1], the same enforcement.
class RandomProposer : public Proposer {
 public:
  explicit RandomProposer(const HaqEnvironment& env) : env_(env) {}
  std::string method() const override { return "random"; }
  Proposal ask(int episode, Rng& rng) override;
  void tell(const Proposal&, const Outcome&, int, Rng&) override {}

 private:
  const HaqEnvironment& env_;
};

}  // namespace haqsim::search
