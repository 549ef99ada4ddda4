// Whole networks on the cycle-accurate BISMO model: every layer of MobileNet-V1 and V2 at
// 224 x 224 (batch from the config) on both HAQ instances, at uniform 8/8 and three mixed
// policies (2-bit layers, every precision from 1 to 8, signed activations after MobileNet-V2's
// linear projections), bit-exact with the direct-convolution reference. Labelled `long`: the
// cloud instance runs batch 16.
#include <gtest/gtest.h>

#include <random>

#include "models/zoo.h"
#include "sim/bismo/bismo_systemc_model.h"

namespace haqsim {
namespace {

Policy mixed_policy(int layers, int kind) {
  Policy p = Policy::uniform(layers, 8, 8);
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> any(1, 8);
  for (int i = 0; i < layers; ++i) {
    switch (kind) {
      case 0:  // a sweep through every precision pair
        p.layers[i] = {2 + i % 7, 8 - i % 7};
        break;
      case 1:  // HAQ-style: first and last at 8, the rest at 2
        if (i != 0 && i != layers - 1) p.layers[i] = {2, 2};
        break;
      default:  // random, 1 to 8 bits
        p.layers[i] = {any(rng), any(rng)};
    }
  }
  return p;
}

class BismoNetworks : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(BismoNetworks, EveryLayerBitExact) {
  const auto [arch, model_name] = GetParam();
  const ArchConfig config = load_arch_config(std::string("arch-configs/") + arch + ".yaml");
  NetworkSpec spec;
  spec.batch = config.batch;
  const Network net = build_model(model_name, spec);
  bismo::BismoSystemCModel model(config, Backend::kSystemC, &bismo::make_behavioural_core);
  const int layers = net.quantizable_count();
  std::vector<Policy> policies = {Policy::uniform(layers, 8, 8), mixed_policy(layers, 0),
                                  mixed_policy(layers, 1), mixed_policy(layers, 2)};
  int signed_inputs = 0;
  for (std::size_t pi = 0; pi < policies.size(); ++pi) {
    for (const LayerWorkload& layer : lower_network(net)) {
      const LayerBits bits = policies[pi].layers[layer.quant_index];
      const LayerStats s = model.evaluate(layer, bits);
      ASSERT_TRUE(s.bit_exact.value_or(false))
          << arch << " " << model_name << " policy " << pi << " layer " << layer.name;
      signed_inputs += layer.input_signed;
    }
  }
  EXPECT_GT(signed_inputs, 0);  // the network input at least
}

INSTANTIATE_TEST_SUITE_P(HaqInstances, BismoNetworks,
                         ::testing::Combine(::testing::Values("bismo-edge", "bismo-cloud"),
                                            ::testing::Values("mobilenet_v1", "mobilenet_v2")));

}  // namespace
}  // namespace haqsim
