#include "search/ilp_search.h"

#include <glpk.h>

#include <memory>
#include <stdexcept>

namespace haqsim::search {

namespace {

double pair_sensitivity(const BitSensitivity& s, const HaqEnvironment& env, int l, LayerBits b) {
  if (env.pinned(l)) return 0.0;
  return std::max(0.0, s.weight[size_t(l)][size_t(b.wbits - 1)]) +
         std::max(0.0, s.activation[size_t(l)][size_t(b.abits - 1)]);
}

// The measured sensitivities cannot tell many allocations apart (a drop of 0 at several widths),
// and the ILP then picks the cheapest of the tied pairs, leaving budget unused. This pass spends
// what is left: layer by layer, the pair with the most bits that is no more sensitive than the
// chosen one and whose extra cost still fits. The objective never gets worse.
void spend_slack(Policy& policy, const BitSensitivity& s, const HaqEnvironment& env,
                 const std::function<double(int, LayerBits)>& layer_cost, double budget) {
  const EnvironmentOptions& o = env.options();
  double total = 0;
  for (int l = 0; l < env.layers(); ++l) total += layer_cost(l, policy.layers[size_t(l)]);
  for (int l = 0; l < env.layers(); ++l) {
    if (env.pinned(l)) continue;
    const LayerBits chosen = policy.layers[size_t(l)];
    LayerBits best = chosen;
    for (int w = o.min_bits; w <= o.max_bits; ++w) {
      for (int a = o.min_bits; a <= o.max_bits; ++a) {
        const LayerBits b{w, a};
        const double extra = layer_cost(l, b) - layer_cost(l, chosen);
        if (w + a > best.wbits + best.abits &&
            pair_sensitivity(s, env, l, b) <= pair_sensitivity(s, env, l, chosen) &&
            total + extra <= budget) {
          best = b;
        }
      }
    }
    total += layer_cost(l, best) - layer_cost(l, chosen);
    policy.layers[size_t(l)] = best;
  }
}

std::optional<IlpSolution> solve_once(const BitSensitivity& sensitivity,
                                      const std::function<double(int, LayerBits)>& layer_cost,
                                      double budget, double row_bound, const HaqEnvironment& env) {
  const int layers = env.layers();
  const EnvironmentOptions& o = env.options();
  std::unique_ptr<glp_prob, decltype(&glp_delete_prob)> lp(glp_create_prob(), glp_delete_prob);
  glp_set_obj_dir(lp.get(), GLP_MIN);
  // Rows 1..L: exactly one bit pair per layer; row L+1: the budget.
  glp_add_rows(lp.get(), layers + 1);
  for (int l = 0; l < layers; ++l) glp_set_row_bnds(lp.get(), l + 1, GLP_FX, 1.0, 1.0);
  glp_set_row_bnds(lp.get(), layers + 1, GLP_UP, 0.0, row_bound);

  struct Column {
    int layer;
    LayerBits bits;
  };
  std::vector<Column> columns;
  std::vector<int> ia = {0}, ja = {0};
  std::vector<double> ar = {0};
  for (int l = 0; l < layers; ++l) {
    std::vector<LayerBits> pairs;
    if (env.pinned(l)) {
      pairs.push_back({o.pinned_bits, o.pinned_bits});
    } else {
      for (int w = o.min_bits; w <= o.max_bits; ++w) {
        for (int a = o.min_bits; a <= o.max_bits; ++a) pairs.push_back({w, a});
      }
    }
    auto sensitivity_of = [&](LayerBits b) { return pair_sensitivity(sensitivity, env, l, b); };
    // Only the layer's Pareto-optimal pairs can be in an optimum: a pair that costs at least as
    // much as another and is at least as sensitive is never needed. Pruning them is exact and
    // shrinks the program several-fold, which is what makes branch and bound fast here.
    std::vector<LayerBits> kept;
    for (const LayerBits& b : pairs) {
      bool dominated = false;
      for (const LayerBits& other : pairs) {
        if (other == b) continue;
        const double dc = layer_cost(l, other) - layer_cost(l, b);
        const double ds = sensitivity_of(other) - sensitivity_of(b);
        if (dc <= 0 && ds <= 0 && (dc < 0 || ds < 0)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) kept.push_back(b);
    }
    for (const LayerBits& b : kept) {
      columns.push_back({l, b});
      const int col = glp_add_cols(lp.get(), 1);
      glp_set_col_kind(lp.get(), col, GLP_BV);
      glp_set_obj_coef(lp.get(), col, sensitivity_of(b));
      ia.push_back(l + 1);
      ja.push_back(col);
      ar.push_back(1.0);
      ia.push_back(layers + 1);
      ja.push_back(col);
      ar.push_back(layer_cost(l, b));
    }
  }
  glp_load_matrix(lp.get(), int(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  // Cover and MIR cuts are the ones a multiple-choice knapsack responds to. The relative gap
  // stops the search once the incumbent is provably within 0.01% of the optimum: the measured
  // sensitivities are far noisier than that. The time limit bounds a pathological case; the
  // result then says it is not proven optimal.
  parm.cov_cuts = GLP_ON;
  parm.mir_cuts = GLP_ON;
  parm.mip_gap = 1e-4;
  parm.tm_lim = 30000;
  // msg_lev does not silence the cut generators' own lines ("Number of 0-1 knapsack
  // inequalities"); the terminal hook does.
  const int terminal = glp_term_out(GLP_OFF);
  const int ret = glp_intopt(lp.get(), &parm);
  glp_term_out(terminal);
  const int status = glp_mip_status(lp.get());
  if (ret == GLP_ENOPFS || ret == GLP_ENODFS || status == GLP_NOFEAS) return std::nullopt;
  const bool stopped = (ret == GLP_EMIPGAP || ret == GLP_ETMLIM) && status == GLP_FEAS;
  if ((ret != 0 && !stopped) || (status != GLP_OPT && !stopped)) {
    throw std::runtime_error("GLPK did not solve the bit allocation (glp_intopt " +
                             std::to_string(ret) + ", status " + std::to_string(status) + ")");
  }
  IlpSolution solution;
  solution.policy = Policy::uniform(layers, 8, 8);
  solution.objective = glp_mip_obj_val(lp.get());
  solution.proven_optimal = (ret == 0 && status == GLP_OPT) || ret == GLP_EMIPGAP;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (glp_mip_col_val(lp.get(), int(c) + 1) > 0.5) {
      solution.policy.layers[size_t(columns[c].layer)] = columns[c].bits;
      solution.cost += layer_cost(columns[c].layer, columns[c].bits);
    }
  }
  spend_slack(solution.policy, sensitivity, env, layer_cost, budget);
  solution.objective = 0;
  solution.cost = 0;
  for (int l = 0; l < layers; ++l) {
    solution.objective += pair_sensitivity(sensitivity, env, l, solution.policy.layers[size_t(l)]);
    solution.cost += layer_cost(l, solution.policy.layers[size_t(l)]);
  }
  solution.policy.source = "ilp";
  return solution;
}

}  // namespace

std::optional<IlpSolution> solve_bit_allocation(
    const BitSensitivity& sensitivity, const std::function<double(int, LayerBits)>& layer_cost,
    double budget, const HaqEnvironment& env) {
  auto solution = solve_once(sensitivity, layer_cost, budget, budget, env);
  if (solution && solution->cost > budget * (1 + 1e-12)) {
    // GLPK accepts a row violated within its feasibility tolerance (~1e-7): solve again a hair
    // under the budget.
    solution = solve_once(sensitivity, layer_cost, budget, budget * (1 - 1e-6), env);
  }
  return solution;
}

}  // namespace haqsim::search
