// HAQ's environment: action-to-bits mapping, observations, pinned layers, budget enforcement.
#include <gtest/gtest.h>

#include "models/zoo.h"
#include "search/haq_environment.h"

namespace haqsim::search {
namespace {

Network v1() {
  return build_model("mobilenet_v1", NetworkSpec{});
}

TEST(HaqEnvironment, ActionsMapToBitsAsInHaq) {
  const HaqEnvironment env(v1(), EnvironmentOptions{});
  // round((8 - 2 + 1) a + 2 - 0.5): seven equal intervals over [0, 1].
  EXPECT_EQ(env.bits_of(0.0), 2);
  EXPECT_EQ(env.bits_of(1.0 / 7 - 1e-9), 2);
  EXPECT_EQ(env.bits_of(1.0 / 7 + 1e-9), 3);
  EXPECT_EQ(env.bits_of(0.5), 5);
  EXPECT_EQ(env.bits_of(1.0), 8);
  for (int b = 2; b <= 8; ++b) EXPECT_EQ(env.bits_of(env.action_of(b)), b);
}

TEST(HaqEnvironment, ObservationsAreNormalizedTenFeatures) {
  const Network net = v1();
  const HaqEnvironment env(net, EnvironmentOptions{});
  EXPECT_EQ(env.steps(), 2 * 28);
  for (int step = 0; step < env.steps(); ++step) {
    const auto s = env.observation(step, 0.25);
    ASSERT_EQ(int(s.size()), kObservationSize);
    for (float v : s) {
      EXPECT_GE(v, 0.0f);
      EXPECT_LE(v, 1.0f);
    }
    EXPECT_EQ(s[8], step % 2 == 0 ? 1.0f : 0.0f);  // weight step flag
    EXPECT_FLOAT_EQ(s[9], 0.25f);                  // previous action
    const bool depthwise = net.quantizable(step / 2).kind() == LayerKind::kDepthwise;
    EXPECT_EQ(s[7], depthwise ? 1.0f : 0.0f);
  }
  EXPECT_FLOAT_EQ(env.observation(0, 0)[0], 0.0f);   // layer index, first
  EXPECT_FLOAT_EQ(env.observation(55, 0)[0], 1.0f);  // last
}

TEST(HaqEnvironment, FirstAndLastLayersArePinnedUnlessFreed) {
  const Network net = v1();
  const HaqEnvironment env(net, EnvironmentOptions{});
  const std::vector<double> lowest(env.steps(), 0.0);
  const Policy p = env.policy_of(lowest);
  EXPECT_EQ(p.layers.front(), (LayerBits{8, 8}));
  EXPECT_EQ(p.layers.back(), (LayerBits{8, 8}));
  EXPECT_EQ(p.layers[5], (LayerBits{2, 2}));
  EnvironmentOptions free;
  free.pin_first_last = false;
  EXPECT_EQ(HaqEnvironment(net, free).policy_of(lowest).layers.front(), (LayerBits{2, 2}));
}

// Cost = sum of bits, so every reduction lowers it by exactly one.
double bit_sum(int, LayerBits b) {
  return b.wbits + b.abits;
}

TEST(EnforceBudget, LowersActivationThenWeightFromTheLastLayer) {
  const Network net = v1();
  const HaqEnvironment env(net, EnvironmentOptions{});
  const Policy all8 = Policy::uniform(28, 8, 8);
  // One reduction: layer 26 (27 is pinned) loses an activation bit.
  Enforced e = enforce_budget(all8, 28 * 16 - 1, env, bit_sum);
  EXPECT_TRUE(e.met);
  EXPECT_EQ(e.reductions, 1);
  EXPECT_EQ(e.policy.layers[26], (LayerBits{8, 7}));
  // Two: then its weights.
  e = enforce_budget(all8, 28 * 16 - 2, env, bit_sum);
  EXPECT_EQ(e.policy.layers[26], (LayerBits{7, 7}));
  // Three: the walk moves to layer 25 before coming back.
  e = enforce_budget(all8, 28 * 16 - 3, env, bit_sum);
  EXPECT_EQ(e.policy.layers[26], (LayerBits{7, 7}));
  EXPECT_EQ(e.policy.layers[25], (LayerBits{8, 7}));
  EXPECT_DOUBLE_EQ(e.cost, 28 * 16 - 3);
}

TEST(EnforceBudget, StopsAtMinimumBitsAndReportsAnUnmetBudget) {
  const HaqEnvironment env(v1(), EnvironmentOptions{});
  const Enforced e = enforce_budget(Policy::uniform(28, 8, 8), 10, env, bit_sum);
  EXPECT_FALSE(e.met);
  for (int i = 1; i < 27; ++i) EXPECT_EQ(e.policy.layers[i], (LayerBits{2, 2})) << i;
  EXPECT_EQ(e.policy.layers[0], (LayerBits{8, 8}));
  EXPECT_DOUBLE_EQ(e.cost, 26 * 4 + 2 * 16);
}

TEST(EnforceBudget, LeavesAPolicyWithinBudgetAlone) {
  const HaqEnvironment env(v1(), EnvironmentOptions{});
  Policy p = Policy::uniform(28, 4, 6);
  const Enforced e = enforce_budget(p, 1e9, env, bit_sum);
  EXPECT_TRUE(e.met);
  EXPECT_EQ(e.reductions, 0);
  EXPECT_EQ(e.policy, p);
}

}  // namespace
}  // namespace haqsim::search
