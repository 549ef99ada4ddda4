// Fine-tuning of k-means codebooks (Deep Compression's rule): the weights of a layer that share
// a centroid are one parameter, so the centroid's gradient is the sum of the gradients of the
// weights assigned to it; the assignment (each weight's index) stays fixed.
//
// libtorch's autograd computes the gradient of every weight as usual (the network's conv and fc
// weights hold their centroids' values); gather_gradients() then sums them into the centroids
// (index_add over the indices), the optimizer steps the centroids, and write_weights() puts the
// updated centroids back into the weights. The network's weight tensors themselves are not
// given to the optimizer. quant_aware.cpp's fine-tune uses this for --weight-quantizer kmeans,
// with activations (and the integer bias) fake-quantized as for linear weights.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "models/quant/quantization_context.h"
#include "models/training/torch_network.h"

namespace haqsim {

class CodebookTrainer {
 public:
  // Clusters each quantizable layer's current weights in `net` with the context's k-means at the
  // policy's wbits, and sets the weights to their centroids.
  CodebookTrainer(TorchNetwork& net, const QuantizationContext& ctx, const Policy& policy);

  // The trainable centroids, one tensor of 2^wbits per quantizable layer.
  const std::vector<torch::Tensor>& centroids() const { return centroids_; }
  // The weight indices of quantizable layer i (flattened, int64).
  const torch::Tensor& indices(int quant_index) const { return indices_.at(quant_index); }
  // Whether `parameter` is a weight this trainer owns (to keep it out of the optimizer).
  bool owns(const torch::Tensor& parameter) const;

  // After backward(): centroid gradients = sums of their weights' gradients; clears the weights'.
  void gather_gradients();
  // After the optimizer's step: every weight = its centroid.
  void write_weights();

 private:
  std::vector<torch::Tensor> weights_;    // the network's weight parameters, by quantizable index
  std::vector<torch::Tensor> indices_;    // per weight, into the layer's centroids
  std::vector<torch::Tensor> centroids_;  // requires_grad
};

}  // namespace haqsim
