// `haqsim sweep`: one network over every point of an arch-config grid (or one shard of it), in
// parallel worker processes; `haqsim merge`: joins shard outputs into the complete sweep.csv.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "base/process_pool.h"
#include "base/progress.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tools/app/codesign.h"
#include "tools/app/sharded_table.h"
#include "tools/app/sweep.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/network_options.h"
#include "tools/haqsim/policy_options.h"

namespace haqsim::cli {

namespace {

struct SweepOptions {
  std::string grid;
  std::string model;
  std::string onnx;
  PolicyOptions policy;
  NetworkInstanceOptions network;
  std::string backend = "analytic";
  std::string out;
  int jobs = 1;
  std::string shard = "0/1";
  bool quiet = false;
};

int run_sweep(const SweepOptions& o) {
  require_usable_output(o.out, OutputKind::kDirectory, "--out");
  const SweepGrid grid = SweepGrid::load(o.grid);
  const Shard shard = Shard::parse(o.shard);
  SweepSpec spec;
  spec.model = o.onnx.empty() ? o.model : std::filesystem::path(o.onnx).stem().string();
  spec.network = o.network.spec(0);  // batch 0: each point's config's
  spec.backend = parse_backend(o.backend);
  NetworkSpec policy_spec = spec.network;
  policy_spec.batch = 1;
  if (o.onnx.empty()) {
    spec.policy = o.policy.resolve(build_model(o.model, policy_spec));
  } else {
    spec.onnx = o.onnx;
    spec.onnx_instance = o.network.onnx_instance(1);
    spec.policy = o.policy.resolve(import_onnx_network(o.onnx, spec.onnx_instance));
  }
  spec.policy_source = spec.policy.source;
  const std::vector<int64_t> points = runnable_sweep_points(grid, spec, shard);
  const std::string header = sweep_csv_header(grid);
  if (!o.quiet) {
    fmt::print(stderr, "sweep: {} of {} points (shard {}) of {} on {}, {} backend, {} job(s)\n",
               points.size(), grid.size(), shard.to_string(), o.model, grid.base_file(), o.backend,
               o.jobs);
  }
  std::vector<std::pair<int64_t, std::string>> rows;
  Progress progress("sweep", int64_t(points.size()), !o.quiet, 10);
  try {
    run_in_processes(
        points, o.jobs, [&](int64_t p) { return run_sweep_point(grid, spec, p); },
        [&](int64_t p, const std::string& row) {
          rows.emplace_back(p, row);
          std::string values;
          for (const auto& v : grid.values_at(p)) values += (values.empty() ? "" : " ") + v;
          progress.advance(1, fmt::format("point {} ({})", p, values));
        });
  } catch (const WorkerFailure& e) {
    fmt::print(stderr, "haqsim: {}error: {}\n", e.input_error ? "" : "internal ", e.what());
    return e.input_error ? 2 : 1;
  }
  progress.finish();
  write_sweep(o.out, sweep_identity(grid, spec), header, rows, grid.size(),
              shard.count == 1 ? "all" : shard.to_string());
  if (!o.quiet) fmt::print("wrote {0}/sweep.csv and {0}/sweep.json\n", o.out);
  return 0;
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  auto* cmd = app.add_subcommand(
      "sweep", "Simulate a network over a grid of accelerator configs (one row per point)");
  cmd->add_option("--grid", o->grid,
                  "Grid YAML: `base: CONFIG` and `grid:` lists of values per config key")
      ->required()
      ->check(CLI::ExistingFile);
  auto* model = cmd->add_option("--model", o->model, "Network from the zoo (see `haqsim models`)");
  auto* onnx = cmd->add_option("--onnx", o->onnx, "Your own float model as ONNX instead of --model")
                   ->check(CLI::ExistingFile);
  model->excludes(onnx);
  o->policy.add_to(*cmd);
  o->network.add_to(*cmd, "each point's config's");
  cmd->add_option("--backend", o->backend, "analytic, systemc or rtl (as for simulate)")
      ->default_val("analytic")
      ->check(CLI::IsMember({"analytic", "systemc", "rtl"}));
  cmd->add_option("--out", o->out, "Output directory for sweep.csv and sweep.json")->required();
  add_jobs_option(cmd, o->jobs, "running points in parallel");
  cmd->add_option("--shard", o->shard,
                  "Run only shard I of N (0-based): points p with p % N == I; join the shards' "
                  "directories with `haqsim merge`")
      ->default_val("0/1");
  cmd->add_flag("--quiet", o->quiet, "No progress line");
  return [o, model, onnx] {
    if (model->count() == 0 && onnx->count() == 0) {
      throw InputError(InputLocation{"", 0, "--model", -1}, "--model NAME or --onnx FILE",
                       "neither");
    }
    return run_sweep(*o);
  };
}

Command add_merge_command(CLI::App& app) {
  auto dirs = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "merge", "Join the output directories of sharded sweeps (or codesign runs) into one");
  cmd->add_option("DIR", *dirs,
                  "Shard output directories (each with sweep.csv and sweep.json, or codesign.csv "
                  "and codesign.json)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", *out,
                  "Output directory of the merged sweep (default: the shard directories' common "
                  "parent, e.g. runs/sweep for runs/sweep/shard-*)");
  return [dirs, out] {
    std::string target = *out;
    if (target.empty()) {
      namespace fs = std::filesystem;
      const fs::path parent = fs::absolute(dirs->front()).lexically_normal().parent_path();
      for (const auto& d : *dirs) {
        if (fs::absolute(d).lexically_normal().parent_path() != parent) {
          throw InputError({"", 0, "--out"},
                           "--out, as the shard directories have no common parent", "none");
        }
      }
      target = parent.string();
    }
    require_usable_output(target, OutputKind::kDirectory, "--out");
    // Shards of `haqsim codesign` merge the same way; the front needs every point.
    if (std::filesystem::exists(dirs->front() + "/codesign.json")) {
      merge_sharded_tables(*dirs, target, "codesign");
      write_codesign_front(target);
      fmt::print("wrote {0}/codesign.csv, codesign.json and front.csv ({1} shard(s))\n", target,
                 dirs->size());
      return 0;
    }
    merge_sweeps(*dirs, target);
    fmt::print("wrote {0}/sweep.csv and {0}/sweep.json ({1} shard(s))\n", target, dirs->size());
    return 0;
  };
}

}  // namespace haqsim::cli
