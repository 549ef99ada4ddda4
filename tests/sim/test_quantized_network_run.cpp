// One image through the whole quantized network on the cycle-accurate accelerators, the host
// requantizing each layer's accumulators into the next layer's input: every layer's
// accumulators and the final logits equal the integer reference's, on BISMO and BitFusion, for
// uniform and mixed policies (MobileNet-V2 brings signed inputs after its linear projections).
#include <gtest/gtest.h>

#include "models/quant/pretrained.h"
#include "models/quant/quantization_context.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"
#include "sim/common/cost_model.h"
#include "sim/registry.h"
#include "tools/app/quantized_network_run.h"

namespace haqsim {
namespace {

Policy mixed(int layers) {
  Policy p = Policy::uniform(layers, 8, 8);
  for (int i = 1; i + 1 < layers; ++i) p.layers[i] = {2 + i % 7, 3 + (i * 5) % 6};
  return p;
}

void expect_network_exact(const char* arch, const char* model_name, bool mixed_policy) {
  const ArchConfig config = load_arch_config(std::string("arch-configs/") + arch + ".yaml");
  NetworkSpec spec;
  spec.resolution = 32;  // the shipped Fashion-MNIST instance's shape
  spec.in_channels = 1;
  spec.classes = 10;
  spec.first_stride = 1;
  const Network net = build_model(model_name, spec);
  const Policy policy = mixed_policy ? mixed(net.quantizable_count())
                                     : Policy::uniform(net.quantizable_count(), 8, 8);
  const QuantizedNetwork qnet = make_synthetic_quantized_network(net, policy, 5);
  const IntTensor image = make_synthetic_input(qnet, 1, 9);
  auto model = make_cost_model(config, Backend::kSystemC);
  const QuantizedNetworkRun run = run_quantized_network_on(*model, qnet, image, Backend::kSystemC);
  ASSERT_EQ(int(run.report.layers.size()), net.quantizable_count());
  for (const LayerResult& layer : run.report.layers) {
    EXPECT_TRUE(layer.stats.bit_exact.value_or(false)) << arch << " " << layer.workload.name;
  }
  EXPECT_TRUE(run.logits_match_reference) << arch << " " << model_name;
  EXPECT_EQ(run.predicted, run.reference_predicted);
}

TEST(QuantizedNetworkRun, BismoEdgeMobileNetV1) {
  expect_network_exact("bismo-edge", "mobilenet_v1", false);
}
TEST(QuantizedNetworkRun, BismoEdgeMobileNetV2Mixed) {
  expect_network_exact("bismo-edge", "mobilenet_v2", true);
}
TEST(QuantizedNetworkRun, BitFusionMobileNetV1Mixed) {
  expect_network_exact("bitfusion", "mobilenet_v1", true);
}
TEST(QuantizedNetworkRun, BitFusionMobileNetV2) {
  expect_network_exact("bitfusion", "mobilenet_v2", false);
}

// The shipped trained models on a real Fashion-MNIST test image (dataset-fashion-mnist is
// installed by tools/setup.sh): both accelerators compute every layer of the quantized network
// exactly as the integer reference does, at 8 bits and at a mixed 2..8-bit policy, and predict
// what the reference predicts.
void expect_trained_model_exact_on_a_real_image(const char* model_name) {
  const QuantizationContext ctx =
      prepare_quantization(pretrained_weights_path(model_name), "fashion-mnist", 64);
  const int layers = ctx.model.network.quantizable_count();
  for (const Policy& policy : {Policy::uniform(layers, 8, 8), mixed(layers)}) {
    const QuantizedNetwork qnet = ctx.quantize(policy);
    const IntTensor image =
        quantize_input(qnet, ctx.data.test.normalized_batch({0}, qnet.normalization), 1);
    for (const char* arch : {"bismo-edge", "bitfusion"}) {
      const ArchConfig config = load_arch_config(std::string("arch-configs/") + arch + ".yaml");
      auto model = make_cost_model(config, Backend::kSystemC);
      const QuantizedNetworkRun run =
          run_quantized_network_on(*model, qnet, image, Backend::kSystemC);
      for (const LayerResult& layer : run.report.layers) {
        EXPECT_TRUE(layer.stats.bit_exact.value_or(false))
            << arch << " " << model_name << " " << layer.workload.name;
      }
      EXPECT_TRUE(run.logits_match_reference) << arch << " " << model_name;
      EXPECT_EQ(run.predicted, run.reference_predicted) << arch << " " << model_name;
    }
  }
}

TEST(QuantizedNetworkRun, TrainedMobileNetsOnARealImage) {
  expect_trained_model_exact_on_a_real_image("mobilenet_v1");
  expect_trained_model_exact_on_a_real_image("mobilenet_v2");
}

TEST(QuantizedNetworkRun, TrainedResNet50OnARealImage) {
  expect_trained_model_exact_on_a_real_image("resnet50");
}

TEST(QuantizedNetworkRun, AnalyticBackendIsRefused) {
  const ArchConfig config = load_arch_config("arch-configs/bismo-edge.yaml");
  NetworkSpec spec;
  spec.resolution = 32;
  const Network net = build_mobilenet_v1(spec);
  const QuantizedNetwork qnet =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 8, 8), 1);
  auto model = make_cost_model(config, Backend::kAnalytic);
  EXPECT_THROW(
      run_quantized_network_on(*model, qnet, make_synthetic_input(qnet, 1, 1), Backend::kAnalytic),
      BackendUnavailable);
}

}  // namespace
}  // namespace haqsim
