// A libtorch module built from a zoo layer graph, so the trained network has exactly the
// topology the simulators and the integer reference run: every conv is conv (no bias) +
// BatchNorm + the zoo's activation (ReLU6 / ReLU / none), adds are residual sums, the pool is a
// global average and the fc a Linear. Nothing is hand-written per model.
#pragma once

#include <torch/torch.h>

#include <functional>

#include "models/network.h"
#include "models/quant/float_model.h"

namespace haqsim {

class TorchNetworkImpl : public torch::nn::Module {
 public:
  explicit TorchNetworkImpl(const Network& network);

  // Hooks used by quantization-aware training: replace a quantizable layer's input and weight
  // (already BN-folded when `fold_bn` is set), and any layer's output (after its activation),
  // on the way through.
  struct QuantHooks {
    std::function<torch::Tensor(int quant_index, const torch::Tensor& input)> input;
    std::function<torch::Tensor(int quant_index, const torch::Tensor& weight)> weight;
    // Replaces a quantizable layer's bias; gets the (folded, not yet quantized) weight too, since
    // the integer bias is counted in units of input scale x weight scale.
    std::function<torch::Tensor(int quant_index, const torch::Tensor& bias,
                                const torch::Tensor& weight)>
        bias;
    std::function<torch::Tensor(int layer_index, const torch::Tensor& output)> output;
    bool fold_bn = false;  // conv with BN folded into weight and bias (batch statistics frozen)
  };

  torch::Tensor forward(const torch::Tensor& x) { return run(x, nullptr); }
  torch::Tensor run(const torch::Tensor& x, const QuantHooks* hooks);

  const Network& network() const { return network_; }

  // Parameter exchange with the torch-free FloatModel (the weight file).
  FloatModel to_float_model(const Normalization& norm) const;
  void load_float_model(const FloatModel& model);

 private:
  torch::Tensor apply_activation(const Layer& layer, const torch::Tensor& x) const;

  Network network_;
  // Indexed like network_.layers; null for layers without that part.
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::BatchNorm2d> bns_;
  std::vector<torch::nn::Linear> fcs_;
};
TORCH_MODULE(TorchNetwork);

// Copies between torch tensors and float vectors (contiguous, float32, CPU).
std::vector<float> to_vector(const torch::Tensor& t);
torch::Tensor from_vector(const std::vector<float>& v, at::IntArrayRef shape);

}  // namespace haqsim
