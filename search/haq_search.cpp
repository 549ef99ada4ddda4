#include "search/haq_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/atomic_file.h"
#include "base/checksummed_file.h"
#include "base/input_error.h"
#include "base/progress.h"
#include "search/ddpg_proposer.h"
#include "search/uniform_baseline.h"

namespace haqsim::search {

namespace {

constexpr const char* kCheckpointMagic = "haqsim-search-checkpoint";
constexpr int kCheckpointVersion = 1;

Policy parse_compact(const std::string& text, int layers) {
  Policy p;
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    LayerBits b;
    if (std::sscanf(item.c_str(), "%d/%d", &b.wbits, &b.abits) != 2) {
      throw std::runtime_error("bad policy '" + item + "' in checkpoint");
    }
    p.layers.push_back(b);
  }
  if (int(p.layers.size()) != layers) throw std::runtime_error("policy of another network");
  p.source = "search";
  return p;
}

std::string rng_state(const Rng& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}

void set_rng_state(Rng& rng, const std::string& state) {
  std::istringstream in(state);
  in >> rng;
  if (!in) throw std::runtime_error("bad generator state in checkpoint");
}

}  // namespace

std::string compact_policy(const Policy& p) {
  std::string s;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    s += fmt::format("{}{}/{}", i ? " " : "", p.layers[i].wbits, p.layers[i].abits);
  }
  return s;
}

std::vector<const Candidate*> SearchResult::candidates() const {
  std::vector<const Candidate*> all = {&reference};
  for (const Candidate& c : winners) all.push_back(&c);
  for (const Candidate& c : uniform) all.push_back(&c);
  return all;
}

const Candidate* SearchResult::winner(const std::string& method) const {
  for (const Candidate& c : winners) {
    if (c.method == method) return &c;
  }
  return nullptr;
}

namespace {

// The figure a candidate is ranked by: held-out accuracy when it was measured.
double ranking_accuracy(const Candidate& c) {
  return c.rerank_accuracy >= 0 ? c.rerank_accuracy : c.accuracy;
}

}  // namespace

const Candidate* SearchResult::best() const {
  // The uniform policies compete too: when one of them is the most accurate policy within the
  // budget, that is the answer, and a search that says otherwise would mislead. Ties go to the
  // searched methods, which come first.
  const Candidate* best = nullptr;
  auto consider = [&](const Candidate& c) {
    if (c.found() && c.meets_budget && (!best || ranking_accuracy(c) > ranking_accuracy(*best))) {
      best = &c;
    }
  };
  for (const Candidate& c : winners) consider(c);
  for (const Candidate& c : uniform) consider(c);
  return best;
}

const Candidate* SearchResult::best_uniform() const {
  const Candidate* best = nullptr;
  for (const Candidate& c : uniform) {
    if (c.meets_budget && (!best || ranking_accuracy(c) > ranking_accuracy(*best))) best = &c;
  }
  return best;
}

namespace {

// The method an episode kind belongs to.
std::string method_of(const std::string& kind) {
  return kind == "warmup" ? "ddpg" : kind;
}

// Each episodic method draws from its own generator, seeded from the search's seed (DDPG's and
// random search's as before the proposer interface, so recorded searches stay reproducible).
uint64_t method_seed(const std::string& method, uint64_t seed) {
  if (method == "random") return seed ^ 0x9e3779b97f4a7c15ull;
  if (method == "evolution") return seed ^ 0x5851f42d4c957f2dull;
  return seed;
}

}  // namespace

struct HaqSearch::State {
  int phase = 0;  // index into the episodic methods; their count: done
  int next_episode = 0;
  std::vector<Rng> rngs;  // per episodic method
  std::vector<EpisodeRecord> records;
  int episodes_this_run = 0;
};

HaqSearch::HaqSearch(const Network& network, CostOracle& costs, AccuracyOracle& accuracy,
                     SearchOptions options)
    : network_(network),
      costs_(costs),
      accuracy_(accuracy),
      options_(std::move(options)),
      env_(network, options_.env),
      agent_(kObservationSize, options_.ddpg.replay_per_layer * network.quantizable_count(),
             options_.ddpg),
      bench_rng_(options_.seed) {
  if (costs_.layers() != env_.layers()) {
    throw std::invalid_argument("cost network and accuracy network differ in layer count");
  }
  if (options_.random_episodes < 0) options_.random_episodes = options_.episodes;
  if (options_.evolution_episodes < 0) options_.evolution_episodes = options_.episodes;
  for (const std::string& method : options_.methods) {
    if (method == "ilp" || method == "uniform") continue;
    proposers_.push_back(make_proposer(method, env_, agent_, options_.evolution));
  }
}

int HaqSearch::episodes_of(const std::string& method) const {
  if (method == "ddpg") return options_.episodes;
  if (method == "random") return options_.random_episodes;
  return options_.evolution_episodes;
}

Candidate HaqSearch::candidate(const std::string& method, const Policy& p) {
  Candidate c;
  c.method = method;
  c.policy = p;
  c.cost = costs_.cost(p);
  c.meets_budget = meets_budget(c.cost);
  c.accuracy = accuracy_.top1_percent(p);
  return c;
}

bool HaqSearch::meets_budget(const PolicyCost& cost) const {
  return cost.of(options_.budget.kind) <= budget_ * (1 + 1e-12);
}

double HaqSearch::layer_cost(int i, LayerBits b) {
  switch (options_.budget.kind) {
    case ConstraintKind::kLatency:
      return costs_.layer(i, b).latency_ms;
    case ConstraintKind::kEnergy:
      return costs_.layer(i, b).energy_mj;
    case ConstraintKind::kSize:
      return costs_.layer_size_mb(i, b.wbits);
  }
  return 0.0;
}

Enforced HaqSearch::enforce(const Proposal& p) {
  return enforce_budget(env_.policy_of(p.actions), budget_, env_,
                        [&](int i, LayerBits b) { return layer_cost(i, b); });
}

void HaqSearch::run_episode(State& st) {
  const auto start = std::chrono::steady_clock::now();
  const int episode = st.next_episode;
  Proposer& proposer = *proposers_[size_t(st.phase)];
  Rng& rng = st.rngs[size_t(st.phase)];
  const Proposal proposal = proposer.ask(episode, rng);
  const Enforced enforced = enforce(proposal);
  Outcome outcome;
  outcome.policy = enforced.policy;
  outcome.accuracy = accuracy_.top1_percent(enforced.policy);
  outcome.reward = 0.1 * (outcome.accuracy - reference_accuracy_);
  outcome.met = enforced.met;
  EpisodeRecord r;
  r.episode = episode;
  r.kind = proposer.kind(episode);
  r.sigma = proposer.sigma(episode);
  proposer.tell(proposal, outcome, episode, rng);
  r.accuracy = outcome.accuracy;
  r.reward = outcome.reward;
  r.cost = costs_.cost(enforced.policy);
  r.budget = budget_;
  r.policy = enforced.policy;
  double best = enforced.met ? outcome.accuracy : -1;
  for (const auto& prev : st.records) {
    if (method_of(prev.kind) == proposer.method() && meets_budget(prev.cost)) {
      best = std::max(best, prev.accuracy);
    }
  }
  r.best_accuracy = best;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  st.records.push_back(std::move(r));
  ++st.next_episode;
  ++st.episodes_this_run;
}

Policy HaqSearch::uniform_policy(int bits) const {
  return uniform_baseline(options_.env, env_.layers(), bits, options_.budget.kind);
}

double HaqSearch::resolve_budget() {
  return options_.budget.resolve([&](int bits) { return costs_.cost(uniform_policy(bits)); });
}

void HaqSearch::benchmark_episode(int episode, double reward) {
  if (budget_ <= 0) {
    budget_ = resolve_budget();
  }
  DdpgProposer ddpg(env_, agent_);
  const Proposal proposal = ddpg.ask(episode, bench_rng_);
  Outcome outcome;
  outcome.policy = enforce(proposal).policy;
  outcome.reward = reward;
  (void)costs_.cost(outcome.policy);
  ddpg.tell(proposal, outcome, episode, bench_rng_);
}

std::string episodes_csv(const std::vector<EpisodeRecord>& records, ConstraintKind kind) {
  // `cost` is the constrained quantity, the one compared with `budget`.
  std::string out =
      "episode,kind,accuracy,reward,best_accuracy,latency_ms,energy_mj,size_mb,cost,budget,sigma,"
      "seconds,policy\n";
  for (const auto& r : records) {
    out +=
        fmt::format("{},{},{:.4f},{:.6f},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.3f},{}\n",
                    r.episode, r.kind, r.accuracy, r.reward,
                    r.best_accuracy >= 0 ? fmt::format("{:.4f}", r.best_accuracy) : "",
                    r.cost.latency_ms, r.cost.energy_mj, r.cost.size_mb, r.cost.of(kind), r.budget,
                    r.sigma, r.seconds, compact_policy(r.policy));
  }
  return out;
}

void HaqSearch::write_episodes(const State& st) const {
  write_file_atomically(options_.out_dir + "/episodes.csv",
                        episodes_csv(st.records, options_.budget.kind));
}

void HaqSearch::save_checkpoint(const State& st) const {
  nlohmann::json j;
  j["fingerprint"] = options_.fingerprint;
  j["seed"] = options_.seed;
  j["budget"] = options_.budget.describe();
  j["phase"] = st.phase;
  j["next_episode"] = st.next_episode;
  nlohmann::json rngs = nlohmann::json::object();
  for (size_t m = 0; m < proposers_.size(); ++m) {
    rngs[proposers_[m]->method()] = rng_state(st.rngs[m]);
  }
  j["rngs"] = std::move(rngs);
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : st.records) {
    records.push_back({{"episode", r.episode},
                       {"kind", r.kind},
                       {"accuracy", r.accuracy},
                       {"reward", r.reward},
                       {"best_accuracy", r.best_accuracy},
                       {"latency_ms", r.cost.latency_ms},
                       {"energy_mj", r.cost.energy_mj},
                       {"size_mb", r.cost.size_mb},
                       {"budget", r.budget},
                       {"sigma", r.sigma},
                       {"seconds", r.seconds},
                       {"policy", compact_policy(r.policy)}});
  }
  j["records"] = std::move(records);
  const std::string header = j.dump();
  std::ostringstream agent;
  const_cast<DdpgAgent&>(agent_).save(agent);
  write_checksummed(options_.out_dir + "/checkpoint.bin", kCheckpointMagic, kCheckpointVersion,
                    fmt::format("{}\n", header.size()) + header + agent.str());
}

bool HaqSearch::load_checkpoint(State& st) {
  const std::string path = options_.out_dir + "/checkpoint.bin";
  if (!std::filesystem::exists(path)) return false;
  std::string body;
  try {
    body = read_checksummed(path, kCheckpointMagic, kCheckpointVersion);
  } catch (const UntrustedFile& e) {
    throw InputError(
        InputLocation{path, 0, "", -1},
        fmt::format("checkpoint not trusted ({}); delete it to start afresh", e.what()));
  }
  const size_t eol = body.find('\n');
  const size_t length = std::stoull(body.substr(0, eol));
  const nlohmann::json j = nlohmann::json::parse(body.substr(eol + 1, length));
  if (j.at("fingerprint") != options_.fingerprint || j.at("seed") != options_.seed ||
      j.at("budget") != options_.budget.describe()) {
    throw InputError(
        InputLocation{path, 0, "fingerprint", -1},
        fmt::format("a checkpoint of this search (seed {}, budget {}, {})", options_.seed,
                    options_.budget.describe(), options_.fingerprint),
        fmt::format("one of another search (seed {}, budget {}, {})", j.at("seed").dump(),
                    j.at("budget").get<std::string>(), j.at("fingerprint").get<std::string>()));
  }
  st.phase = j.at("phase");
  st.next_episode = j.at("next_episode");
  for (size_t m = 0; m < proposers_.size(); ++m) {
    const std::string method = proposers_[m]->method();
    // Checkpoints written before the proposer interface name the two generators directly.
    const std::string legacy = method + "_rng";
    set_rng_state(st.rngs[m], j.contains("rngs") ? j.at("rngs").at(method) : j.at(legacy));
  }
  for (const auto& r : j.at("records")) {
    EpisodeRecord e;
    e.episode = r.at("episode");
    e.kind = r.at("kind");
    e.accuracy = r.at("accuracy");
    e.reward = r.at("reward");
    e.best_accuracy = r.at("best_accuracy");
    e.cost.latency_ms = r.at("latency_ms");
    e.cost.energy_mj = r.at("energy_mj");
    e.cost.size_mb = r.at("size_mb");
    e.budget = r.at("budget");
    e.sigma = r.at("sigma");
    e.seconds = r.at("seconds");
    e.policy = parse_compact(r.at("policy"), env_.layers());
    st.records.push_back(std::move(e));
  }
  std::istringstream agent(body.substr(eol + 1 + length));
  agent_.load(agent);
  // Proposers whose state is their past outcomes rebuild it.
  for (const EpisodeRecord& e : st.records) {
    for (auto& proposer : proposers_) {
      if (proposer->method() != method_of(e.kind)) continue;
      Outcome outcome;
      outcome.policy = e.policy;
      outcome.accuracy = e.accuracy;
      outcome.reward = e.reward;
      outcome.met = meets_budget(e.cost);
      proposer->replay(outcome);
    }
  }
  return true;
}

SearchResult HaqSearch::run() {
  SearchResult result;
  State st;
  for (const auto& proposer : proposers_) {
    st.rngs.emplace_back(method_seed(proposer->method(), options_.seed));
  }

  Policy all8 = Policy::uniform(env_.layers(), 8, 8);
  all8.source = "uniform 8/8";
  result.reference = candidate("8-bit", all8);
  reference_accuracy_ = result.reference.accuracy;
  budget_ = resolve_budget();
  result.budget = budget_;
  result.reference.meets_budget = meets_budget(result.reference.cost);

  std::filesystem::create_directories(options_.out_dir);
  if (options_.resume && load_checkpoint(st)) {
    fmt::print(stderr, "resuming from {}/checkpoint.bin: {} episodes done\n", options_.out_dir,
               st.records.size());
  }
  int total = 0;
  for (const auto& proposer : proposers_) total += episodes_of(proposer->method());
  Progress progress("search", total, options_.progress);
  progress.restore(int64_t(st.records.size()));
  const int phases = int(proposers_.size());
  while (st.phase < phases) {
    const int episodes = episodes_of(proposers_[size_t(st.phase)]->method());
    if (st.next_episode >= episodes) {
      ++st.phase;
      st.next_episode = 0;
      continue;
    }
    if (options_.stop_after >= 0 && st.episodes_this_run >= options_.stop_after) {
      result.interrupted = true;
      result.episodes = st.records;
      return result;
    }
    run_episode(st);
    if (st.next_episode == episodes) {  // checkpoint the start of the next phase
      ++st.phase;
      st.next_episode = 0;
    }
    save_checkpoint(st);
    write_episodes(st);
    const EpisodeRecord& r = st.records.back();
    progress.advance(
        1, fmt::format(
               "{} reward {:+.3f} best {} cost {:.4g}/{:.4g} {}", r.kind, r.reward,
               r.best_accuracy >= 0 ? fmt::format("{:.2f}%", r.best_accuracy) : std::string("-"),
               r.cost.of(options_.budget.kind), budget_, unit_of(options_.budget.kind)));
  }
  progress.finish();
  result.episodes = st.records;

  const bool reranking = options_.rerank_images > 0;
  const int bits_range = options_.env.max_bits - options_.env.min_bits + 1;
  Progress final_progress("finalists", reranking ? phases * finalist_count() + bits_range + 1 : 0,
                          options_.progress && reranking);
  for (const std::string& method : options_.methods) {
    if (method == "uniform") continue;
    if (method == "ilp") {
      result.winners.push_back(ilp_winner(result));
      continue;
    }
    Candidate c = choose_winner(method, st.records, result.finalists, final_progress);
    c.evaluations = 0;
    c.search_seconds = 0;
    for (const EpisodeRecord& r : st.records) {
      if (method_of(r.kind) != method) continue;
      ++c.evaluations;
      c.search_seconds += r.seconds;
    }
    result.winners.push_back(std::move(c));
  }
  rerank(result.reference);
  final_progress.advance(reranking ? 1 : 0);
  for (int k = options_.env.max_bits; k >= options_.env.min_bits; --k) {
    result.uniform.push_back(candidate(fmt::format("uniform-{}", k), uniform_policy(k)));
    rerank(result.uniform.back());
    final_progress.advance(reranking ? 1 : 0);
  }
  final_progress.finish();
  return result;
}

BitSensitivity HaqSearch::measured_sensitivity() {
  // One evaluation per free layer, operand and bit width below 8 (8 bits is the reference
  // itself, an increase of 0): the loss, not top-1, which moves in steps of one image and is
  // mostly noise for the small perturbations of 5..7 bits.
  const EnvironmentOptions& o = options_.env;
  BitSensitivity sensitivity;
  sensitivity.weight.assign(size_t(env_.layers()), {});
  sensitivity.activation.assign(size_t(env_.layers()), {});
  Progress progress("ilp sensitivities", measured_evaluations(), options_.progress);
  const double reference_loss = accuracy_.loss(Policy::uniform(env_.layers(), 8, 8));
  for (int l = 0; l < env_.layers(); ++l) {
    if (env_.pinned(l)) continue;
    for (int operand = 0; operand < measured_operands(); ++operand) {
      for (int b = o.min_bits; b <= o.max_bits; ++b) {
        double drop = 0;
        if (b < 8) {
          Policy p = Policy::uniform(env_.layers(), 8, 8);
          (operand == 0 ? p.layers[size_t(l)].wbits : p.layers[size_t(l)].abits) = b;
          drop = accuracy_.loss(p) - reference_loss;
          progress.advance(1);
        }
        (operand == 0 ? sensitivity.weight : sensitivity.activation)[size_t(l)][size_t(b - 1)] =
            drop;
      }
    }
  }
  progress.finish();
  return sensitivity;
}

int HaqSearch::measured_evaluations() const {
  const EnvironmentOptions& o = options_.env;
  int free_layers = 0;
  for (int l = 0; l < env_.layers(); ++l) free_layers += env_.pinned(l) ? 0 : 1;
  return measured_operands() * free_layers *
         (o.max_bits - o.min_bits + 1 - (o.max_bits == 8 ? 1 : 0));
}

int HaqSearch::measured_operands() const {
  // A size budget counts weights only: activation bits cost nothing, so their sensitivities are
  // left at 0 and the ILP's slack pass (ilp_search.cpp) gives every layer --max-bits activations,
  // the uniform baselines' choice. Measuring them would double the evaluations for nothing.
  return options_.budget.kind == ConstraintKind::kSize ? 1 : 2;
}

Candidate HaqSearch::ilp_winner(SearchResult& result) {
  const auto started = std::chrono::steady_clock::now();
  HessianOptions hessian = options_.hessian;
  hessian.progress = options_.progress;
  BitSensitivity sensitivity = options_.ilp_sensitivity == "hessian"
                                   ? hessian_sensitivity(cached_hessian_traces(
                                         accuracy_.context(), hessian, hessian.cache_dir))
                                   : measured_sensitivity();
  const int evaluations = options_.ilp_sensitivity == "hessian" ? 0 : measured_evaluations();
  auto cost_of = [&](int i, LayerBits b) { return layer_cost(i, b); };
  // At the budget first, so the method's time is its sensitivities and this solve, not the front.
  const auto at_budget = solve_bit_allocation(sensitivity, cost_of, budget_, env_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The front: the optimum at budgets from the cheapest policy to the 8-bit cost, no accuracy
  // measured (the ILP's prediction is its objective).
  const double full = result.reference.cost.of(options_.budget.kind);
  for (int step = 1; step <= (options_.ilp_front ? 20 : 0); ++step) {
    const double fraction = 0.05 * step;
    if (auto s = solve_bit_allocation(sensitivity, cost_of, fraction * full, env_)) {
      IlpFrontPoint p{fraction, fraction * full, s->objective, costs_.cost(s->policy), s->policy};
      Candidate measured;
      measured.policy = p.policy;
      measured.accuracy = accuracy_.top1_percent(p.policy, accuracy_.options().split,
                                                 accuracy_.options().images, 0);
      rerank(measured);
      p.accuracy = ranking_accuracy(measured);
      result.ilp_front.push_back(std::move(p));
    }
  }
  Candidate winner;
  winner.method = "ilp";
  winner.evaluations = evaluations + 1;
  if (at_budget) {
    winner = candidate("ilp", at_budget->policy);
    winner.evaluations = evaluations + 1;
    rerank(winner);
  }
  winner.search_seconds = seconds;
  return winner;
}

int HaqSearch::finalist_count() const {
  return options_.rerank_images > 0 ? std::max(1, options_.finalists) : 1;
}

void HaqSearch::rerank(Candidate& c) const {
  if (options_.rerank_images <= 0 || !c.found()) return;
  c.rerank_accuracy = accuracy_.top1_percent(c.policy, accuracy_.options().split,
                                             options_.rerank_images, accuracy_.options().images);
}

Candidate HaqSearch::choose_winner(const std::string& method,
                                   const std::vector<EpisodeRecord>& records,
                                   std::vector<Candidate>& all, Progress& progress) const {
  // The method's budget-meeting episodes, best first (earliest on ties), one per policy.
  std::vector<const EpisodeRecord*> ranked;
  for (const auto& r : records) {
    if (method_of(r.kind) == method && meets_budget(r.cost)) ranked.push_back(&r);
  }
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const EpisodeRecord* a, const EpisodeRecord* b) { return a->accuracy > b->accuracy; });
  const int wanted = finalist_count();
  std::vector<Candidate> chosen;
  for (const EpisodeRecord* r : ranked) {
    if (int(chosen.size()) == wanted) break;
    const std::string key = compact_policy(r->policy);
    if (std::any_of(chosen.begin(), chosen.end(),
                    [&](const Candidate& c) { return compact_policy(c.policy) == key; })) {
      continue;
    }
    Candidate c;
    c.method = method;
    c.policy = r->policy;
    c.accuracy = r->accuracy;
    c.cost = r->cost;
    c.meets_budget = true;
    rerank(c);
    progress.advance(options_.rerank_images > 0 ? 1 : 0);
    chosen.push_back(std::move(c));
  }
  // Held-out accuracy first; `chosen` is in search-accuracy order (earliest on ties), which the
  // stable sort keeps among equal held-out figures.
  std::stable_sort(chosen.begin(), chosen.end(), [](const Candidate& a, const Candidate& b) {
    return ranking_accuracy(a) > ranking_accuracy(b);
  });
  Candidate winner;
  winner.method = method;
  if (!chosen.empty()) winner = chosen.front();
  all.insert(all.end(), chosen.begin(), chosen.end());
  return winner;
}

namespace {

std::string optional_percent(double v) {
  return v >= 0 ? fmt::format("{:.4f}", v) : "";
}

std::string candidate_rows(const std::vector<const Candidate*>& candidates) {
  std::string out =
      "method,accuracy,rerank_accuracy,test_accuracy,finetuned_test_accuracy,latency_ms,energy_mj,"
      "size_mb,meets_budget,evaluations,search_seconds,policy\n";
  for (const Candidate* c : candidates) {
    if (!c->found()) continue;
    out += fmt::format(
        "{},{:.4f},{},{},{},{:.6f},{:.6f},{:.6f},{},{},{},{}\n", c->method, c->accuracy,
        optional_percent(c->rerank_accuracy), optional_percent(c->test_accuracy),
        optional_percent(c->finetuned_test_accuracy), c->cost.latency_ms, c->cost.energy_mj,
        c->cost.size_mb, c->meets_budget ? "true" : "false", c->evaluations,
        c->search_seconds >= 0 ? fmt::format("{:.3f}", c->search_seconds) : std::string(),
        compact_policy(c->policy));
  }
  return out;
}

}  // namespace

std::string comparison_csv(const SearchResult& r) {
  return candidate_rows(r.candidates());
}

std::string ilp_front_csv(const SearchResult& r) {
  // predicted_loss_increase: the ILP's objective, summed per-layer loss increases in nats.
  // accuracy: top-1 on the images the winners are ranked on (comparison.csv's rerank_accuracy,
  // or its accuracy without re-ranking).
  std::string out =
      "budget_fraction,budget,predicted_loss_increase,accuracy,latency_ms,energy_mj,size_mb,"
      "policy\n";
  for (const IlpFrontPoint& p : r.ilp_front) {
    out += fmt::format("{:.2f},{:.6f},{:.6f},{:.4f},{:.6f},{:.6f},{:.6f},{}\n", p.budget_fraction,
                       p.budget, p.sensitivity, p.accuracy, p.cost.latency_ms, p.cost.energy_mj,
                       p.cost.size_mb, compact_policy(p.policy));
  }
  return out;
}

std::string finalists_csv(const SearchResult& r) {
  std::vector<const Candidate*> all;
  for (const Candidate& c : r.finalists) all.push_back(&c);
  return candidate_rows(all);
}

}  // namespace haqsim::search
