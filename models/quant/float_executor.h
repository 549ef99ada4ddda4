// Float inference of a FloatModel in plain C++/Eigen (BatchNorm folded), used for calibration
// and to report float accuracy without libtorch.
#pragma once

#include <functional>
#include <vector>

#include "models/quant/float_model.h"

namespace haqsim {

class FloatExecutor {
 public:
  explicit FloatExecutor(const FloatModel& model);

  // Called with (layer index, C x H x W values) for every layer output of every image;
  // layer index -1 is the network input.
  using Observer = std::function<void(int layer, const float* values, size_t count)>;

  // Logits (classes values) of one normalized image (C x H x W).
  std::vector<float> run_image(const float* image, const Observer& observe = nullptr) const;
  // Predicted class per image for `n` images stored back to back.
  std::vector<int> predict(const std::vector<float>& images, int n) const;

  const Network& network() const { return network_; }
  const std::vector<float>& folded_weight(int layer) const { return weights_[layer]; }
  const std::vector<float>& folded_bias(int layer) const { return biases_[layer]; }

 private:
  Network network_;
  std::vector<std::vector<float>> weights_, biases_;  // BN-folded, per layer index
  std::vector<FloatLayerParams> params_;              // host layers' constants
};

// Top-1 (fraction) of float inference over the first `limit` images (all if <= 0).
double float_top1(const FloatExecutor& executor, const ImageDataset& data,
                  const Normalization& norm, int limit = 0);

float apply_activation(Activation act, float x);

}  // namespace haqsim
