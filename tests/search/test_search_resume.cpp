// The search loop end to end on the analytic cost model and the shipped model: budgets are met,
// the records are complete, and an interrupted search resumed from its checkpoint repeats an
// uninterrupted one exactly.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/input_error.h"
#include "models/quant/pretrained.h"
#include "models/zoo.h"
#include "search/haq_search.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"

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
    dir_ = fs::temp_directory_path() /
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
  ASSERT_TRUE(r.ddpg.found());
  ASSERT_TRUE(r.random.found());
  EXPECT_TRUE(r.ddpg.meets_budget);
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
    EXPECT_EQ(whole.ddpg.policy, rest.ddpg.policy);
  }
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
