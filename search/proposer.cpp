#include "search/proposer.h"

#include <algorithm>

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

std::vector<std::string> parse_methods(const std::string& text) {
  std::string all;
  for (const std::string& m : known_methods()) all += (all.empty() ? "" : ", ") + m;
  std::vector<std::string> methods;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string m = text.substr(start, comma - start);
    const auto& known = known_methods();
    if (std::find(known.begin(), known.end(), m) == known.end()) {
      throw InputError({"", 0, "--method"}, "a comma-separated list of " + all, "'" + m + "'");
    }
    if (std::find(methods.begin(), methods.end(), m) != methods.end()) {
      throw InputError({"", 0, "--method"}, "each method once", "'" + m + "' twice");
    }
    methods.push_back(m);
    start = comma + 1;
  }
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
