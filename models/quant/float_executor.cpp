#include "models/quant/float_executor.h"

#include <algorithm>

#include "models/quant/conv_kernels.h"
#include "models/quant/host_ops.h"

namespace haqsim {

float apply_activation(Activation act, float x) {
  switch (act) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return std::max(x, 0.0f);
    case Activation::kRelu6:
      return std::clamp(x, 0.0f, 6.0f);
  }
  return x;
}

FloatExecutor::FloatExecutor(const FloatModel& model)
    : network_(model.network), params_(model.params) {
  weights_.resize(network_.layers.size());
  biases_.resize(network_.layers.size());
  params_.resize(network_.layers.size());
  for (size_t i = 0; i < network_.layers.size(); ++i) {
    const Layer& l = network_.layers[i];
    if (!l.quantizable() || l.op == LayerOp::kMatMul) {
      const std::string why = float_host_unsupported(l);
      if (!why.empty()) throw std::invalid_argument("the float executor cannot run " + why);
      continue;
    }
    { model.params[i].folded(network_.layers[i].out_channels, weights_[i], biases_[i]); }
  }
}

std::vector<float> FloatExecutor::run_image(const float* image, const Observer& observe) const {
  const NetworkSpec& s = network_.spec;
  const size_t input_size = size_t(s.input_elements());
  if (observe) observe(-1, image, input_size);
  std::vector<std::vector<float>> out(network_.layers.size());
  std::vector<float> scratch;
  auto input_of = [&](int src) { return src < 0 ? image : out[src].data(); };
  for (size_t i = 0; i < network_.layers.size(); ++i) {
    const Layer& l = network_.layers[i];
    std::vector<float>& y = out[i];
    y.assign(l.output_elements(), 0.0f);
    const float* x = input_of(l.inputs.front());
    const int plane = l.out_height * l.out_width;
    if (l.op == LayerOp::kConv && l.channels_last) {
      linear_rows(l, x, weights_[i].data(), biases_[i].data(), y.data());
    } else if (l.op == LayerOp::kConv || l.op == LayerOp::kFullyConnected) {
      conv_image<float>(l, x, weights_[i].data(), y.data(), scratch);
      for (int c = 0; c < l.out_channels; ++c) {
        for (int p = 0; p < plane; ++p) y[c * plane + p] += biases_[i][c];
      }
    } else {
      std::vector<const float*> inputs;
      for (int src : l.inputs) inputs.push_back(input_of(src));
      run_host_layer(l, params_[i], inputs, y.data());
    }
    if (l.activation != Activation::kNone) {
      for (float& v : y) v = apply_activation(l.activation, v);
    }
    if (observe) observe(int(i), y.data(), y.size());
  }
  return out.back();
}

std::vector<int> FloatExecutor::predict(const std::vector<float>& images, int n) const {
  const NetworkSpec& s = network_.spec;
  const size_t image_size = size_t(s.input_elements());
  std::vector<int> classes(n);
  for (int i = 0; i < n; ++i) {
    const std::vector<float> logits = run_image(&images[i * image_size]);
    classes[i] = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
  }
  return classes;
}

double float_top1(const FloatExecutor& executor, const ImageDataset& data,
                  const Normalization& norm, int limit) {
  const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
  std::vector<float> image(data.image_bytes());
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    data.normalized(i, norm, image.data());
    const std::vector<float> logits = executor.run_image(image.data());
    correct +=
        int(std::max_element(logits.begin(), logits.end()) - logits.begin()) == data.labels[i];
  }
  return n ? double(correct) / n : 0.0;
}

}  // namespace haqsim
