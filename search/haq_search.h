// The search loop: each episodic method of --method in turn (DDPG as HAQ, random search,
// evolution; proposer.h), every proposal through the same budget enforcement; then the ILP over
// measured or Hessian-predicted sensitivities (ilp_search.h) and the uniform k-bit baselines. The
// winner of each method is chosen among its best few distinct policies ("finalists") by their
// accuracy on held-out validation images the search never saw: with a thousand noisy measurements
// on a small subset, the single best one is mostly the luckiest (the winner's curse), and a second,
// larger sample removes that bias without touching the test split. After every episode the whole
// state (agent, replay, generators, records) is checkpointed atomically to DIR/checkpoint.bin and
// the records to DIR/episodes.csv, so a killed search resumes where it stopped and, with the same
// seed, produces the same episodes as an uninterrupted run.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/progress.h"
#include "models/network.h"
#include "models/policy.h"
#include "search/accuracy_oracle.h"
#include "search/constraint.h"
#include "search/cost_oracle.h"
#include "search/ddpg_agent.h"
#include "search/haq_environment.h"
#include "search/hessian_sensitivity.h"
#include "search/ilp_search.h"
#include "search/proposer.h"

namespace haqsim::search {

struct SearchOptions {
  Budget budget;
  // Searched methods in order: ddpg, random, evolution (episodic) and ilp; the uniform baselines
  // are always measured.
  std::vector<std::string> methods = {"ddpg", "random"};
  int episodes = 600;           // DDPG episodes, warm-up included
  int random_episodes = -1;     // random-search policies; -1: as many as DDPG episodes
  int evolution_episodes = -1;  // evolutionary-search policies; -1: as many as DDPG episodes
  EnvironmentOptions env;
  DdpgOptions ddpg;
  EvolutionOptions evolution;
  uint64_t seed = 1;
  std::string out_dir;  // checkpoint.bin and episodes.csv
  bool resume = false;
  bool progress = true;
  // Identifies the setup (model, arch, backend, data) in the checkpoint; a resume with another
  // fingerprint is refused.
  std::string fingerprint;
  // Testing: return after this many episodes of this process, as if killed (-1: never).
  int stop_after = -1;
  // Finalists per method, re-measured on `rerank_images` validation images that follow the
  // accuracy oracle's subset; 0 rerank images: the winner is the best on the search subset.
  int finalists = 8;
  int rerank_images = 0;
  // The ILP's per-layer sensitivities: "hessian" (HAWQ-V3's second-order loss estimate, no
  // evaluation; hessian_sensitivity.h) or "measured" (loss increase with one layer quantized, one
  // evaluation per layer, operand and width). Hessian by default: on MobileNet-V1 at 0.35 x
  // bismo-edge's 8-bit latency its policy scored 88.2% test against the measured one's 83.0%
  // (results/search/README.md), at 1 evaluation instead of 313.
  std::string ilp_sensitivity = "hessian";
  HessianOptions hessian;
  // The ILP's front across budgets (ilp_front), each point measured: 20 more measurements on the
  // held-out images, which a co-design run, one search per array, does without.
  bool ilp_front = true;
};

struct EpisodeRecord {
  int episode = 0;
  std::string kind;  // warmup | ddpg | random | evolution
  double accuracy = 0;
  double reward = 0;
  double best_accuracy = 0;  // best so far among this kind's budget-meeting policies
  PolicyCost cost;
  double budget = 0;
  double sigma = 0;
  double seconds = 0;  // wall time of the episode (the only field that differs between runs)
  Policy policy;
};

struct Candidate {
  std::string method;  // ddpg | random | evolution | ilp | uniform-k | 8-bit
  Policy policy;
  double accuracy = -1;                 // search metric (the accuracy oracle's subset)
  double rerank_accuracy = -1;          // held-out validation images (finalists and baselines)
  double test_accuracy = -1;            // filled by the caller on the test split
  double finetuned_test_accuracy = -1;  // ... after the final fine-tune (HAQ's last step)
  PolicyCost cost;
  bool meets_budget = false;
  int evaluations = 0;  // accuracy evaluations the method spent finding it (re-ranking excluded)
  // Wall seconds the method spent finding it, re-ranking and fine-tune excluded: its episodes'
  // (DDPG's warm-up included), or the ILP's sensitivities and solve (a Hessian read from the
  // on-disk cache costs ~0). -1 for baselines.
  double search_seconds = -1;
  bool found() const { return accuracy >= 0; }
};

// The ILP's optimum at one budget of a sweep (predicted, not measured).
struct IlpFrontPoint {
  double budget_fraction = 0;  // of the 8-bit cost
  double budget = 0;
  double sensitivity = 0;  // the objective: summed per-layer loss increases (nats)
  PolicyCost cost;
  Policy policy;
  // Top-1 measured as the winners are ranked: on the held-out images when re-ranking is on, else
  // on the search's subset. Not counted in the ILP's evaluations: the front is a report of what
  // the same sensitivities give at other budgets, not part of its search at this one.
  double accuracy = -1;
};

struct SearchResult {
  double budget = 0;
  Candidate reference;               // all 8-bit
  std::vector<Candidate> winners;    // one per searched method, in --method order
  std::vector<Candidate> uniform;    // k = max..min bits
  std::vector<Candidate> finalists;  // every method's finalists, best first per method
  std::vector<EpisodeRecord> episodes;
  std::vector<IlpFrontPoint> ilp_front;  // the ILP at budgets across the range (with ilp)
  bool interrupted = false;              // stop_after reached
  // The winner of `method`, or nullptr when it was not searched.
  const Candidate* winner(const std::string& method) const;
  // The most accurate budget-meeting policy of the searched methods' winners and the uniform
  // policies (held-out accuracy when measured), or nullptr when none met the budget.
  const Candidate* best() const;
  // Most accurate uniform policy within the budget (on the held-out images when measured).
  const Candidate* best_uniform() const;
  // Reference, the searched methods' winners, then the uniform policies: the order of every
  // comparison table.
  std::vector<const Candidate*> candidates() const;
};

class HaqSearch {
 public:
  HaqSearch(const Network& network, CostOracle& costs, AccuracyOracle& accuracy,
            SearchOptions options);
  SearchResult run();

  const HaqEnvironment& environment() const { return env_; }
  // One episode's agent work without the accuracy measurement (benchmarks): act through 2 x L
  // steps, enforce the budget, store the transitions and run the updates.
  void benchmark_episode(int episode, double reward);

 private:
  struct State;
  Enforced enforce(const Proposal& proposal);
  double layer_cost(int quant_index, LayerBits bits);
  bool meets_budget(const PolicyCost& cost) const;
  Policy uniform_policy(int bits) const;  // the fixed-precision baseline (uniform_baseline.h)
  double resolve_budget();                // options_.budget in the constraint's unit
  int measured_operands() const;          // 1 (weights) under a size budget, else 2
  int episodes_of(const std::string& method) const;
  void run_episode(State& st);
  void save_checkpoint(const State& st) const;
  bool load_checkpoint(State& st);
  void write_episodes(const State& st) const;
  Candidate candidate(const std::string& method, const Policy& p);
  // Policies per method that are re-measured (1 without re-ranking).
  int finalist_count() const;
  // Held-out accuracy (when re-ranking is on) of a candidate.
  void rerank(Candidate& c) const;
  // The method's winner among its finalists; appends the finalists to `all`.
  Candidate choose_winner(const std::string& method, const std::vector<EpisodeRecord>& records,
                          std::vector<Candidate>& all, Progress& progress) const;
  // Measures the per-layer sensitivities, solves the ILP at the budget (and across a sweep of
  // budgets for `ilp_front`) and measures its policy.
  Candidate ilp_winner(SearchResult& result);
  // The measured option: loss increase with only one layer's weights or inputs quantized.
  BitSensitivity measured_sensitivity();
  int measured_evaluations() const;

  const Network& network_;
  CostOracle& costs_;
  AccuracyOracle& accuracy_;
  SearchOptions options_;
  HaqEnvironment env_;
  DdpgAgent agent_;
  std::vector<std::unique_ptr<Proposer>> proposers_;  // the episodic methods, in order
  double budget_ = 0;
  double reference_accuracy_ = 0;
  Rng bench_rng_;
};

std::string episodes_csv(const std::vector<EpisodeRecord>& records, ConstraintKind kind);
std::string comparison_csv(const SearchResult& result);
std::string finalists_csv(const SearchResult& result);
// The ILP's optimum at budgets of 5%..100% of the 8-bit cost (with --method ilp).
std::string ilp_front_csv(const SearchResult& result);
// "8/8 4/5 ..." (w/a per layer)
std::string compact_policy(const Policy& p);

}  // namespace haqsim::search
