// The libtorch side: the module built from the layer graph computes what the float executor
// computes, fake quantization follows the integer path, and a short float training run learns.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "models/quant/integer_executor.h"
#include "models/training/batches.h"
#include "models/training/float_training.h"
#include "models/training/quant_aware.h"
#include "models/zoo.h"
#include "tests/models/small_models.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

using test::model_with_batchnorm;
using test::random_splits;
using test::small_spec;

TEST(TorchNetwork, MatchesTheFloatExecutor) {
  torch::set_num_threads(1);
  for (const char* name : {"mobilenet_v1", "mobilenet_v2"}) {
    const FloatModel m = model_with_batchnorm(name);
    TorchNetwork net(m.network);
    net->load_float_model(m);
    net->eval();
    const std::vector<float> images = make_synthetic_images(m.network.spec, 2, 3);
    torch::NoGradGuard no_grad;
    const torch::Tensor logits = net->forward(from_vector(images, {2, 1, 32, 32}));
    const FloatExecutor fx(m);
    for (int n = 0; n < 2; ++n) {
      const std::vector<float> ref = fx.run_image(&images[n * 32 * 32]);
      for (int k = 0; k < 10; ++k) {
        EXPECT_NEAR(logits[n][k].item<float>(), ref[k], 1e-3 * (1 + std::fabs(ref[k]))) << name;
      }
    }
    // And the exported parameters are the ones loaded.
    const FloatModel back = net->to_float_model(m.normalization);
    EXPECT_EQ(back.params[1].weight, m.params[1].weight);
    EXPECT_EQ(back.params[1].bn.var, m.params[1].bn.var);
  }
}

// Fake quantization computes what the integer path computes: given the same input levels, every
// quantizable layer produces the same output levels, for MobileNet-V1 (pool before fc) and V2
// (residual adds, signed projections) at 8, 4 and mixed 2..8 bits. It quantizes the weights, the
// int32 biases and every stored tensor as the integer path does. Each layer is checked on the
// integer path's own input (its predecessors' outputs are replaced by the integer levels), so a
// difference cannot come from upstream; float rounding of a value within a hair of a level
// boundary may still flip a rare level by one.
TEST(QuantAware, FakeQuantizedLayersEqualTheIntegerPath) {
  torch::set_num_threads(1);
  for (const char* name : {"mobilenet_v1", "mobilenet_v2"}) {
    const FloatModel m = model_with_batchnorm(name);
    const QuantizationContext ctx = prepare_quantization(m, random_splits(16), 16);
    const int layers = m.network.quantizable_count();
    std::mt19937 rng(3);
    Policy mixed = Policy::uniform(layers, 8, 8);
    for (auto& b : mixed.layers) b = {int(2 + rng() % 7), int(2 + rng() % 7)};
    for (const Policy& policy :
         {Policy::uniform(layers, 8, 8), Policy::uniform(layers, 4, 4), mixed}) {
      const FakeQuantizer fq(ctx, policy);
      const QuantizedNetwork& ref = fq.reference();
      const std::vector<int> idx = {0, 1, 2, 3};
      const std::vector<float> images = ctx.data.test.normalized_batch(idx, ctx.data.normalization);
      const QuantizedRun run = run_quantized_network(ref, quantize_input(ref, images, 4));
      TorchNetwork net(m.network);
      net->load_float_model(m);
      net->eval();
      torch::NoGradGuard no_grad;
      int64_t compared = 0, differing = 0, worst = 0;
      TorchNetworkImpl::QuantHooks hooks = fq.hooks();
      hooks.output = [&](int i, const torch::Tensor& y) {
        const torch::Tensor fake = fq.hooks().output(i, y).contiguous();
        const Layer& l = m.network.layers[i];
        if (!l.quantizable()) return fake;
        const IntTensor& levels = run.layers[l.quant_index].output;
        const float scale = ref.layers[l.quant_index].output.scale;
        EXPECT_EQ(fake.numel(), int64_t(levels.size())) << l.name;
        const float* f = fake.data_ptr<float>();
        std::vector<float> exact(levels.size());
        for (size_t k = 0; k < levels.size(); ++k) {
          const int64_t d = std::llabs(std::llround(f[k] / scale) - levels.data[k]);
          differing += d != 0;
          worst = std::max(worst, d);
          ++compared;
          exact[k] = float(levels.data[k]) * scale;
        }
        return from_vector(exact, fake.sizes());
      };
      net->run(from_vector(images, {4, 1, 32, 32}), &hooks);
      std::string what = name;
      for (const LayerBits& lb : policy.layers) what += fmt::format(" {}/{}", lb.wbits, lb.abits);
      EXPECT_EQ(
          compared, int64_t(run.logits.size()) +
                        [&] {
                          int64_t n = 0;
                          for (int q = 0; q + 1 < layers; ++q) n += run.layers[q].output.size();
                          return n;
                        }())
          << what;
      EXPECT_LE(worst, 1) << what;
      EXPECT_LE(double(differing), 1e-3 * double(compared))
          << what << ": " << differing << " of " << compared << " levels differ";
    }
  }
}

TEST(FloatTraining, OneCycleScheduleAndCheckpoints) {
  EXPECT_NEAR(one_cycle_lr(1.0, 0, 100), 0.04, 1e-9);
  EXPECT_NEAR(one_cycle_lr(1.0, 30, 100), 1.0, 1e-9);
  EXPECT_LT(one_cycle_lr(1.0, 100, 100), 1e-3);
  if (!std::filesystem::exists(kFashionMnistDir)) GTEST_SKIP();
  torch::set_num_threads(2);
  const DataSplits data = load_dataset("fashion-mnist", 32, 1);
  NetworkSpec spec = small_spec();
  TorchNetwork net(build_model("mobilenet_v1", spec));
  const FloatModel before = net->to_float_model(data.normalization);
  TrainOptions o;
  o.epochs = 1;
  o.batch_size = 32;
  o.train_limit = 64;
  o.eval_limit = 10;
  o.checkpoint = (haqsim_test_temp_dir() / "haqsim_test_checkpoint.bin").string();
  const auto results = train_float(net, data, o);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(std::isfinite(results[0].loss));
  // The checkpoint holds exactly the trained parameters, which moved away from the start.
  const FloatModel saved = load_float_model(o.checkpoint);
  const FloatModel after = net->to_float_model(data.normalization);
  EXPECT_EQ(saved.params[1].weight, after.params[1].weight);
  EXPECT_EQ(saved.params[1].bn.mean, after.params[1].bn.mean);
  EXPECT_NE(saved.params[1].weight, before.params[1].weight);
  EXPECT_EQ(saved.normalization.mean, data.normalization.mean);
  std::filesystem::remove(o.checkpoint);
}

}  // namespace
}  // namespace haqsim
