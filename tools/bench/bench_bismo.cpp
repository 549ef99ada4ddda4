// BISMO cycle-accurate model: simulated binary MACs per host second on MobileNet-V1's pointwise
// layers, and the wall time of a whole 8-bit MobileNet-V1 at 224 on bismo-edge.
//
// "useful" binary MACs count the layer's MACs x wbits x abits; "array" binary MACs count every
// DPU bit the array streams (Dm x Dn x Dk per streamed word), padding included.
#include <benchmark/benchmark.h>

#include "models/zoo.h"
#include "sim/bismo/bismo_systemc_model.h"
#include "sim/common/cost_model.h"
#include "tools/app/network_run.h"

namespace haqsim {
namespace {

void pointwise_layers(benchmark::State& state, Backend backend) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  auto model = make_cost_model(config, backend);
  if (auto* sc = dynamic_cast<bismo::BismoSystemCModel*>(model.get())) sc->verify = false;
  std::vector<LayerWorkload> pointwise;
  for (const LayerWorkload& l : lower_network(build_mobilenet_v1({}))) {
    if (l.kind == LayerKind::kPointwise) pointwise.push_back(l);
  }
  const LayerBits bits{int(state.range(0)), int(state.range(0))};
  double useful = 0, array = 0;
  for (auto _ : state) {
    for (const LayerWorkload& l : pointwise) {
      LayerStats s = model->evaluate(l, bits);
      useful += double(l.macs()) * bits.wbits * bits.abits;
      array += double(s.compute_cycles) * config.bismo->dm * config.bismo->dn * config.bismo->dk;
    }
  }
  state.counters["useful_binary_macs_per_s"] =
      benchmark::Counter(useful, benchmark::Counter::kIsRate);
  state.counters["array_binary_macs_per_s"] =
      benchmark::Counter(array, benchmark::Counter::kIsRate);
}

void full_mobilenet_v1(benchmark::State& state, Backend backend, bool verify) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  const Network net = build_mobilenet_v1({});
  auto model = make_cost_model(config, backend);
  if (auto* sc = dynamic_cast<bismo::BismoSystemCModel*>(model.get())) sc->verify = verify;
  const Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
  for (auto _ : state) {
    NetworkRun run = run_network(*model, net, policy, backend);
    benchmark::DoNotOptimize(run.total_cycles());
  }
}

BENCHMARK_CAPTURE(pointwise_layers, systemc, Backend::kSystemC)
    ->Arg(8)
    ->Arg(4)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(full_mobilenet_v1, systemc_verified, Backend::kSystemC, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(full_mobilenet_v1, systemc_unverified, Backend::kSystemC, false)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
#ifdef HAQSIM_HAVE_BISMO_RTL
BENCHMARK_CAPTURE(pointwise_layers, rtl, Backend::kRtl)
    ->Arg(8)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(full_mobilenet_v1, rtl_verified, Backend::kRtl, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
#endif

}  // namespace
}  // namespace haqsim

BENCHMARK_MAIN();
