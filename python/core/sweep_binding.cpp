// haqsim._core.sweep and merge: `haqsim sweep` and `haqsim merge` for Python, through the same
// library functions (tools/app/sweep.h): the points of a shard checked against the backend,
// simulated in forked worker processes (SystemC keeps one context per process), written as
// DIR/sweep.csv and DIR/sweep.json, byte for byte what the CLI writes for the same arguments.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/process_pool.h"
#include "base/progress.h"
#include "models/zoo.h"
#include "python/core/bindings.h"
#include "python/core/network_arguments.h"
#include "tools/app/codesign.h"
#include "tools/app/sharded_table.h"
#include "tools/app/sweep.h"
#include "tools/app/sweep_grid.h"

namespace py = pybind11;

namespace haqsim::python {

namespace {

void sweep(const std::string& grid_file, const NetworkArgument& network,
           const PolicyArgument& policy_argument, const std::string& backend, int jobs,
           const std::string& shard_text, const std::string& out, bool progress_on_stderr) {
  py::gil_scoped_release release;  // the points run for seconds to hours
  require_usable_output(out, OutputKind::kDirectory, "out");
  if (jobs < 1) throw InputError({"", 0, "jobs"}, "at least 1", std::to_string(jobs));
  const SweepGrid grid = SweepGrid::load(grid_file);
  const Shard shard = Shard::parse(shard_text);
  SweepSpec spec;
  spec.model = network.model;
  spec.network = network.spec;  // batch 0: each point's config's
  spec.backend = parse_backend(backend);
  NetworkSpec policy_spec = spec.network;
  policy_spec.batch = 1;
  spec.policy = policy_argument.resolve(build_model(network.model, policy_spec));
  spec.policy_source = spec.policy.source;
  const std::vector<int64_t> points = runnable_sweep_points(grid, spec, shard);
  std::vector<std::pair<int64_t, std::string>> rows;
  Progress progress("sweep", int64_t(points.size()), progress_on_stderr, 10);
  run_in_processes(
      points, jobs, [&](int64_t p) { return run_sweep_point(grid, spec, p); },
      [&](int64_t p, const std::string& row) {
        rows.emplace_back(p, row);
        progress.advance(1, fmt::format("point {}", p));
      });
  progress.finish();
  write_sweep(out, sweep_identity(grid, spec), sweep_csv_header(grid), rows, grid.size(),
              shard.count == 1 ? "all" : shard.to_string());
}

// Shards of a sweep or of a codesign run, as `haqsim merge DIR... --out OUT`.
void merge(const std::vector<std::string>& dirs, const std::string& out) {
  py::gil_scoped_release release;
  if (dirs.empty()) throw InputError({"", 0, "dirs"}, "one or more shard directories", "none");
  for (const std::string& d : dirs) {
    if (!std::filesystem::is_directory(d)) {
      throw InputError({d, 0, ""}, "a shard directory", "no such directory");
    }
  }
  require_usable_output(out, OutputKind::kDirectory, "out");
  if (std::filesystem::exists(dirs.front() + "/codesign.json")) {
    merge_sharded_tables(dirs, out, "codesign");
    write_codesign_front(out);
  } else {
    merge_sweeps(dirs, out);
  }
}

}  // namespace

void bind_sweep(py::module_& m) {
  m.def("sweep", &sweep, py::arg("grid"), py::arg("network"), py::arg("policy"), py::arg("backend"),
        py::arg("jobs"), py::arg("shard"), py::arg("out"), py::arg("progress"),
        "Simulates every point of a grid (or a shard); writes OUT/sweep.csv");
  m.def("merge", &merge, py::arg("dirs"), py::arg("out"),
        "Joins shard directories of a sweep or codesign run into OUT");
}

}  // namespace haqsim::python
