// bench_models: throughput of the integer reference on Fashion-MNIST validation images and of
// quantization-aware fine-tuning, for the shipped MobileNets (32x32x1, first stride 1). When a
// shipped weight file is missing, synthetic weights of the same shape are used (the cost does
// not depend on the values). Run through tools/bench/run.sh for JSON output.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <filesystem>
#include <map>

#include "models/quant/integer_executor.h"
#include "models/quant/pretrained.h"
#include "models/quant/quantization_context.h"
#include "models/training/batches.h"
#include "models/training/quant_aware.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

const QuantizationContext& context(const std::string& model) {
  static std::map<std::string, QuantizationContext> cache;
  auto it = cache.find(model);
  if (it != cache.end()) return it->second;
  const std::string weights = pretrained_weights_path(model);
  FloatModel fm;
  if (std::filesystem::exists(weights)) {
    fm = load_float_model(weights);
  } else {
    NetworkSpec spec;
    spec.resolution = 32;
    spec.in_channels = 1;
    spec.classes = 10;
    spec.first_stride = 1;
    fm = make_synthetic_float_model(build_model(model, spec), 1);
  }
  const NetworkSpec& s = fm.network.spec;
  DataSplits data = load_dataset("fashion-mnist", s.resolution, s.in_channels);
  if (!std::filesystem::exists(weights)) fm.normalization = data.normalization;
  return cache.emplace(model, prepare_quantization(std::move(fm), std::move(data), 64))
      .first->second;
}

// Integer top-1 over validation images, one batch of 16 images per iteration.
void BM_IntegerValidationImages(benchmark::State& state, const std::string& model, int bits) {
  const QuantizationContext& ctx = context(model);
  const QuantizedNetwork q =
      ctx.quantize(Policy::uniform(ctx.model.network.quantizable_count(), bits, bits));
  const ImageDataset& val = ctx.data.validation;
  const int batch = 16;
  int first = 0;
  for (auto _ : state) {
    std::vector<int> idx;
    for (int i = 0; i < batch; ++i) idx.push_back((first + i) % val.size());
    first += batch;
    const IntTensor in = quantize_input(q, val.normalized_batch(idx, q.normalization), batch);
    benchmark::DoNotOptimize(run_quantized_network(q, in, nullptr, false).predicted);
  }
  state.counters["images_per_s"] =
      benchmark::Counter(double(state.iterations()) * batch, benchmark::Counter::kIsRate);
}

// Fine-tuning steps (forward with fake quantization, backward, AdamW): 20 per iteration, so the
// per-call set-up (quantizing the network at the policy for its scales) is amortized as it is in a
// real fine-tune of hundreds of steps.
void BM_FinetuneSteps(benchmark::State& state, const std::string& model, int bits) {
  torch::set_num_threads(int(state.range(0)));
  const QuantizationContext& ctx = context(model);
  const Policy policy = Policy::uniform(ctx.model.network.quantizable_count(), bits, bits);
  TorchNetwork net(ctx.model.network);
  net->load_float_model(ctx.model);
  constexpr int kSteps = 20;
  FinetuneOptions o;
  o.batch_size = 64;
  o.images_per_epoch = kSteps * o.batch_size;
  for (auto _ : state) benchmark::DoNotOptimize(finetune_quantized(net, ctx, policy, o));
  state.counters["steps_per_s"] =
      benchmark::Counter(double(state.iterations()) * kSteps, benchmark::Counter::kIsRate);
  state.counters["images_per_s"] = benchmark::Counter(
      double(state.iterations()) * kSteps * o.batch_size, benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_IntegerValidationImages, mobilenet_v1_8bit, "mobilenet_v1", 8)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IntegerValidationImages, mobilenet_v1_4bit, "mobilenet_v1", 4)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IntegerValidationImages, mobilenet_v2_8bit, "mobilenet_v2", 8)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FinetuneSteps, mobilenet_v1_4bit, "mobilenet_v1", 4)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK_CAPTURE(BM_FinetuneSteps, mobilenet_v2_4bit, "mobilenet_v2", 4)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

}  // namespace
}  // namespace haqsim

BENCHMARK_MAIN();
