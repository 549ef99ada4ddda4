// BitFusion cycle-accurate model: simulated MACs per host second on MobileNet-V2's layers at
// 224 at several precisions, with the behavioural core (systemc) and the verilated Fusion Unit
// array (rtl), and the wall time of a whole 8-bit MobileNet-V2 at 224 on the ISCA'18 reference
// instance (arch-configs/bitfusion.yaml), with and without the reference check.
//
// "useful" MACs count the layer's MACs; "array" products count every product slot the array
// streams (compute cycles x rows x cols x products per unit), padding and idle lanes included.
#include <benchmark/benchmark.h>

#include "models/zoo.h"
#include "sim/bitfusion/bitfusion_systemc_model.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/cost_model.h"
#include "tools/app/network_run.h"

namespace haqsim {
namespace {

void mobilenet_v2_layers(benchmark::State& state, Backend backend) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  auto model = make_cost_model(config, backend);
  if (auto* sc = dynamic_cast<bitfusion::BitFusionSystemCModel*>(model.get())) sc->verify = false;
  const std::vector<LayerWorkload> layers = lower_network(build_mobilenet_v2({}));
  const LayerBits bits{int(state.range(0)), int(state.range(0))};
  const int pf = bitfusion_products_per_unit(bits.wbits, bits.abits);
  double useful = 0, array = 0;
  for (auto _ : state) {
    for (const LayerWorkload& l : layers) {
      const LayerStats s = model->evaluate(l, bits);
      useful += double(l.macs());
      array += double(s.compute_cycles) * config.bitfusion->rows * config.bitfusion->cols * pf;
    }
  }
  state.counters["useful_macs_per_s"] = benchmark::Counter(useful, benchmark::Counter::kIsRate);
  state.counters["array_products_per_s"] = benchmark::Counter(array, benchmark::Counter::kIsRate);
}

void full_mobilenet_v2(benchmark::State& state, Backend backend, bool verify) {
  const ArchConfig config = load_arch_config("arch-configs/bitfusion.yaml");
  const Network net = build_mobilenet_v2({});
  auto model = make_cost_model(config, backend);
  if (auto* sc = dynamic_cast<bitfusion::BitFusionSystemCModel*>(model.get())) sc->verify = verify;
  const Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
  for (auto _ : state) {
    NetworkRun run = run_network(*model, net, policy, backend);
    benchmark::DoNotOptimize(run.total_cycles());
    state.counters["simulated_cycles"] = double(run.total_cycles());
    state.counters["macs"] = double(run.total_macs());
  }
}

BENCHMARK_CAPTURE(mobilenet_v2_layers, systemc, Backend::kSystemC)
    ->Arg(8)
    ->Arg(4)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(full_mobilenet_v2, systemc_verified, Backend::kSystemC, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(full_mobilenet_v2, systemc_unverified, Backend::kSystemC, false)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
#ifdef HAQSIM_HAVE_BITFUSION_RTL
// The RTL steps every cycle of the 512-unit array: tens of seconds per network.
BENCHMARK_CAPTURE(mobilenet_v2_layers, rtl, Backend::kRtl)
    ->Arg(8)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(full_mobilenet_v2, rtl_verified, Backend::kRtl, true)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
#endif

}  // namespace
}  // namespace haqsim

BENCHMARK_MAIN();
