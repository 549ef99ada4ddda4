// Every registered accelerator's cycle-accurate models, on every shipped instance
// (arch-configs/*.yaml), registered from the registry so a new machine is benchmarked by
// registering it:
// - pointwise/<config>/<backend>/<bits>: MobileNet-V1's pointwise layers at 224 at bits/bits,
//   simulated per host second as useful MACs and useful binary MACs (MACs x wbits x abits, the
//   bit-serial machines' unit of work); outputs not checked;
// - network/<config>/<model>/<backend>/<verified|unverified>: the wall time of a whole 8-bit
//   network at 224 (MobileNet-V1 and V2), with and without the bit-exact reference check;
// - simd/<config>/<level>/<bits>: the systemc pointwise rows with the SIMD level forced (every
//   level this CPU supports, base/cpu_features.h), to see what a host without AVX-512 would get.
// The rtl rows exist for instances whose array shape this build has verilated.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "base/cpu_features.h"
#include "base/input_error.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tools/app/network_run.h"

namespace haqsim {
namespace {

ModelOptions with_verify(bool verify) {
  ModelOptions options;
  options.verify = verify;
  return options;
}

void pointwise(benchmark::State& state, ArchConfig config, Backend backend, int bits,
               SimdLevel level) {
  const SimdLevel previous = active_simd_level();
  force_simd_level(level);  // kernels are chosen when the model is built
  auto model = make_cost_model(config, backend, with_verify(false));
  force_simd_level(previous);
  std::vector<LayerWorkload> layers;
  NetworkSpec spec;
  spec.batch = config.batch;
  for (const LayerWorkload& l : lower_network(build_mobilenet_v1(spec))) {
    if (l.kind == LayerKind::kPointwise) layers.push_back(l);
  }
  double macs = 0, binary_macs = 0, cycles = 0;
  for (auto _ : state) {
    for (const LayerWorkload& l : layers) {
      const LayerStats s = model->evaluate(l, {bits, bits});
      macs += double(l.macs());
      binary_macs += double(l.macs()) * bits * bits;
      cycles += double(s.cycles);
    }
  }
  state.counters["useful_macs_per_s"] = benchmark::Counter(macs, benchmark::Counter::kIsRate);
  state.counters["useful_binary_macs_per_s"] =
      benchmark::Counter(binary_macs, benchmark::Counter::kIsRate);
  state.counters["simulated_cycles_per_s"] =
      benchmark::Counter(cycles, benchmark::Counter::kIsRate);
}

void network(benchmark::State& state, ArchConfig config, std::string model_name, Backend backend,
             bool verify) {
  NetworkSpec spec;
  spec.batch = config.batch;
  const Network net = build_model(model_name, spec);
  auto model = make_cost_model(config, backend, with_verify(verify));
  const Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
  for (auto _ : state) {
    const NetworkRun run = run_network(*model, net, policy, backend);
    benchmark::DoNotOptimize(run.total_cycles());
    state.counters["simulated_cycles"] = double(run.total_cycles());
    state.counters["macs"] = double(run.total_macs());
  }
}

bool can_run(const ArchConfig& config, Backend backend) {
  try {
    make_cost_model(config, backend, with_verify(false));
    return true;
  } catch (const InputError&) {
    return false;  // e.g. an array shape this build has not verilated
  } catch (const BackendUnavailable&) {
    return false;
  }
}

void register_all() {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator("arch-configs")) {
    if (entry.path().extension() == ".yaml") files.insert(entry.path().string());
  }
  for (const std::string& file : files) {
    const ArchConfig config = load_arch_config(file);
    for (Backend backend : {Backend::kSystemC, Backend::kRtl}) {
      if (!can_run(config, backend)) continue;
      const std::string b = to_string(backend);
      for (int bits : {8, 4, 2}) {
        benchmark::RegisterBenchmark(
            fmt::format("pointwise/{}/{}/{}", config.name, b, bits).c_str(), pointwise, config,
            backend, bits, active_simd_level())
            ->Unit(benchmark::kMillisecond)
            ->Iterations(1);
      }
      for (SimdLevel level : supported_simd_levels()) {
        if (backend != Backend::kSystemC) continue;
        for (int bits : {8, 2}) {
          benchmark::RegisterBenchmark(
              fmt::format("simd/{}/{}/{}", config.name, to_string(level), bits).c_str(), pointwise,
              config, backend, bits, level)
              ->Unit(benchmark::kMillisecond)
              ->Iterations(1);
        }
      }
      for (const char* model : {"mobilenet_v1", "mobilenet_v2"}) {
        for (bool verify : {true, false}) {
          if (backend == Backend::kRtl && !verify) continue;  // rtl is for checking
          benchmark::RegisterBenchmark(fmt::format("network/{}/{}/{}/{}", config.name, model, b,
                                                   verify ? "verified" : "unverified")
                                           .c_str(),
                                       network, config, std::string(model), backend, verify)
              ->Unit(benchmark::kSecond)
              ->Iterations(1);
        }
      }
    }
  }
}

}  // namespace
}  // namespace haqsim

int main(int argc, char** argv) {
  haqsim::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
