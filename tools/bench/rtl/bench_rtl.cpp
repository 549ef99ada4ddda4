// Simulation speed of the verilated BISMO and BitFusion arrays, driven through their C++
// harnesses (the --cc models) with the array busy every cycle: one benchmark iteration is one
// simulated clock cycle with a fresh beat (BISMO) or a full activation vector and a fresh weight
// word in every Fusion Unit (BitFusion).
//
// Counters, all per second of wall-clock time:
//   cycles        simulated clock cycles
//   binary_MACs   BISMO: Dm * Dn * Dk one-bit multiply-accumulates (AND + popcount) per cycle
//   MACs          BitFusion: N * M * P products per cycle, P = products per Fusion Unit at the
//                 benchmarked precision (1 at 8x8, 16 at 2x2)
//
// BM_FusionArrayDepthwise is the array as a depthwise layer keeps it busy: a vector every cycle,
// but most Fusion Units without work (zero weight words, invalid rows).
//
// Run: bench_rtl --benchmark_out=bench_rtl.json --benchmark_out_format=json
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "rtl/bismo/bismo_array_rtl.h"
#include "rtl/bitfusion/fusion_array_rtl.h"
#include "rtl/bitfusion/fusion_operands.h"

namespace {

using benchmark::Counter;

// Random operands, cycled through so that the data changes every cycle (a constant input would
// let the model skip work that a real stream does not).
constexpr int kDistinctCycles = 64;

void BM_BismoArray(benchmark::State& state) {
  const int dm = static_cast<int>(state.range(0));
  const int dk = static_cast<int>(state.range(1));
  const int dn = static_cast<int>(state.range(2));
  auto array = haqsim::rtl::make_bismo_array_rtl(dm, dk, dn);
  const size_t words = static_cast<size_t>(array->words_per_vector());
  std::mt19937_64 rng(1);
  std::vector<uint64_t> lhs(kDistinctCycles * dm * words), rhs(kDistinctCycles * dn * words);
  for (auto& w : lhs) w = rng();
  for (auto& w : rhs) w = rng();

  int beat_index = 0;
  int64_t cycles = 0;
  for (auto _ : state) {
    haqsim::rtl::BismoBeat beat;
    beat.shift = static_cast<unsigned>(beat_index % 15);
    beat.negate = (beat_index & 1) != 0;
    beat.clear = beat_index == 0;
    array->step(&lhs[beat_index * dm * words], &rhs[beat_index * dn * words], beat);
    beat_index = (beat_index + 1) % kDistinctCycles;
    ++cycles;
  }
  benchmark::DoNotOptimize(array->acc(0, 0));
  state.counters["cycles"] = Counter(static_cast<double>(cycles), Counter::kIsRate);
  state.counters["binary_MACs"] =
      Counter(static_cast<double>(cycles) * dm * dn * dk, Counter::kIsRate);
}
BENCHMARK(BM_BismoArray)
    ->ArgNames({"Dm", "Dk", "Dn"})
    ->Args({8, 256, 8})    // bismo-edge
    ->Args({16, 256, 16})  // bismo-cloud
    ->Args({2, 64, 3})     // the test variant
    ->Unit(benchmark::kMicrosecond);

void BM_FusionArray(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int m = static_cast<int>(state.range(1));
  const int bits = static_cast<int>(state.range(2));
  auto array = haqsim::rtl::make_fusion_array_rtl(n, m);
  array->set_precision({bits, false, bits, true});
  std::mt19937 rng(1);
  // Every Fusion Unit reads a new weight word every cycle, as it does from its WBUF bank.
  std::vector<uint32_t> weights(static_cast<size_t>(kDistinctCycles) * n * m),
      act(kDistinctCycles * n);
  for (auto& w : weights) w = rng();
  for (auto& a : act) a = rng();

  const uint64_t all_rows = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
  int vector_index = 0;
  int64_t cycles = 0;
  for (auto _ : state) {
    haqsim::rtl::FusionCycle cycle;
    cycle.act = &act[vector_index * n];
    cycle.act_valid = all_rows;
    cycle.weights = &weights[static_cast<size_t>(vector_index) * n * m];
    array->step(cycle);
    vector_index = (vector_index + 1) % kDistinctCycles;
    ++cycles;
  }
  benchmark::DoNotOptimize(array->psum(0));
  const int products = haqsim::rtl::fusion_products_per_cycle(bits, bits);
  state.counters["cycles"] = Counter(static_cast<double>(cycles), Counter::kIsRate);
  state.counters["MACs"] =
      Counter(static_cast<double>(cycles) * n * m * products, Counter::kIsRate);
}
BENCHMARK(BM_FusionArray)
    ->ArgNames({"N", "M", "bits"})
    ->Args({16, 32, 8})  // the reference instance, 8-bit x 8-bit
    ->Args({16, 32, 2})  // ... 2-bit x 2-bit
    ->Args({2, 3, 8})    // the test variant
    ->Unit(benchmark::kMicrosecond);

// The array as a 3x3 depthwise layer uses it under `dw:row_shared` at 8 bits (three quarters of
// MobileNet-V2's array cycles on BitFusion): one channel per vector, its 9 taps on rows 0-8, so
// only Fusion Units (0..8, 0) have a nonzero weight word and rows 9.. are invalid.
void BM_FusionArrayDepthwise(benchmark::State& state) {
  const int n = 16, m = 32, taps = 9;
  auto array = haqsim::rtl::make_fusion_array_rtl(n, m);
  array->set_precision({8, false, 8, true});
  std::mt19937 rng(1);
  std::vector<uint32_t> weights(static_cast<size_t>(kDistinctCycles) * n * m, 0),
      act(kDistinctCycles * n);
  for (int v = 0; v < kDistinctCycles; ++v) {
    for (int i = 0; i < taps; ++i) {
      weights[(static_cast<size_t>(v) * n + i) * m] = rng() & 0xffu;
      act[v * n + i] = rng() & 0xffu;
    }
  }
  int vector_index = 0;
  int64_t cycles = 0;
  for (auto _ : state) {
    haqsim::rtl::FusionCycle cycle;
    cycle.act = &act[vector_index * n];
    cycle.act_valid = (uint64_t{1} << taps) - 1;
    cycle.weights = &weights[static_cast<size_t>(vector_index) * n * m];
    array->step(cycle);
    vector_index = (vector_index + 1) % kDistinctCycles;
    ++cycles;
  }
  benchmark::DoNotOptimize(array->psum(0));
  state.counters["cycles"] = Counter(static_cast<double>(cycles), Counter::kIsRate);
  state.counters["MACs"] = Counter(static_cast<double>(cycles) * taps, Counter::kIsRate);
}
BENCHMARK(BM_FusionArrayDepthwise)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
