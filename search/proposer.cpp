#include "search/proposer.h"

#include "base/input_error.h"
#include "search/ddpg_proposer.h"
#include "search/evolution_proposer.h"

namespace haqsim::search {

const std::vector<std::string>& known_methods() {
  // uniform and ilp are not proposers: the loop measures the uniform policies itself, and the
  // ILP solves once over measured sensitivities (ilp_search.h).
  static const std::vector<std::string> methods = {"ddpg", "random", "evolution", "ilp", "uniform"};
  return methods;
}

std::unique_ptr<Proposer> make_proposer(const std::string& method, const HaqEnvironment& env,
                                        DdpgAgent& agent, const EvolutionOptions& evolution) {
  if (method == "ddpg") return std::make_unique<DdpgProposer>(env, agent);
  if (method == "random") return std::make_unique<RandomProposer>(env);
  if (method == "evolution") return std::make_unique<EvolutionProposer>(env, evolution);
  throw InputError({"", 0, "--method"}, "ddpg, random or evolution", "'" + method + "'");
}

}  // namespace haqsim::search
