// The search loop end to end on the analytic cost model and the shipped model: budgets are met,
// the records are complete, and an interrupted search resumed from its checkpoint repeats an
// uninterrupted one exactly; evolution and the ILP run behind the same loop, and the ILP is
// optimal.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "base/input_error.h"
#include "models/quant/pretrained.h"
#include "models/training/quant_aware.h"
#include "models/zoo.h"
#include "search/accuracy_oracle.h"
#include "search/haq_search.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"
#include "tests/test_temp_dir.h"

namespace haqsim::search {
namespace {

namespace fs = std::filesystem;

class SearchLoop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    context_ = new QuantizationContext(
        prepare_quantization(pretrained_weights_path("mobilenet_v1"), "fashion-mnist", 64));
  }
  static void TearDownTestSuite() { delete context_; }
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_search_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  SearchOptions options(const std::string& sub) const {
    SearchOptions o;
    o.budget = parse_budget(ConstraintKind::kLatency, "0.5");
    o.episodes = 8;
    o.random_episodes = 4;
    o.ddpg.warmup = 3;
    o.ddpg.batch_size = 16;
    o.ddpg.hidden = 64;
    o.out_dir = (dir_ / sub).string();
    o.progress = false;
    o.fingerprint = "test";
    return o;
  }
  SearchResult search(const SearchOptions& o) const {
    NetworkSpec spec;
    spec.batch = 1;
    const Network cost_net = build_model("mobilenet_v1", spec);
    CostOracle costs(load_arch_config("arch-configs/bismo-edge.yaml"), Backend::kAnalytic, cost_net,
                     CostCacheOptions{false, ""});
    AccuracyOptions ao;
    ao.images = 20;
    AccuracyOracle accuracy(*context_, ao);
    HaqSearch s(context_->model.network, costs, accuracy, o);
    return s.run();
  }
  static QuantizationContext* context_;
  fs::path dir_;
};

QuantizationContext* SearchLoop::context_ = nullptr;

void expect_same_episodes(const std::vector<EpisodeRecord>& a,
                          const std::vector<EpisodeRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].episode, b[i].episode);
    EXPECT_EQ(a[i].kind, b[i].kind) << i;
    EXPECT_EQ(a[i].policy, b[i].policy) << "episode " << i;
    EXPECT_EQ(a[i].accuracy, b[i].accuracy) << i;
    EXPECT_EQ(a[i].reward, b[i].reward) << i;
    EXPECT_EQ(a[i].cost.latency_ms, b[i].cost.latency_ms) << i;
    EXPECT_EQ(a[i].best_accuracy, b[i].best_accuracy) << i;
  }
}

TEST_F(SearchLoop, MeetsTheBudgetAndRecordsEveryEpisode) {
  const SearchResult r = search(options("full"));
  ASSERT_EQ(r.episodes.size(), 12u);
  EXPECT_EQ(r.episodes[2].kind, "warmup");
  EXPECT_EQ(r.episodes[3].kind, "ddpg");
  EXPECT_EQ(r.episodes[8].kind, "random");
  EXPECT_NEAR(r.budget, 0.5 * r.reference.cost.latency_ms, 1e-9);
  for (const auto& e : r.episodes) {
    EXPECT_LE(e.cost.latency_ms, r.budget * (1 + 1e-9)) << e.episode;
    EXPECT_EQ(e.policy.layers.front(), (LayerBits{8, 8}));
    EXPECT_EQ(e.policy.layers.back(), (LayerBits{8, 8}));
    EXPECT_NEAR(e.reward, 0.1 * (e.accuracy - r.reference.accuracy), 1e-12);
  }
  ASSERT_TRUE(r.winner("ddpg")->found());
  ASSERT_TRUE(r.winner("random")->found());
  EXPECT_TRUE(r.winner("ddpg")->meets_budget);
  ASSERT_EQ(r.uniform.size(), 7u);
  EXPECT_TRUE(fs::exists(dir_ / "full" / "episodes.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "full" / "checkpoint.bin"));
}

TEST_F(SearchLoop, ResumedSearchRepeatsAnUninterruptedOne) {
  const SearchResult whole = search(options("whole"));
  for (int stop : {2, 6, 10}) {  // during warm-up, during learning, during random search
    SearchOptions o = options("parts" + std::to_string(stop));
    o.stop_after = stop;
    const SearchResult first = search(o);
    ASSERT_TRUE(first.interrupted);
    ASSERT_EQ(int(first.episodes.size()), stop);
    o.stop_after = -1;
    o.resume = true;
    const SearchResult rest = search(o);
    EXPECT_FALSE(rest.interrupted);
    expect_same_episodes(whole.episodes, rest.episodes);
    EXPECT_EQ(whole.winner("ddpg")->policy, rest.winner("ddpg")->policy);
  }
}

TEST_F(SearchLoop, EvolutionAndIlpMeetTheBudgetBehindTheSameLoop) {
  SearchOptions o = options("methods");
  o.methods = {"ddpg", "evolution", "ilp", "uniform"};
  o.ilp_sensitivity = "measured";
  o.episodes = 4;
  o.evolution_episodes = 12;
  o.evolution.population = 4;
  const SearchResult r = search(o);
  ASSERT_EQ(r.episodes.size(), 16u);
  EXPECT_EQ(r.episodes[4].kind, "evolution");
  for (const auto& e : r.episodes) {
    EXPECT_LE(e.cost.latency_ms, r.budget * (1 + 1e-9)) << e.episode;
  }
  ASSERT_EQ(r.winners.size(), 3u);
  EXPECT_EQ(r.winner("random"), nullptr);
  const Candidate* evolution = r.winner("evolution");
  ASSERT_TRUE(evolution && evolution->found());
  EXPECT_TRUE(evolution->meets_budget);
  EXPECT_EQ(evolution->evaluations, 12);
  // Children differ from their parents: the evolutionary episodes are not one policy repeated.
  std::set<std::string> distinct;
  for (size_t i = 4; i < r.episodes.size(); ++i)
    distinct.insert(compact_policy(r.episodes[i].policy));
  EXPECT_GE(distinct.size(), 8u);
  const Candidate* ilp = r.winner("ilp");
  ASSERT_TRUE(ilp && ilp->found());
  EXPECT_TRUE(ilp->meets_budget);
  EXPECT_LE(ilp->cost.latency_ms, r.budget * (1 + 1e-9));
  // One evaluation per free layer (26), operand and width 2..7, then the policy itself.
  EXPECT_EQ(ilp->evaluations, 26 * 2 * 6 + 1);
  ASSERT_FALSE(r.ilp_front.empty());
  for (size_t i = 1; i < r.ilp_front.size(); ++i) {
    // More budget never predicts a larger accuracy drop.
    EXPECT_LE(r.ilp_front[i].sensitivity, r.ilp_front[i - 1].sensitivity * (1 + 1e-3) + 1e-9);
    EXPECT_LE(r.ilp_front[i].cost.latency_ms, r.ilp_front[i].budget * (1 + 1e-9));
  }
  EXPECT_EQ(r.ilp_front.back().policy.layers, Policy::uniform(28, 8, 8).layers);
  // Each front point is measured as the winners are ranked (here: the search subset).
  EXPECT_DOUBLE_EQ(r.ilp_front.back().accuracy, r.reference.accuracy);
  for (const IlpFrontPoint& p : r.ilp_front) EXPECT_GE(p.accuracy, 0) << p.budget_fraction;
  ASSERT_NE(r.best(), nullptr);
}

TEST_F(SearchLoop, IlpOnHessianSensitivitiesSpendsOneEvaluation) {
  SearchOptions o = options("ilp-hessian");
  o.methods = {"ilp"};
  o.ilp_sensitivity = "hessian";
  o.hessian.images = 16;  // one batch, one vector per tensor: noisy, but a whole run of the path
  const SearchResult r = search(o);
  const Candidate* ilp = r.winner("ilp");
  ASSERT_TRUE(ilp && ilp->found());
  EXPECT_TRUE(ilp->meets_budget);
  EXPECT_EQ(ilp->evaluations, 1);  // the policy itself: the traces measure no accuracy
  // Under half the 8-bit latency something is below 8 bits, and the pinned layers are not.
  EXPECT_NE(ilp->policy.layers, Policy::uniform(28, 8, 8).layers);
  EXPECT_EQ(ilp->policy.layers.front().wbits, 8);
  EXPECT_EQ(ilp->policy.layers.back().wbits, 8);
  ASSERT_FALSE(r.ilp_front.empty());
  EXPECT_EQ(r.ilp_front.back().policy.layers, Policy::uniform(28, 8, 8).layers);
}

TEST_F(SearchLoop, ResumedEvolutionRepeatsAnUninterruptedOne) {
  SearchOptions o = options("evolution-whole");
  o.methods = {"evolution"};
  o.evolution_episodes = 14;
  o.evolution.population = 4;
  const SearchResult whole = search(o);
  for (int stop : {3, 9}) {  // while the population fills, while it evolves
    SearchOptions p = o;
    p.out_dir = (dir_ / ("evolution-" + std::to_string(stop))).string();
    p.stop_after = stop;
    ASSERT_TRUE(search(p).interrupted);
    p.stop_after = -1;
    p.resume = true;
    const SearchResult rest = search(p);
    expect_same_episodes(whole.episodes, rest.episodes);
  }
}

// The final fine-tune's result is memoized on disk: a second search (another process, the next
// budget of a table) gets the same number without fine-tuning again; other fine-tune options miss.
TEST_F(SearchLoop, FinetunedAccuracyIsMemoizedAcrossOracles) {
  AccuracyOptions ao;
  ao.images = 20;
  ao.cache_dir = (dir_ / "cache").string();
  FinetuneOptions ft;
  ft.images_per_epoch = 32;
  ft.batch_size = 16;
  const Policy policy = Policy::uniform(context_->model.network.quantizable_count(), 4, 4);
  double first = -1;
  {
    AccuracyOracle accuracy(*context_, ao);
    first = accuracy.finetuned_top1_percent(policy, ft, Split::kTest, 50);
    EXPECT_EQ(accuracy.measurements(), 1);
    accuracy.save_cache();
  }
  AccuracyOracle again(*context_, ao);
  EXPECT_EQ(again.finetuned_top1_percent(policy, ft, Split::kTest, 50), first);
  EXPECT_EQ(again.measurements(), 0);
  EXPECT_EQ(again.cached_answers(), 1);
  EXPECT_EQ(again.top1_percent(policy, Split::kTest, 50),
            again.top1_percent(policy, Split::kTest, 50));
  EXPECT_EQ(again.measurements(), 1) << "the post-training top-1 is another entry";
  ft.seed = 2;
  again.finetuned_top1_percent(policy, ft, Split::kTest, 50);
  EXPECT_EQ(again.measurements(), 2) << "another fine-tune seed is another measurement";
}

TEST(BitAllocationIlp, IsOptimalAgainstSampledPoliciesAndMeetsTheBudget) {
  NetworkSpec spec;
  const Network net = build_model("mobilenet_v1", spec);
  EnvironmentOptions eo;
  eo.min_bits = 2;
  HaqEnvironment env(net, eo);
  const int layers = env.layers();
  // Synthetic sensitivities that fall with bits at layer-dependent rates, and costs that grow
  // with w x a at layer-dependent scales: no allocation is obvious.
  BitSensitivity s;
  s.weight.assign(size_t(layers), {});
  s.activation.assign(size_t(layers), {});
  std::vector<double> scale(static_cast<size_t>(layers), 0.0);
  for (int l = 0; l < layers; ++l) {
    scale[size_t(l)] = 1.0 + (l * 37 % 11);
    for (int b = 1; b <= 8; ++b) {
      s.weight[size_t(l)][size_t(b - 1)] = (8 - b) * (8 - b) * (1 + l % 5) * 0.01;
      s.activation[size_t(l)][size_t(b - 1)] = (8 - b) * (1 + l % 3) * 0.02;
    }
  }
  auto cost = [&](int l, LayerBits b) { return scale[size_t(l)] * b.wbits * b.abits; };
  auto objective = [&](const Policy& p) {
    double o = 0;
    for (int l = 0; l < layers; ++l) {
      if (env.pinned(l)) continue;
      o += s.weight[size_t(l)][size_t(p.layers[size_t(l)].wbits - 1)] +
           s.activation[size_t(l)][size_t(p.layers[size_t(l)].abits - 1)];
    }
    return o;
  };
  auto total = [&](const Policy& p) {
    double c = 0;
    for (int l = 0; l < layers; ++l) c += cost(l, p.layers[size_t(l)]);
    return c;
  };
  const double full = total(Policy::uniform(layers, 8, 8));
  const double budget = 0.4 * full;
  const auto solution = solve_bit_allocation(s, cost, budget, env);
  ASSERT_TRUE(solution.has_value());
  EXPECT_TRUE(solution->proven_optimal);
  EXPECT_LE(total(solution->policy), budget);
  EXPECT_NEAR(solution->cost, total(solution->policy), 1e-9);
  EXPECT_EQ(solution->policy.layers.front(), (LayerBits{8, 8}));
  const double optimum = objective(solution->policy);
  // No feasible policy among thousands sampled (random, and local moves from the optimum) is
  // better.
  Rng rng(5);
  std::uniform_int_distribution<int> bits(2, 8), layer(1, layers - 2);
  for (int trial = 0; trial < 4000; ++trial) {
    Policy p = solution->policy;
    if (trial % 2 == 0) {
      for (int l = 1; l + 1 < layers; ++l) p.layers[size_t(l)] = {bits(rng), bits(rng)};
    } else {
      for (int k = 0; k < 3; ++k) p.layers[size_t(layer(rng))] = {bits(rng), bits(rng)};
    }
    if (total(p) <= budget) {
      EXPECT_GE(objective(p), optimum - 1e-6) << compact_policy(p);
    }
  }
  // The whole 8-bit cost affords 8 bits everywhere; below the 2-bit floor nothing fits.
  EXPECT_EQ(solve_bit_allocation(s, cost, full, env)->policy.layers,
            Policy::uniform(layers, 8, 8).layers);
  EXPECT_FALSE(solve_bit_allocation(s, cost, 0.01 * full, env).has_value());
}

TEST_F(SearchLoop, CheckpointOfAnotherSearchIsRefused) {
  SearchOptions o = options("other");
  o.stop_after = 3;
  search(o);
  o.stop_after = -1;
  o.resume = true;
  o.seed = 2;
  EXPECT_THROW(search(o), InputError);
}

}  // namespace
}  // namespace haqsim::search
