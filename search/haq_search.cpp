#include "search/haq_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "base/progress.h"
#include "search/checksummed_file.h"

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
  std::vector<const Candidate*> all = {&reference, &ddpg, &random};
  for (const Candidate& c : uniform) all.push_back(&c);
  return all;
}

namespace {

// The figure a candidate is ranked by: held-out accuracy when it was measured.
double ranking_accuracy(const Candidate& c) {
  return c.rerank_accuracy >= 0 ? c.rerank_accuracy : c.accuracy;
}

}  // namespace

const Candidate* SearchResult::best_uniform() const {
  const Candidate* best = nullptr;
  for (const Candidate& c : uniform) {
    if (c.meets_budget && (!best || ranking_accuracy(c) > ranking_accuracy(*best))) best = &c;
  }
  return best;
}

struct HaqSearch::State {
  int phase = 0;  // 0: DDPG, 1: random search, 2: done
  int next_episode = 0;
  Rng ddpg_rng, random_rng;
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

HaqSearch::Proposal HaqSearch::propose(int episode, bool ddpg, Rng& rng) {
  Proposal p;
  double previous = 0;
  for (int step = 0; step < env_.steps(); ++step) {
    std::vector<float> s = env_.observation(step, previous);
    const double a = ddpg ? agent_.explore(s, episode, rng)
                          : std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    previous = env_.effective_action(step, a);
    p.states.push_back(std::move(s));
    p.actions.push_back(previous);
  }
  return p;
}

Enforced HaqSearch::enforce(const Proposal& p) {
  const ConstraintKind kind = options_.budget.kind;
  auto layer_cost = [&](int i, LayerBits b) {
    switch (kind) {
      case ConstraintKind::kLatency:
        return costs_.layer(i, b).latency_ms;
      case ConstraintKind::kEnergy:
        return costs_.layer(i, b).energy_mj;
      case ConstraintKind::kSize:
        return costs_.layer_size_mb(i, b.wbits);
    }
    return 0.0;
  };
  return enforce_budget(env_.policy_of(p.actions), budget_, env_, layer_cost);
}

void HaqSearch::learn(const Proposal& p, double reward, int episode, Rng& rng) {
  for (int t = 0; t < env_.steps(); ++t) {
    const bool last = t + 1 == env_.steps();
    agent_.remember({p.states[t], last ? p.states[t] : p.states[t + 1], float(p.actions[t]),
                     float(reward), last});
    if (agent_.learning(episode)) agent_.update(rng);
  }
}

void HaqSearch::run_episode(State& st, bool ddpg) {
  const auto start = std::chrono::steady_clock::now();
  const int episode = st.next_episode;
  Rng& rng = ddpg ? st.ddpg_rng : st.random_rng;
  const Proposal proposal = propose(episode, ddpg, rng);
  const Enforced enforced = enforce(proposal);
  const double accuracy = accuracy_.top1_percent(enforced.policy);
  const double reward = 0.1 * (accuracy - reference_accuracy_);
  if (ddpg) learn(proposal, reward, episode, rng);
  EpisodeRecord r;
  r.episode = episode;
  r.kind = ddpg ? (agent_.learning(episode) ? "ddpg" : "warmup") : "random";
  r.accuracy = accuracy;
  r.reward = reward;
  r.cost = costs_.cost(enforced.policy);
  r.budget = budget_;
  r.sigma = ddpg && agent_.learning(episode) ? agent_.sigma_at(episode) : 0;
  r.policy = enforced.policy;
  double best = enforced.met ? accuracy : -1;
  for (const auto& prev : st.records) {
    if ((prev.kind == "random") == !ddpg && meets_budget(prev.cost)) {
      best = std::max(best, prev.accuracy);
    }
  }
  r.best_accuracy = best;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  st.records.push_back(std::move(r));
  ++st.next_episode;
  ++st.episodes_this_run;
}

void HaqSearch::benchmark_episode(int episode, double reward) {
  if (budget_ <= 0) {
    budget_ = options_.budget.resolve(costs_.cost(Policy::uniform(env_.layers(), 8, 8)));
  }
  const Proposal proposal = propose(episode, true, bench_rng_);
  (void)costs_.cost(enforce(proposal).policy);
  learn(proposal, reward, episode, bench_rng_);
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
  j["ddpg_rng"] = rng_state(st.ddpg_rng);
  j["random_rng"] = rng_state(st.random_rng);
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
  set_rng_state(st.ddpg_rng, j.at("ddpg_rng"));
  set_rng_state(st.random_rng, j.at("random_rng"));
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
  return true;
}

SearchResult HaqSearch::run() {
  SearchResult result;
  State st;
  st.ddpg_rng.seed(options_.seed);
  st.random_rng.seed(options_.seed ^ 0x9e3779b97f4a7c15ull);

  Policy all8 = Policy::uniform(env_.layers(), 8, 8);
  all8.source = "uniform 8/8";
  result.reference = candidate("8-bit", all8);
  reference_accuracy_ = result.reference.accuracy;
  budget_ = options_.budget.resolve(result.reference.cost);
  result.budget = budget_;
  result.reference.meets_budget = meets_budget(result.reference.cost);

  std::filesystem::create_directories(options_.out_dir);
  if (options_.resume && load_checkpoint(st)) {
    fmt::print(stderr, "resuming from {}/checkpoint.bin: {} episodes done\n", options_.out_dir,
               st.records.size());
  }
  const int total = options_.episodes + options_.random_episodes;
  Progress progress("search", total, options_.progress);
  progress.restore(int64_t(st.records.size()));
  while (st.phase < 2) {
    const bool ddpg = st.phase == 0;
    const int episodes = ddpg ? options_.episodes : options_.random_episodes;
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
    run_episode(st, ddpg);
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
  Progress final_progress("finalists", reranking ? 2 * finalist_count() + bits_range + 1 : 0,
                          options_.progress && reranking);
  result.ddpg = choose_winner("ddpg", st.records, result.finalists, final_progress);
  if (options_.random_episodes > 0) {
    result.random = choose_winner("random", st.records, result.finalists, final_progress);
  }
  rerank(result.reference);
  final_progress.advance(reranking ? 1 : 0);
  for (int k = options_.env.max_bits; k >= options_.env.min_bits; --k) {
    Policy p = Policy::uniform(env_.layers(), k, k);
    for (int i = 0; i < env_.layers(); ++i) {
      if (env_.pinned(i)) p.layers[i] = {options_.env.pinned_bits, options_.env.pinned_bits};
    }
    p.source = fmt::format("uniform {}/{}", k, k);
    result.uniform.push_back(candidate(fmt::format("uniform-{}", k), p));
    rerank(result.uniform.back());
    final_progress.advance(reranking ? 1 : 0);
  }
  final_progress.finish();
  return result;
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
    if ((r.kind == "random") == (method == "random") && meets_budget(r.cost)) ranked.push_back(&r);
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
      "size_mb,meets_budget,policy\n";
  for (const Candidate* c : candidates) {
    if (!c->found()) continue;
    out += fmt::format("{},{:.4f},{},{},{},{:.6f},{:.6f},{:.6f},{},{}\n", c->method, c->accuracy,
                       optional_percent(c->rerank_accuracy), optional_percent(c->test_accuracy),
                       optional_percent(c->finetuned_test_accuracy), c->cost.latency_ms,
                       c->cost.energy_mj, c->cost.size_mb, c->meets_budget ? "true" : "false",
                       compact_policy(c->policy));
  }
  return out;
}

}  // namespace

std::string comparison_csv(const SearchResult& r) {
  return candidate_rows(r.candidates());
}

std::string finalists_csv(const SearchResult& r) {
  std::vector<const Candidate*> all;
  for (const Candidate& c : r.finalists) all.push_back(&c);
  return candidate_rows(all);
}

}  // namespace haqsim::search
