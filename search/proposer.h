// The searcher interface (ask/tell): a proposer proposes one policy per episode as HAQ's 2 x L
// actions, the search loop enforces the budget on it, measures its accuracy and cost and tells the
// proposer the result. The loop owns everything else -- budget enforcement, checkpoints and
// resume, progress, finalists and re-ranking, the final fine-tune, every output file -- so a new
// searcher is one proposer file and one line in make_proposer().
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "search/ddpg_agent.h"
#include "search/haq_environment.h"

namespace haqsim::search {

// One episode's 2 x L observations (HAQ's state per step; proposers that do not learn from states
// may leave them empty) and effective actions in [0, 1].
struct Proposal {
  std::vector<std::vector<float>> states;
  std::vector<double> actions;
};

// What the loop measured of a proposal after enforcing the budget on it.
struct Outcome {
  Policy policy;  // as enforced
  double accuracy = 0;
  double reward = 0;  // HAQ's: 0.1 x (accuracy - 8-bit accuracy)
  bool met = false;   // the enforced policy meets the budget
};

class Proposer {
 public:
  virtual ~Proposer() = default;
  // The method's name in --method, comparison.csv and episodes.csv.
  virtual std::string method() const = 0;
  virtual Proposal ask(int episode, Rng& rng) = 0;
  virtual void tell(const Proposal& proposal, const Outcome& outcome, int episode, Rng& rng) = 0;
  // The episode's kind in episodes.csv (DDPG: "warmup" before it learns).
  virtual std::string kind(int episode) const { return method(); }
  virtual double sigma(int /*episode*/) const { return 0; }
  // Learned state beyond what the episode records hold (DDPG's networks and replay). A proposer
  // whose state follows from its past outcomes rebuilds it from replay() on resume instead.
  virtual void save(std::ostream& /*out*/) {}
  virtual void load(std::istream& /*in*/) {}
  // On resume: one of this method's recorded episodes, oldest first (its enforced policy and
  // outcome; the proposal is rebuilt from the policy).
  virtual void replay(const Outcome& /*outcome*/) {}
};

struct EvolutionOptions {
  int population = 20;     // best budget-meeting policies kept as parents
  int tournament = 3;      // parents drawn per tournament
  double mutation = 0.1;   // per-step probability of a fresh random action
  double crossover = 0.5;  // probability a child mixes two parents (else one parent, mutated)
};

// The proposers by method name: ddpg | random | evolution. InputError naming --method for others.
std::unique_ptr<Proposer> make_proposer(const std::string& method, const HaqEnvironment& env,
                                        DdpgAgent& agent, const EvolutionOptions& evolution);

// Every method --method accepts, in the order of the comparison table.
const std::vector<std::string>& known_methods();
// "ddpg,ilp" -> {"ddpg", "ilp"}: known methods, each once, in the given order; InputError naming
// --method otherwise.
std::vector<std::string> parse_methods(const std::string& text);

}  // namespace haqsim::search
