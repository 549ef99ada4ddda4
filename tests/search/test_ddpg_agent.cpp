// The DDPG agent learns, explores within [0, 1], and its saved state reproduces its future.
#include <gtest/gtest.h>

#include <sstream>

#include "search/ddpg_agent.h"

namespace haqsim::search {
namespace {

std::vector<float> state_of(int i) {
  std::vector<float> s(10, 0.0f);
  s[0] = float(i % 5) / 4;
  s[9] = 0.5f;
  return s;
}

TEST(TruncatedNormal, StaysInsideTheInterval) {
  Rng rng(3);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) {
    const double x = truncated_normal(0.95, 0.5, 0.0, 1.0, rng);
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 1.0);
    sum += x;
  }
  EXPECT_LT(sum / 20000, 0.95);  // truncation pulls the mean inwards
  EXPECT_GT(sum / 20000, 0.5);
}

TEST(DdpgAgent, WarmupIsUniformThenNoiseDecays) {
  DdpgOptions o;
  o.warmup = 2;
  DdpgAgent agent(10, 100, o);
  EXPECT_FALSE(agent.learning(1));
  EXPECT_TRUE(agent.learning(2));
  EXPECT_DOUBLE_EQ(agent.sigma_at(2), 0.5);
  EXPECT_DOUBLE_EQ(agent.sigma_at(12), 0.5 * std::pow(0.99, 10));
  const double a = agent.act(state_of(0));
  EXPECT_NEAR(a, 0.5, 0.05);  // small output layer: the first actions sit near the middle
}

// A one-step bandit whose reward peaks at a = 0.8: the actor must move there.
TEST(DdpgAgent, LearnsTheBestActionOfABandit) {
  DdpgOptions o;
  o.warmup = 0;
  o.lr_actor = 1e-3;
  o.batch_size = 32;
  DdpgAgent agent(10, 2000, o);
  Rng rng(7);
  const std::vector<float> s = state_of(1);
  for (int i = 0; i < 1500; ++i) {
    const double a = std::uniform_real_distribution<double>(0, 1)(rng);
    agent.remember({s, s, float(a), float(1 - 4 * (a - 0.8) * (a - 0.8)), true});
    agent.update(rng);
  }
  EXPECT_NEAR(agent.act(s), 0.8, 0.1);
}

TEST(DdpgAgent, SavedStateReproducesTheFuture) {
  DdpgOptions o;
  o.warmup = 1;
  o.batch_size = 8;
  o.hidden = 32;
  DdpgAgent a(10, 64, o);
  Rng rng_a(11);
  auto step = [](DdpgAgent& agent, Rng& rng, int i) {
    const double act = agent.explore(state_of(i), 1 + i / 10, rng);
    agent.remember({state_of(i), state_of(i + 1), float(act), float(act * 0.1), i % 4 == 3});
    agent.update(rng);
    return act;
  };
  for (int i = 0; i < 40; ++i) step(a, rng_a, i);
  std::stringstream saved;
  a.save(saved);
  std::stringstream rng_saved;
  rng_saved << rng_a;

  DdpgOptions other = o;
  other.seed = 99;  // different initial weights: everything must come from the checkpoint
  DdpgAgent b(10, 64, other);
  b.load(saved);
  Rng rng_b;
  rng_saved >> rng_b;
  EXPECT_EQ(a.replay_size(), b.replay_size());
  EXPECT_DOUBLE_EQ(a.moving_average(), b.moving_average());
  for (int i = 40; i < 80; ++i) {
    ASSERT_EQ(step(a, rng_a, i), step(b, rng_b, i)) << "step " << i;
  }
}

}  // namespace
}  // namespace haqsim::search
