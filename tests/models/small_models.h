// Small networks and data for the model tests: a quarter-width 32x32x1 zoo network, synthetic
// weights with random BatchNorm (as a trained torch module has them: convs without bias), and a
// labelled set of random bytes (nothing to learn; shapes and fixed batches are what matter).
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "models/data/image_dataset.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"

namespace haqsim::test {

inline NetworkSpec small_spec() {
  NetworkSpec spec;
  spec.resolution = 32;
  spec.in_channels = 1;
  spec.classes = 10;
  spec.width = 0.25;
  spec.first_stride = 2;
  return spec;
}

inline FloatModel model_with_batchnorm(const std::string& name) {
  FloatModel m = make_synthetic_float_model(build_model(name, small_spec()), 2);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0.5f, 1.5f);
  for (size_t i = 0; i < m.params.size(); ++i) {
    const Layer& l = m.network.layers[i];
    if (l.op != LayerOp::kConv) continue;
    m.params[i].bias.clear();  // the torch module's convs have no bias; BN carries it
    BatchNormParams& bn = m.params[i].bn;
    for (int c = 0; c < l.out_channels; ++c) {
      bn.gamma.push_back(u(rng));
      bn.beta.push_back(u(rng) - 1.0f);
      bn.mean.push_back(0.1f * (u(rng) - 1.0f));
      bn.var.push_back(u(rng));
    }
  }
  return m;
}

inline DataSplits random_splits(int n) {
  DataSplits d;
  d.name = "random";
  ImageDataset set;
  set.channels = 1;
  set.height = set.width = 32;
  std::mt19937 rng(5);
  for (int i = 0; i < n * 32 * 32; ++i) set.pixels.push_back(uint8_t(rng() & 0xff));
  for (int i = 0; i < n; ++i) set.labels.push_back(int(rng() % 10));
  d.train = d.calibration = d.validation = d.test = set;
  d.normalization = compute_normalization(set);
  return d;
}

}  // namespace haqsim::test
