// The shared layer reference (sim/common/layer_job.h) on its own, since every verified run of
// every machine pays for it: reference_accumulators over the 8/8 layers of one kind of a zoo
// network at 224, as MACs per host second, and make_synthetic_job over the whole network.
// Rows: reference/<model>/b<batch>/<kind> and synthetic_job/<model>/b<batch>.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "models/zoo.h"
#include "sim/common/layer_job.h"

namespace haqsim {
namespace {

std::vector<LayerWorkload> network_layers(const std::string& model, int batch) {
  NetworkSpec spec;
  spec.batch = batch;
  return lower_network(build_model(model, spec));
}

void reference(benchmark::State& state, std::string model, int batch, LayerKind kind) {
  std::vector<LayerJob> jobs;
  for (const LayerWorkload& l : network_layers(model, batch)) {
    if (l.kind == kind) jobs.push_back(make_synthetic_job(l, {8, 8}, uint64_t(l.quant_index)));
  }
  double macs = 0;
  for (auto _ : state) {
    for (const LayerJob& job : jobs) {
      benchmark::DoNotOptimize(reference_accumulators(job).data());
      macs += double(job.layer.macs());
    }
  }
  state.counters["macs_per_s"] = benchmark::Counter(macs, benchmark::Counter::kIsRate);
}

void synthetic_job(benchmark::State& state, std::string model, int batch) {
  const std::vector<LayerWorkload> layers = network_layers(model, batch);
  double operands = 0;
  for (auto _ : state) {
    for (const LayerWorkload& l : layers) {
      const LayerJob job = make_synthetic_job(l, {8, 8}, uint64_t(l.quant_index));
      benchmark::DoNotOptimize(job.input.data());
      operands += double(job.input.size() + job.weights.size());
    }
  }
  state.counters["operands_per_s"] = benchmark::Counter(operands, benchmark::Counter::kIsRate);
}

const bool registered = [] {
  const std::pair<std::string, int> runs[] = {
      {"mobilenet_v1", 1}, {"mobilenet_v2", 1}, {"mobilenet_v1", 16}};
  for (const auto& [model, batch] : runs) {
    for (LayerKind kind : {LayerKind::kConv, LayerKind::kDepthwise, LayerKind::kPointwise,
                           LayerKind::kFullyConnected}) {
      benchmark::RegisterBenchmark(
          fmt::format("reference/{}/b{}/{}", model, batch, to_string(kind)).c_str(), reference,
          model, batch, kind)
          ->Unit(benchmark::kMillisecond)
          ->MeasureProcessCPUTime();
    }
    benchmark::RegisterBenchmark(fmt::format("synthetic_job/{}/b{}", model, batch).c_str(),
                                 synthetic_job, model, batch)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime();
  }
  return true;
}();

}  // namespace
}  // namespace haqsim

BENCHMARK_MAIN();
