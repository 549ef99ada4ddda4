// Analytic cost models: how many per-layer evaluations per second, over a full MobileNet-V2 at
// all 49 (wbits, abits) pairs in 2..8 -- the load a sweep or a cost-cache fill puts on them.
#include <benchmark/benchmark.h>

#include "models/zoo.h"
#include "sim/common/cost_model.h"
#include "sim/registry.h"

namespace haqsim {
namespace {

void full_network_all_pairs(benchmark::State& state, const char* arch_file) {
  const ArchConfig config = load_arch_config(arch_file);
  NetworkSpec spec;
  spec.batch = config.batch;
  const auto workloads = lower_network(build_mobilenet_v2(spec));
  auto model = make_cost_model(config, Backend::kAnalytic);
  int64_t evaluations = 0;
  for (auto _ : state) {
    for (const auto& layer : workloads) {
      for (int w = 2; w <= 8; ++w) {
        for (int a = 2; a <= 8; ++a) {
          benchmark::DoNotOptimize(model->evaluate(layer, {w, a}).cycles);
          ++evaluations;
        }
      }
    }
  }
  state.counters["evaluations_per_s"] =
      benchmark::Counter(double(evaluations), benchmark::Counter::kIsRate);
  state.counters["networks_x49_per_s"] =
      benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(full_network_all_pairs, bismo_edge_mobilenet_v2, "arch-configs/bismo-edge.yaml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(full_network_all_pairs, bismo_cloud_mobilenet_v2, "arch-configs/bismo-cloud.yaml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(full_network_all_pairs, bitfusion_mobilenet_v2, "arch-configs/bitfusion.yaml")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace haqsim

BENCHMARK_MAIN();
