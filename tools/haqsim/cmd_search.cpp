// `haqsim search`: HAQ's hardware-aware mixed-precision search on one accelerator instance.
// Accuracy comes from the trained model (e.g. the shipped Fashion-MNIST MobileNet at 32x32);
// latency and energy from the accelerator running the same layer list at the deployment shape
// (ImageNet's 224x224x3 with 1000 classes by default). Both instances are named in the outputs.
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/quant/quantization_context.h"
#include "models/training/quant_aware.h"
#include "models/zoo.h"
#include "search/haq_search.h"
#include "search/uniform_baseline.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"
#include "tools/app/network_run.h"
#include "tools/app/report.h"
#include "tools/haqsim/cli_main.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/onnx_search_model.h"
#include "tools/haqsim/searcher_options.h"

namespace haqsim::cli {

namespace {

struct SearchCliOptions : SearcherOptions {
  std::string arch;
  std::string onnx;  // a float model trained on --dataset instead of --model
  int random_episodes = -1;
  int evolution_episodes = -1;
  int finetune_images = 0;
  int final_finetune_images = 0;
  std::string out;
  bool resume = false;
  CacheOptions cache;
  bool quiet = false;
  int threads = 1;
  int jobs = 1;
  int stop_after = -1;
  search::DdpgOptions ddpg;
};

std::string fingerprint(const SearchCliOptions& o, const ArchConfig& config,
                        const std::string& weights) {
  const auto& d = o.ddpg;
  std::string text = fmt::format(
      "model={} weights={} ({} bytes) dataset={} arch={} ({} bytes) backend={} "
      "cost_shape={}x{}x{}/{} "
      "eval={}x{} finetune={} bits={}..{} pin_first_last={} warmup={} hidden={} lr={}/{} "
      "batch={} replay={} discount={} tau={} sigma={}x{} alpha={}",
      o.model, weights, std::filesystem::file_size(weights), o.dataset, config.file,
      config.content.size(), o.backend, o.cost_resolution, o.cost_resolution, o.cost_channels,
      o.cost_classes, o.eval_images, "val", o.finetune_images, o.min_bits, o.max_bits,
      !o.free_first_last, d.warmup, d.hidden, d.lr_actor, d.lr_critic, d.batch_size,
      d.replay_per_layer, d.discount, d.tau, d.sigma, d.sigma_decay, d.moving_alpha);
  // Only a non-default thread count is part of it, so searches started before --threads existed
  // (one thread) still resume.
  if (o.threads != 1) text += fmt::format(" threads={}", o.threads);
  // Likewise the methods, when not HAQ's pair.
  if (o.methods != "ddpg,random") text += " methods=" + o.methods;
  return text + o.ilp_fingerprint();
}

void print_comparison(const search::SearchResult& r, const search::Budget& budget,
                      const SearchCliOptions& o) {
  auto percent = [](double v) { return v >= 0 ? fmt::format("{:.2f}%", v) : std::string(); };
  fmt::print("\n{:<12} {:>10} {:>10} {:>10} {:>10} {:>11} {:>11} {:>9} {:>7} {:>6} {:>8}\n",
             "method", "acc search", "acc valid", "acc test", "tuned test", "latency ms",
             "energy mJ", "size MB", "budget", "evals", "search s");
  for (const search::Candidate* c : r.candidates()) {
    if (!c->found()) {
      if (!c->method.empty()) fmt::print("{:<12} {:>9}\n", c->method, "no policy met the budget");
      continue;
    }
    fmt::print(
        "{:<12} {:>10} {:>10} {:>10} {:>10} {:>11.3f} {:>11.4f} {:>9.3f} {:>7} {:>6} {:>8}\n",
        c->method, percent(c->accuracy), percent(c->rerank_accuracy), percent(c->test_accuracy),
        percent(c->finetuned_test_accuracy), c->cost.latency_ms, c->cost.energy_mj, c->cost.size_mb,
        c->meets_budget ? "meets" : "over",
        c->evaluations > 0 ? std::to_string(c->evaluations) : std::string(),
        c->search_seconds >= 0 ? fmt::format("{:.1f}", c->search_seconds) : std::string());
  }
  fmt::print("acc search: validation images 0..{}, the search's metric", o.eval_images - 1);
  if (o.rerank_images > 0) {
    fmt::print(
        "; acc valid: held-out validation images {}..{}, on which each method's winner "
        "was chosen among its {} best policies",
        o.eval_images, o.eval_images + o.rerank_images - 1, o.finalists);
  }
  fmt::print("; acc test: {} test images", o.test_images);
  if (o.final_finetune_images > 0) {
    fmt::print(
        "; tuned test: the same after a quantization-aware fine-tune over {} training images",
        o.final_finetune_images);
  }
  fmt::print("\n");
  fmt::print("budget: {} = {:.4g} {}\n", budget.describe(), r.budget, search::unit_of(budget.kind));
}

// The per-layer report of the found policy next to 8-bit's.
// Energy in mJ like simulate's table and layers.csv; the name column as wide as the longest name.
void print_side_by_side(const NetworkRun& found, const NetworkRun& all8) {
  size_t width = 16;
  for (const LayerResult& f : found.layers) width = std::max(width, f.workload.name.size());
  fmt::print("\n{:>3} {:<{}} {:<10} {:>5} {:>12} {:>12} {:>7} {:>11} {:>11} {:>8}\n", "#", "layer",
             width, "kind", "w/a", "cycles 8-bit", "cycles", "speedup", "mJ 8-bit", "mJ", "bound");
  for (size_t i = 0; i < found.layers.size(); ++i) {
    const LayerResult& f = found.layers[i];
    const LayerResult& r = all8.layers[i];
    fmt::print("{:>3} {:<{}} {:<10} {:>5} {:>12} {:>12} {:>6.2f}x {:>11.4f} {:>11.4f} {:>8}\n", i,
               f.workload.name, width, to_string(f.workload.kind),
               fmt::format("{}/{}", f.bits.wbits, f.bits.abits), r.stats.cycles, f.stats.cycles,
               double(r.stats.cycles) / double(std::max<int64_t>(f.stats.cycles, 1)),
               r.stats.energy.total_pj() * 1e-9, f.stats.energy.total_pj() * 1e-9, f.stats.bound());
  }
}

int run_search(const SearchCliOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const ArchConfig config = load_arch_config(o.arch);
  const Backend backend = parse_backend(o.backend);
  const search::Budget budget = o.budget();
  o.check_methods();
  const search::ConstraintKind kind = budget.kind;
  const search::EnvironmentOptions env = o.environment();
  if (!o.resume && std::filesystem::exists(o.out + "/checkpoint.bin")) {
    throw InputError(InputLocation{o.out + "/checkpoint.bin", 0, "", -1},
                     "a search already ran in this directory; pass --resume to continue it or "
                     "choose another --out");
  }
  // One thread by default: it leaves the other cores to parallel runs. More threads speed up the
  // fine-tuning of --finetune-images (the integer evaluation and the agent's tiny networks gain
  // little); the thread count is part of the checkpoint's fingerprint because a different count
  // may sum in another order, and a resumed search must repeat the same arithmetic.
  torch::set_num_threads(o.threads);

  std::string weights;
  QuantizationContext ctx =
      o.onnx.empty() ? o.load_model(o.cache, &weights)
                     : prepare_onnx_quantization(o.onnx, o.dataset, o.cost_resolution,
                                                 o.calibration_images, o.cache.calibration());
  ctx.weight_quantization = o.weight_quantizer.resolve();
  if (!o.onnx.empty()) weights = o.onnx;
  const Network& net = ctx.model.network;
  const Network cost_net = o.onnx.empty()
                               ? o.cost_network(net.name, config.batch)
                               : onnx_cost_network(o.onnx, config.batch, o.cost_resolution);
  if (cost_net.quantizable_count() != net.quantizable_count()) {
    throw InputError(
        InputLocation{weights, 0, "model", -1},
        fmt::format("{} quantizable layers (the zoo's {})", cost_net.quantizable_count(), net.name),
        std::to_string(net.quantizable_count()));
  }
  const std::string accuracy_instance =
      o.onnx.empty()
          ? fmt::format("{} {}x{}x{}, {} classes, first stride {}, trained on {} ({})", net.name,
                        net.spec.resolution, net.spec.resolution, net.spec.in_channels,
                        net.spec.classes, net.spec.first_stride, ctx.data.name, weights)
          : fmt::format("{} {}, {} classes, evaluated on {} ({})", net.name, net.spec.input_shape(),
                        net.spec.classes, ctx.data.name, weights);
  const std::string cost_instance =
      o.onnx.empty()
          ? fmt::format("{} {}x{}x{}, {} classes, batch {}", net.name, o.cost_resolution,
                        o.cost_resolution, o.cost_channels, o.cost_classes, config.batch)
          : fmt::format("{} {}, {} classes, batch {} ({})", net.name, cost_net.spec.input_shape(),
                        cost_net.spec.classes, config.batch, o.onnx);
  if (!o.quiet) {
    fmt::print("accuracy from {}\ncosts from {} on {} ({} backend)\n", accuracy_instance,
               cost_instance, config.name, o.backend);
  }

  search::CostCacheOptions cache;
  cache.enabled = !o.cache.disabled;
  cache.dir = o.cache.dir;
  search::CostOracle costs(config, backend, cost_net, cache);
  costs.set_weight_quantizer(ctx.weight_quantization.quantizer);
  if (!costs.cache_problem().empty() && !o.quiet) {
    fmt::print("cost cache rebuilt: {}\n", costs.cache_problem());
  }
  const auto fill_started = std::chrono::steady_clock::now();
  costs.fill(o.min_bits, o.max_bits, !o.quiet, o.jobs);
  const double fill_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_started).count();
  if (!o.quiet) {
    fmt::print("cost table: {} layers x {} bit pairs, {} simulated now{} ({:.1f} s), cache {}\n",
               costs.layers(), (o.max_bits - o.min_bits + 1) * (o.max_bits - o.min_bits + 1),
               costs.simulations(),
               costs.shared_entries() > 0
                   ? fmt::format(", {} from a concurrent run", costs.shared_entries())
                   : "",
               fill_seconds, cache.enabled ? costs.cache_path() : "off");
  }

  // A budget below the cheapest policy the search may propose can never be met.
  {
    const Policy lowest = search::uniform_baseline(env, net.quantizable_count(), o.min_bits, kind);
    const double b = budget.resolve([&](int bits) {
      return costs.cost(search::uniform_baseline(env, net.quantizable_count(), bits, kind));
    });
    const double floor = costs.cost(lowest).of(kind);
    if (floor > b) {
      throw InputError(
          InputLocation{"", 0, "--target", -1},
          fmt::format("a budget of at least {:.4g} {} (the cost with every free layer at {} bits)",
                      floor, search::unit_of(kind), o.min_bits),
          fmt::format("{} = {:.4g} {}", budget.describe(), b, search::unit_of(kind)));
    }
  }

  o.check_validation_images(ctx);
  search::AccuracyOptions acc_options;
  acc_options.images = o.eval_images;
  acc_options.finetune_images = o.finetune_images;
  acc_options.seed = o.seed;
  // The memo on disk: the 8-bit, uniform and ILP-sensitivity measurements (and any policy a
  // searcher proposes again) are made once across searches of the same model and data, whatever
  // the hardware.
  acc_options.cache_dir = o.cache.measurement_dir();
  search::AccuracyOracle accuracy(ctx, acc_options);

  search::SearchOptions so;
  o.apply(so);
  so.evolution_episodes = o.evolution_episodes;
  so.budget = budget;
  so.random_episodes = o.random_episodes;
  so.ddpg = o.ddpg;
  so.ddpg.seed = o.seed;
  so.out_dir = o.out;
  so.resume = o.resume;
  so.progress = !o.quiet;
  so.fingerprint = fingerprint(o, config, weights);
  so.stop_after = o.stop_after;
  so.hessian.cache_dir = o.cache.measurement_dir();
  search::HaqSearch search(net, costs, accuracy, so);
  search::SearchResult result = search.run();
  costs.save();
  accuracy.save_cache();
  if (result.interrupted) {
    fmt::print("stopped after {} episodes (--stop-after); resume with --resume\n",
               result.episodes.size());
    return 0;
  }

  // Final figures of the winners on the test split.
  const Split test = Split::kTest;
  std::vector<search::Candidate*> winners = {&result.reference};
  for (auto& c : result.winners) winners.push_back(&c);
  for (search::Candidate* c : winners) {
    if (c->found()) c->test_accuracy = accuracy.top1_percent(c->policy, test, o.test_images);
  }
  for (auto& c : result.uniform) {
    if (c.meets_budget) c.test_accuracy = accuracy.top1_percent(c.policy, test, o.test_images);
  }
  // HAQ fine-tunes the policy it found before reporting its accuracy; the baselines get the same
  // fine-tune, so the comparison stays fair.
  if (o.final_finetune_images > 0) {
    FinetuneOptions ft;
    ft.epochs = 1;
    ft.images_per_epoch = o.final_finetune_images;
    ft.seed = o.seed;
    // The best uniform policy within the budget, and with `--target Kbit` also uniform-K, the
    // baseline that set the budget (the paper's tables compare with it even where another
    // uniform width ranks higher before the fine-tune).
    std::vector<search::Candidate*> tuned = winners;
    const std::string budget_setter =
        budget.uniform_bits > 0 ? fmt::format("uniform-{}", budget.uniform_bits) : std::string();
    for (auto& c : result.uniform) {
      if (&c == result.best_uniform() || (c.method == budget_setter && c.meets_budget)) {
        tuned.push_back(&c);
      }
    }
    for (search::Candidate* c : tuned) {
      if (!c->found()) continue;
      if (!o.quiet) {
        fmt::print(stderr, "fine-tuning the {} policy over {} training images\n", c->method,
                   o.final_finetune_images);
      }
      c->finetuned_test_accuracy =
          accuracy.finetuned_top1_percent(c->policy, ft, test, o.test_images);
      accuracy.save_cache();  // a killed run keeps the fine-tunes it finished
    }
  }
  const search::Candidate* winner = result.best();
  if (!o.quiet) {
    // The answer first, then the table it was chosen from.
    if (winner) {
      fmt::print("\nbest within the budget: {} ({:.2f}% on the held-out images, {:.2f}% test{})\n",
                 winner->method,
                 winner->rerank_accuracy >= 0 ? winner->rerank_accuracy : winner->accuracy,
                 winner->test_accuracy,
                 winner->finetuned_test_accuracy >= 0
                     ? fmt::format(", {:.2f}% after fine-tuning", winner->finetuned_test_accuracy)
                     : std::string());
    }
    print_comparison(result, budget, o);
  }

  // Outputs: the best policy (or, if none met the budget, nothing but the records).
  write_file_atomically(o.out + "/comparison.csv", search::comparison_csv(result));
  write_file_atomically(o.out + "/finalists.csv", search::finalists_csv(result));
  if (!result.ilp_front.empty()) {
    write_file_atomically(o.out + "/ilp_front.csv", search::ilp_front_csv(result));
  }
  nlohmann::json summary = {
      {"model", net.name},
      {"accuracy_instance", accuracy_instance},
      {"cost_instance", cost_instance},
      {"arch", config.name},
      {"arch_file", config.file},
      {"backend", o.backend},
      {"constraint", search::to_string(kind)},
      {"target", budget.describe()},
      {"budget", result.budget},
      {"budget_unit", search::unit_of(kind)},
      {"methods", so.methods},
      {"episodes", o.episodes},
      {"random_episodes", o.random_episodes < 0 ? o.episodes : o.random_episodes},
      {"eval_images", o.eval_images},
      {"rerank_images", o.rerank_images},
      {"finalists", o.finalists},
      {"test_images", o.test_images},
      {"finetune_images", o.finetune_images},
      {"final_finetune_images", o.final_finetune_images},
      {"seed", o.seed},
      {"threads", o.threads},
      {"ilp_sensitivity", o.ilp_sensitivity},
      {"weight_quantizer", o.weight_quantizer.quantizer},
      {"accuracy_evaluations", accuracy.evaluations()},
      {"cost_simulations", costs.simulations()},
      {"cost_fill_seconds", fill_seconds},
      {"seconds",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()},
  };
  auto candidate_json = [&](const search::Candidate& c) {
    return nlohmann::json{{"method", c.method},
                          {"accuracy", c.accuracy},
                          {"rerank_accuracy", c.rerank_accuracy},
                          {"test_accuracy", c.test_accuracy},
                          {"finetuned_test_accuracy", c.finetuned_test_accuracy},
                          {"latency_ms", c.cost.latency_ms},
                          {"energy_mj", c.cost.energy_mj},
                          {"size_mb", c.cost.size_mb},
                          {"meets_budget", c.meets_budget},
                          {"evaluations", c.evaluations},
                          {"search_seconds", c.search_seconds},
                          {"policy", search::compact_policy(c.policy)}};
  };
  summary["reference_8bit"] = candidate_json(result.reference);
  for (const auto& c : result.winners) {
    if (c.found()) summary[c.method] = candidate_json(c);
  }
  if (const auto* u = result.best_uniform()) summary["best_uniform"] = candidate_json(*u);
  if (winner) summary["best"] = candidate_json(*winner);
  accuracy.save_cache();
  summary["accuracy_memo_answers"] = accuracy.cached_answers();
  write_file_atomically(o.out + "/search.json", summary.dump(2) + "\n");
  if (!winner) {
    fmt::print(stderr, "haqsim: no policy met the budget; see {}/episodes.csv\n", o.out);
    return 1;
  }
  // policy.yaml and the reports are of the most accurate policy within the budget, a uniform
  // one included: the demo's 60-episode searches lose to uniform-5 at 0.6, and then the
  // honest answer is uniform-5.
  Policy best = winner->policy;
  best.source = fmt::format("haqsim search ({} {}, {})", search::to_string(kind), budget.describe(),
                            config.name);
  write_file_atomically(o.out + "/policy.yaml", best.to_yaml(net));

  // Per-layer reports of the found policy and of 8-bit, simulated afresh (with the reference
  // check for cycle-accurate backends) at the deployment shape.
  auto model = make_cost_model(config, backend);
  NetworkRun found = run_network(*model, cost_net, best, backend);
  found.instance = cost_instance;
  write_report(o.out, found);
  NetworkRun all8 = run_network(*model, cost_net, result.reference.policy, backend);
  all8.instance = cost_instance;
  write_report(o.out + "/reference_8bit", all8);
  if (!o.quiet) {
    print_side_by_side(found, all8);
    fmt::print(
        "\nfound policy vs 8-bit: latency {:.3f} vs {:.3f} ms ({:.2f}x), energy {:.4f} vs "
        "{:.4f} mJ ({:.2f}x)\n",
        found.latency_ms(), all8.latency_ms(), all8.latency_ms() / found.latency_ms(),
        found.energy_mj(), all8.energy_mj(), all8.energy_mj() / found.energy_mj());
    fmt::print(
        "wrote {0}/policy.yaml, episodes.csv, comparison.csv, finalists.csv, search.json, "
        "layers.csv, "
        "summary.json, reference_8bit/\n",
        o.out);
  }
  return 0;
}

}  // namespace

Command add_search_command(CLI::App& app) {
  auto o = std::make_shared<SearchCliOptions>();
  auto* cmd = app.add_subcommand("search", learning_command_description("search"));
  cmd->add_option("--arch", o->arch, "Accelerator instance (YAML in arch-configs/)")
      ->required()
      ->check(CLI::ExistingFile);
  o->add_to(cmd,
            {"systemc", "ddpg,random", 600, 500, 2000, 10000,
             "Budget: a ratio of the 8-bit cost (0.6), a value with unit (12ms, 3mJ, 2MB) or a "
             "fixed-precision baseline's cost (4bit: the comparison's uniform-4 policy)",
             "Searchers to compare, comma-separated: ddpg (HAQ), random, evolution "
             "(APQ-style), ilp (HAWQ-V3-style), uniform (always measured)",
             "DDPG episodes, warm-up included (HAQ: 600)",
             "Cost model: systemc (default), rtl or analytic",
             "Seed of the agent, exploration and the other searchers"});
  cmd->add_option("--onnx", o->onnx,
                  "A float model trained on --dataset, as ONNX, instead of --model (costs from the "
                  "same graph; a symbolic input size takes --cost-resolution)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--evolution-episodes", o->evolution_episodes,
                  "Policies evolutionary search evaluates (default: as many as --episodes)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--random-episodes", o->random_episodes,
                  "Policies for the random-search baseline (default: as many as --episodes; 0: "
                  "none)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--finetune-images", o->finetune_images,
                  "Short quantization-aware fine-tune over this many training images before each "
                  "accuracy measurement (HAQ: 20000; 0: post-training quantization)")
      ->default_val(0)
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--final-finetune-images", o->final_finetune_images,
                  "Fine-tune the winners (every method's, the best uniform, 8-bit) over this many "
                  "training images before a second test measurement (HAQ: the found policy is "
                  "fine-tuned; 0: none)")
      ->default_val(0)
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--out", o->out, "Output directory")->required();
  cmd->add_flag("--resume", o->resume, "Continue the search checkpointed in --out");
  o->cache.add_to(*cmd);
  cmd->add_flag("--quiet", o->quiet, "Only errors on the terminal");
  add_jobs_option(cmd, o->jobs, "simulating the cost table's missing entries in parallel");
  add_threads_option(
      cmd, o->threads, 1,
      " (speed up --finetune-images; 1 leaves the other cores to parallel searches)");
  cmd->add_option("--stop-after", o->stop_after,
                  "Testing: stop after N episodes of this run, as if interrupted")
      ->group("");
  auto& d = o->ddpg;
  const std::string g = "DDPG (HAQ's defaults)";
  cmd->add_option("--warmup", d.warmup, "Warm-up episodes of random actions")
      ->default_val(20)
      ->check(CLI::Range(0, 1000000))
      ->group(g);
  cmd->add_option("--hidden", d.hidden, "Hidden units of actor and critic layers")
      ->default_val(300)
      ->check(CLI::Range(1, 100000))
      ->group(g);
  cmd->add_option("--lr-actor", d.lr_actor, "Actor learning rate")->default_val(1e-4)->group(g);
  cmd->add_option("--lr-critic", d.lr_critic, "Critic learning rate")->default_val(1e-3)->group(g);
  cmd->add_option("--batch-size", d.batch_size, "Minibatch of each update")
      ->default_val(64)
      ->check(CLI::Range(1, 100000))
      ->group(g);
  cmd->add_option("--replay-per-layer", d.replay_per_layer, "Replay capacity per quantizable layer")
      ->default_val(128)
      ->check(CLI::Range(1, 1000000))
      ->group(g);
  cmd->add_option("--discount", d.discount, "Discount factor")->default_val(1.0)->group(g);
  cmd->add_option("--tau", d.tau, "Soft target update rate")->default_val(0.01)->group(g);
  cmd->add_option("--sigma", d.sigma, "Initial exploration noise")->default_val(0.5)->group(g);
  cmd->add_option("--sigma-decay", d.sigma_decay, "Noise decay per episode after warm-up")
      ->default_val(0.99)
      ->group(g);
  cmd->add_option("--moving-alpha", d.moving_alpha, "Reward baseline update rate")
      ->default_val(0.5)
      ->group(g);
  return [o] { return run_search(*o); };
}

}  // namespace haqsim::cli
