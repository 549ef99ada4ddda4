// HAWQ-V3-style bit allocation (Yao et al., ICML 2021) as an integer linear program: choose one
// (weight bits, activation bits) pair per layer minimizing the summed sensitivity of the chosen
// bits subject to the budget, solved exactly by GLPK's branch and cut.
//
// Sensitivity is HAWQ's, in nats of cross-entropy, from one of two sources: measured (its second
// option) -- the increase of the integer path's loss on the search's validation subset when only
// that layer's weights (or only its activations) are quantized to b bits and everything else stays
// at 8 bits -- or predicted from Hessian traces (hessian_sensitivity.h, its first). Summing the
// weight and activation terms treats layers and operands as independent, as HAWQ does; the
// measured accuracy of the ILP's policy, like every method's, is what the comparison reports.
//
// Layer costs on these machines are additive: a network's latency, energy and weight size are
// sums over its layers (the cost oracle sums them the same way), so the budget is one linear
// row. A per-layer cap (e.g. "no layer slower than X") would be a bound on columns instead and
// is not offered.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "models/policy.h"
#include "search/haq_environment.h"

namespace haqsim::search {

struct BitSensitivity {
  // [layer][bits - 1], bits 1..8: loss increase (nats) with only this layer's weights /
  // activations at `bits`. Entries outside the environment's bit range are unused.
  std::vector<std::array<double, 8>> weight, activation;
};

struct IlpSolution {
  Policy policy;
  double objective = 0;  // summed sensitivity of the chosen bits
  double cost = 0;       // summed layer cost
  // Optimal within GLPK's 0.01% relative gap; false only if the 30 s limit stopped the search.
  bool proven_optimal = false;
};

// The optimum under `budget`, or nullopt when no allocation within the environment's bit range
// (pinned layers at their bits) fits. `layer_cost(i, bits)` is layer i's cost at `bits`.
std::optional<IlpSolution> solve_bit_allocation(
    const BitSensitivity& sensitivity, const std::function<double(int, LayerBits)>& layer_cost,
    double budget, const HaqEnvironment& env);

}  // namespace haqsim::search
