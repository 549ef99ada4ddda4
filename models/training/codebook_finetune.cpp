#include "models/training/codebook_finetune.h"

#include <fmt/format.h>

#include <stdexcept>

#include "models/quant/kmeans_quantizer.h"

namespace haqsim {

CodebookTrainer::CodebookTrainer(TorchNetwork& net, const QuantizationContext& ctx,
                                 const Policy& policy) {
  const Network& network = net->network();
  const auto parameters = net->named_parameters();
  for (int i = 0; i < network.quantizable_count(); ++i) {
    const Layer& l = network.quantizable(i);
    std::string name = l.name;  // as TorchNetworkImpl registers its modules
    for (char& c : name) c = c == '.' ? '_' : c;
    const torch::Tensor* weight = parameters.find(name + ".weight");
    if (!weight) throw std::invalid_argument(fmt::format("no weight for layer '{}'", l.name));
    const std::vector<float> values = to_vector(*weight);
    const std::vector<float> centroids =
        kmeans_centroids(values, policy.layers.at(i).wbits, ctx.weight_quantization.kmeans);
    const std::vector<int32_t> index = assign_to_centroids(values, centroids);
    weights_.push_back(*weight);
    indices_.push_back(torch::tensor(std::vector<int64_t>(index.begin(), index.end())));
    centroids_.push_back(from_vector(centroids, {int64_t(centroids.size())}).requires_grad_(true));
  }
  write_weights();
}

bool CodebookTrainer::owns(const torch::Tensor& parameter) const {
  for (const torch::Tensor& w : weights_) {
    if (w.is_same(parameter)) return true;
  }
  return false;
}

void CodebookTrainer::gather_gradients() {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < weights_.size(); ++i) {
    torch::Tensor& grad = weights_[i].mutable_grad();
    torch::Tensor sum = torch::zeros_like(centroids_[i]);
    if (grad.defined()) {
      sum.index_add_(0, indices_[i], grad.reshape({-1}));
      grad.zero_();
    }
    centroids_[i].mutable_grad() = sum;
  }
}

void CodebookTrainer::write_weights() {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < weights_.size(); ++i) {
    weights_[i].copy_(centroids_[i].index_select(0, indices_[i]).view(weights_[i].sizes()));
  }
}

}  // namespace haqsim
