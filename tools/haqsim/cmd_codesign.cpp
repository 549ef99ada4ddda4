// `haqsim codesign`: which array and which policy together. For every configuration of a sweep
// grid that fits the device, the search of `haqsim search` (any --method) finds a policy under one
// budget; the rows and the Pareto front of accuracy, cost and resources go to codesign.csv and
// front.csv (tools/app/codesign.h).
//
// The budget is one absolute value for every point: a ratio target is taken of the grid's base
// config at 8 bits ("0.33": a third of bismo-edge's 8-bit latency), so arrays compete for the same
// deadline rather than each for a fraction of its own 8-bit cost.
//
// Every point is a search of its own in DIR/points/<p>/ (checkpoint, episodes, comparison), and
// its row is written there when it finishes: a killed run resumes with --resume at the point it
// was in, and shards (--shard I/N, joined by `haqsim merge`) split the points like `sweep`'s.
// Costs come from the on-disk cost cache and accuracies from an on-disk memo (both safe with
// concurrent writers), so the 8-bit, uniform and sensitivity measurements that every point
// repeats are made once across points, shards and resumed runs.
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/cache_dir.h"
#include "base/input_error.h"
#include "models/zoo.h"
#include "search/haq_search.h"
#include "search/uniform_baseline.h"
#include "sim/registry.h"
#include "tools/app/codesign.h"
#include "tools/app/sharded_table.h"
#include "tools/app/sweep_grid.h"
#include "tools/haqsim/cli_main.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/searcher_options.h"

namespace haqsim::cli {

namespace {

namespace fs = std::filesystem;

struct CodesignOptions : SearcherOptions {
  std::string grid;
  std::string out;
  std::string shard = "0/1";
  bool resume = false;
  CacheOptions cache;
  bool quiet = false;
  int jobs = 1;
  int stop_after_points = -1;  // testing: return after this many points, as if killed
  int stop_after = -1;         // testing: the point's search stops after N episodes
};

search::PolicyCost cost_of_all8(search::CostOracle& costs, int layers) {
  return costs.cost(Policy::uniform(layers, 8, 8));
}

CodesignCost to_codesign(const search::PolicyCost& c) {
  return {c.latency_ms, c.energy_mj, c.size_mb};
}

// The point's recorded row, if it finished in an earlier run.
std::string finished_row(const std::string& dir) {
  const std::string path = dir + "/row.csv";
  return fs::exists(path) ? read_whole_file(path) : std::string();
}

int run_codesign(const CodesignOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  require_usable_output(o.out, OutputKind::kDirectory, "--out");
  const SweepGrid grid = SweepGrid::load(o.grid);
  const Shard shard = Shard::parse(o.shard);
  const Backend backend = parse_backend(o.backend);
  const search::Budget target = o.budget();
  o.check_methods();
  const search::ConstraintKind kind = target.kind;
  const search::EnvironmentOptions env = o.environment();
  const std::vector<std::string> methods = search::parse_methods(o.methods);
  if (!o.resume && fs::exists(o.out + "/points")) {
    throw InputError({o.out + "/points", 0, ""},
                     "a new output directory; a codesign already ran here (pass --resume to "
                     "continue it or choose another --out)");
  }
  torch::set_num_threads(1);  // the accuracy memo must hold what any later run would measure

  std::string weights;
  const QuantizationContext ctx = o.load_model(o.cache, &weights);
  const Network& net = ctx.model.network;
  auto cost_network = [&](int batch) { return o.cost_network(net.name, batch); };
  search::CostCacheOptions cost_cache;
  cost_cache.enabled = !o.cache.disabled;
  cost_cache.dir = o.cache.dir;

  // One absolute budget for every point, from the grid's base config at 8 bits.
  const ArchConfig base = load_arch_config(grid.base_file());
  const Network base_net = cost_network(base.batch);
  search::CostOracle base_costs(base, backend, base_net, cost_cache);
  base_costs.set_weight_quantizer(ctx.weight_quantization.quantizer);
  const search::PolicyCost base_all8 = cost_of_all8(base_costs, base_net.quantizable_count());
  base_costs.save();
  search::Budget budget = target;
  budget.relative = false;
  budget.uniform_bits = 0;
  budget.value = target.resolve([&](int bits) {
    return base_costs.cost(search::uniform_baseline(env, base_net.quantizable_count(), bits, kind));
  });

  search::AccuracyOptions acc_options;
  acc_options.images = o.eval_images;
  acc_options.seed = o.seed;
  acc_options.cache_dir = o.cache.measurement_dir();
  o.check_validation_images(ctx);
  search::AccuracyOracle accuracy(ctx, acc_options);
  const Policy all8 = Policy::uniform(net.quantizable_count(), 8, 8);
  const double reference_test = accuracy.top1_percent(all8, Split::kTest, o.test_images);

  const std::string cost_instance =
      fmt::format("{} {}x{}x{}, {} classes, each config's batch", net.name, o.cost_resolution,
                  o.cost_resolution, o.cost_channels, o.cost_classes);
  nlohmann::json identity = grid_identity(grid);
  identity.update({{"model", net.name},
                   {"weights", fs::path(weights).filename().string()},
                   {"weights_bytes", fs::file_size(weights)},
                   {"dataset", ctx.data.name},
                   {"cost_instance", cost_instance},
                   {"backend", o.backend},
                   {"constraint", search::to_string(kind)},
                   {"target", target.describe()},
                   {"budget", budget.value},
                   {"budget_unit", search::unit_of(kind)},
                   {"base_8bit",
                    {{"latency_ms", base_all8.latency_ms},
                     {"energy_mj", base_all8.energy_mj},
                     {"size_mb", base_all8.size_mb}}},
                   {"reference_8bit_test_accuracy", reference_test},
                   {"methods", methods},
                   {"ilp_sensitivity", o.ilp_sensitivity},
                   {"episodes", o.episodes},
                   {"eval_images", o.eval_images},
                   {"rerank_images", o.rerank_images},
                   {"finalists", o.finalists},
                   {"test_images", o.test_images},
                   {"calibration_images", o.calibration_images},
                   {"bits", fmt::format("{}..{}", o.min_bits, o.max_bits)},
                   {"pin_first_last", !o.free_first_last},
                   {"seed", o.seed}});
  if (o.ilp_sensitivity == "hessian") {
    identity["hessian"] = {{"images", o.hessian.images}, {"samples", o.hessian.samples}};
  }
  // What a point's checkpoint must match to be resumed: the run's identity.
  const std::string fingerprint = identity.dump();
  nlohmann::json layers = nlohmann::json::array();
  for (const Layer* l : net.quantizable_layers()) {
    layers.push_back({{"name", l->name}, {"kind", to_string(l->kind())}});
  }
  identity["layers"] = layers;  // the policy column's layers, for reports (not in the fingerprint)

  std::vector<int64_t> points;
  for (int64_t p = 0; p < grid.size(); ++p) {
    if (shard.contains(p)) points.push_back(p);
  }
  if (!o.quiet) {
    fmt::print(
        "codesign: {} of {} points (shard {}) of {}, {} backend; budget {} = {:.4g} {} "
        "(base {} at 8 bits: {:.4g} {}); methods {}\n",
        points.size(), grid.size(), shard.to_string(), grid.base_file(), o.backend,
        target.describe(), budget.value, search::unit_of(kind), base.name, base_all8.of(kind),
        search::unit_of(kind), o.methods);
    fmt::print("accuracy: {} on {}, 8-bit {:.2f}% on {} test images\n", net.name, ctx.data.name,
               reference_test, o.test_images);
  }

  std::vector<std::pair<int64_t, std::string>> rows;
  int finished_now = 0;
  for (int64_t p : points) {
    const std::string dir = fmt::format("{}/points/{}", o.out, p);
    if (std::string row = finished_row(dir); !row.empty()) {
      rows.emplace_back(p, row);
      continue;
    }
    const ArchConfig config = grid.config_at(p);
    const Network point_net = cost_network(config.batch);
    search::CostOracle costs(config, backend, point_net, cost_cache);
    costs.set_weight_quantizer(ctx.weight_quantization.quantizer);
    CodesignPoint cp;
    cp.index = p;
    cp.budget = budget.value;
    cp.reference_8bit = to_codesign(cost_of_all8(costs, point_net.quantizable_count()));
    const Policy lowest = search::uniform_baseline(env, net.quantizable_count(), o.min_bits, kind);
    if (!config.fits()) {
      cp.status = "does-not-fit";
    } else if (costs.cost(lowest).of(kind) > budget.value) {
      cp.status = "budget-below-cheapest";
    } else {
      costs.fill(o.min_bits, o.max_bits, !o.quiet, o.jobs);
      search::SearchOptions so;
      o.apply(so);
      so.budget = budget;
      so.random_episodes = o.episodes;
      so.evolution_episodes = o.episodes;
      so.out_dir = dir;
      fs::create_directories(dir);
      so.resume = fs::exists(dir + "/checkpoint.bin");
      so.progress = !o.quiet;
      so.fingerprint = fingerprint + " point " + std::to_string(p);
      so.stop_after = o.stop_after;
      so.ilp_front = false;
      so.hessian.cache_dir = o.cache.measurement_dir();
      search::HaqSearch search(net, costs, accuracy, so);
      search::SearchResult result = search.run();
      costs.save();
      accuracy.save_cache();
      if (result.interrupted) {
        fmt::print("stopped in point {} (--stop-after); resume with --resume\n", p);
        return 0;
      }
      write_file_atomically(dir + "/comparison.csv", search::comparison_csv(result));
      // The uniform policies always fit at --min-bits (checked above), so there is a best one.
      const search::Candidate& best = *result.best();
      cp.status = "searched";
      cp.method = best.method;
      cp.accuracy_search = best.accuracy;
      cp.accuracy_valid = best.rerank_accuracy;
      cp.accuracy_test = accuracy.top1_percent(best.policy, Split::kTest, o.test_images);
      cp.drop_vs_8bit = reference_test - cp.accuracy_test;
      cp.cost = to_codesign(best.cost);
      cp.ratio_to_base_8bit = best.cost.of(kind) / base_all8.of(kind);
      cp.policy = search::compact_policy(best.policy);
    }
    costs.save();
    accuracy.save_cache();
    const std::string row = codesign_csv_row(grid, cp);
    fs::create_directories(dir);
    write_file_atomically(dir + "/row.csv", row);
    rows.emplace_back(p, row);
    if (!o.quiet) {
      std::string values;
      for (const auto& v : grid.values_at(p)) values += (values.empty() ? "" : " ") + v;
      if (cp.status == "searched") {
        fmt::print(
            "point {} ({}, {}): {} {:.2f}% test ({:+.2f} vs 8-bit), {} {:.4g} {} ({:.3f}x "
            "base 8-bit)\n",
            p, values, config.machine->shape(), cp.method, cp.accuracy_test, -cp.drop_vs_8bit,
            search::to_string(kind),
            search::PolicyCost{cp.cost.latency_ms, cp.cost.energy_mj, cp.cost.size_mb}.of(kind),
            search::unit_of(kind), cp.ratio_to_base_8bit);
      } else {
        fmt::print("point {} ({}, {}): {}\n", p, values, config.machine->shape(), cp.status);
      }
    }
    if (++finished_now == o.stop_after_points) {
      fmt::print("stopped after {} point(s) (--stop-after-points); resume with --resume\n",
                 finished_now);
      return 0;
    }
  }
  write_sharded_table(o.out, "codesign", identity, codesign_csv_header(grid), rows, grid.size(),
                      shard.count == 1 ? "all" : shard.to_string());
  const bool front = write_codesign_front(o.out);
  if (!o.quiet) {
    if (front) {
      fmt::print("\nPareto front (test accuracy, {}, largest resource fraction):\n{}",
                 search::to_string(kind), read_whole_file(o.out + "/front.csv"));
    }
    fmt::print("wrote {0}/codesign.csv, codesign.json{1}, points/ ({2:.0f} s)\n", o.out,
               front ? ", front.csv" : " (merge the shards for front.csv)",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return 0;
}

}  // namespace

Command add_codesign_command(CLI::App& app) {
  auto o = std::make_shared<CodesignOptions>();
  auto* cmd = app.add_subcommand("codesign", learning_command_description("codesign"));
  cmd->add_option("--grid", o->grid, "Sweep grid YAML (as for `haqsim sweep`)")
      ->required()
      ->check(CLI::ExistingFile);
  o->add_to(cmd, {"analytic", "ilp", 100, 300, 1000, 2000,
                  "Budget for every point: a ratio of the grid's base config at 8 bits (0.33), "
                  "a value with unit (12ms, 3mJ, 2MB) or the base config's uniform-K cost (4bit)",
                  "Searchers run at each point, comma-separated (as for `haqsim search`); the "
                  "point's policy is the most accurate of theirs and the uniform ones",
                  "Policies each episodic searcher (ddpg, random, evolution) evaluates per point",
                  "Cost model: analytic (default: equals systemc's cycles, `haqsim verify`), "
                  "systemc or rtl",
                  "Seed of the searchers"});
  cmd->add_option("--out", o->out, "Output directory")->required();
  cmd->add_option("--shard", o->shard,
                  "Run only shard I of N (0-based): points p with p % N == I; join the shards' "
                  "directories with `haqsim merge`")
      ->default_val("0/1");
  cmd->add_flag("--resume", o->resume, "Continue the codesign run in --out");
  o->cache.add_to(*cmd);
  cmd->add_flag("--quiet", o->quiet, "Only errors on the terminal");
  add_jobs_option(cmd, o->jobs, "simulating each point's cost table in parallel");
  cmd->add_option("--stop-after-points", o->stop_after_points,
                  "Testing: stop after N points of this run, as if interrupted")
      ->group("");
  cmd->add_option("--stop-after", o->stop_after,
                  "Testing: stop the point's search after N episodes, as if interrupted")
      ->group("");
  return [o] { return run_codesign(*o); };
}

}  // namespace haqsim::cli
