#include "models/training/torch_network.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

namespace F = torch::nn::functional;

std::vector<float> to_vector(const torch::Tensor& t) {
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

torch::Tensor from_vector(const std::vector<float>& v, at::IntArrayRef shape) {
  return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat).clone();
}

namespace {

// What this module can build: the array layers and the host layers of the zoo and of small
// imported CNNs, with padding torch's conv2d takes (the same on both sides of each axis).
bool trainable(const Layer& l) {
  const bool symmetric = l.pad_top == l.pad_bottom && l.pad_left == l.pad_right;
  switch (l.op) {
    case LayerOp::kConv:
      return symmetric;
    case LayerOp::kFullyConnected:
    case LayerOp::kAdd:
    case LayerOp::kConcat:
      return true;
    case LayerOp::kAvgPool:
      return l.kernel_h == l.in_height && l.kernel_w == l.in_width;  // global
    case LayerOp::kMaxPool:
      return symmetric;
    default:
      return false;
  }
}

F::Conv2dFuncOptions conv_options(const Layer& l) {
  return F::Conv2dFuncOptions()
      .stride({l.stride_h, l.stride_w})
      .padding({l.pad_top, l.pad_left})
      .dilation({l.dilation_h, l.dilation_w})
      .groups(l.groups);
}

}  // namespace

TorchNetworkImpl::TorchNetworkImpl(const Network& network) : network_(network) {
  const size_t n = network_.layers.size();
  for (const Layer& l : network_.layers) {
    if (!trainable(l)) {
      throw std::invalid_argument(fmt::format(
          "{}: layer '{}' ({}) cannot be trained: libtorch builds conv, fc, add, global average "
          "pool, max pool and concat layers with symmetric padding",
          network_.name, l.name, to_string(l.op)));
    }
  }
  convs_.resize(n, nullptr);
  bns_.resize(n, nullptr);
  fcs_.resize(n, nullptr);
  for (size_t i = 0; i < n; ++i) {
    const Layer& l = network_.layers[i];
    // Module names: the layer name with dots replaced (torch reserves '.').
    std::string name = l.name;
    for (char& c : name) c = c == '.' ? '_' : c;
    if (l.op == LayerOp::kConv) {
      convs_[i] = register_module(
          name, torch::nn::Conv2d(torch::nn::Conv2dOptions(l.in_channels, l.out_channels,
                                                           {l.kernel_h, l.kernel_w})
                                      .stride({l.stride_h, l.stride_w})
                                      .padding({l.pad_top, l.pad_left})
                                      .dilation({l.dilation_h, l.dilation_w})
                                      .groups(l.groups)
                                      .bias(false)));
      // Channels-last runs oneDNN's convolutions, 2-4x faster on CPU than the NCHW path.
      convs_[i]->weight.set_data(convs_[i]->weight.contiguous(at::MemoryFormat::ChannelsLast));
      bns_[i] = register_module(name + "_bn", torch::nn::BatchNorm2d(l.out_channels));
    } else if (l.op == LayerOp::kFullyConnected) {
      fcs_[i] = register_module(name, torch::nn::Linear(l.in_channels, l.out_channels));
    }
  }
}

torch::Tensor TorchNetworkImpl::apply_activation(const Layer& layer, const torch::Tensor& x) const {
  switch (layer.activation) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return torch::relu(x);
    case Activation::kRelu6:
      return torch::clamp(x, 0.0, 6.0);
  }
  return x;
}

torch::Tensor TorchNetworkImpl::run(const torch::Tensor& x, const QuantHooks* hooks) {
  std::vector<torch::Tensor> out(network_.layers.size());
  const torch::Tensor input = x.dim() == 4 ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
  auto input_of = [&](int src) -> const torch::Tensor& { return src < 0 ? input : out[src]; };
  for (size_t i = 0; i < network_.layers.size(); ++i) {
    const Layer& l = network_.layers[i];
    torch::Tensor in = input_of(l.inputs.front());
    if (l.quantizable() && hooks && hooks->input) in = hooks->input(l.quant_index, in);
    torch::Tensor y;
    switch (l.op) {
      case LayerOp::kConv: {
        auto& conv = convs_[i];
        auto& bn = bns_[i];
        if (hooks && hooks->fold_bn) {
          // Fold the BN's running statistics into the conv, as the integer path does, so the
          // weight quantizer sees the weights that will actually be quantized.
          torch::Tensor inv = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
          torch::Tensor w = conv->weight * inv.view({-1, 1, 1, 1});
          torch::Tensor b = bn->bias - bn->running_mean * inv;
          if (hooks->bias) b = hooks->bias(l.quant_index, b, w);
          if (hooks->weight) w = hooks->weight(l.quant_index, w);
          y = F::conv2d(in, w, conv_options(l).bias(b));
        } else {
          torch::Tensor w = conv->weight;
          if (hooks && hooks->weight) w = hooks->weight(l.quant_index, w);
          y = F::conv2d(in, w, conv_options(l));
          y = bn->forward(y);
        }
        break;
      }
      case LayerOp::kFullyConnected: {
        torch::Tensor w = fcs_[i]->weight, b = fcs_[i]->bias;
        if (hooks && hooks->bias) b = hooks->bias(l.quant_index, b, w);
        if (hooks && hooks->weight) w = hooks->weight(l.quant_index, w);
        y = F::linear(in.flatten(1), w, b);
        break;
      }
      case LayerOp::kAdd:
        y = in + input_of(l.inputs[1]);
        break;
      case LayerOp::kAvgPool:
        y = F::adaptive_avg_pool2d(in, F::AdaptiveAvgPool2dFuncOptions(1));
        break;
      case LayerOp::kMaxPool:
        y = F::max_pool2d(in, F::MaxPool2dFuncOptions({l.kernel_h, l.kernel_w})
                                  .stride({l.stride_h, l.stride_w})
                                  .padding({l.pad_top, l.pad_left})
                                  .ceil_mode(l.host.ceil_mode));
        break;
      case LayerOp::kConcat: {
        std::vector<torch::Tensor> parts;
        for (int src : l.inputs) parts.push_back(input_of(src));
        y = torch::cat(parts, 1);
        break;
      }
      default:
        break;
    }
    out[i] = apply_activation(l, y);
    if (hooks && hooks->output) out[i] = hooks->output(int(i), out[i]);
  }
  return out.back().flatten(1);
}

FloatModel TorchNetworkImpl::to_float_model(const Normalization& norm) const {
  FloatModel model;
  model.network = network_;
  model.normalization = norm;
  model.params.resize(network_.layers.size());
  for (size_t i = 0; i < network_.layers.size(); ++i) {
    FloatLayerParams& p = model.params[i];
    if (convs_[i]) {
      p.weight = to_vector(convs_[i]->weight);
      p.bn.gamma = to_vector(bns_[i]->weight);
      p.bn.beta = to_vector(bns_[i]->bias);
      p.bn.mean = to_vector(bns_[i]->running_mean);
      p.bn.var = to_vector(bns_[i]->running_var);
      p.bn.eps = float(bns_[i]->options.eps());
    } else if (fcs_[i]) {
      p.weight = to_vector(fcs_[i]->weight);
      p.bias = to_vector(fcs_[i]->bias);
    }
  }
  return model;
}

void TorchNetworkImpl::load_float_model(const FloatModel& model) {
  if (model.params.size() != network_.layers.size()) {
    throw std::invalid_argument("weights do not belong to this network");
  }
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < network_.layers.size(); ++i) {
    const FloatLayerParams& p = model.params[i];
    if (convs_[i]) {
      convs_[i]->weight.copy_(from_vector(p.weight, convs_[i]->weight.sizes()));
      if (!p.bn.empty()) {
        bns_[i]->weight.copy_(from_vector(p.bn.gamma, bns_[i]->weight.sizes()));
        bns_[i]->bias.copy_(from_vector(p.bn.beta, bns_[i]->bias.sizes()));
        bns_[i]->running_mean.copy_(from_vector(p.bn.mean, bns_[i]->running_mean.sizes()));
        bns_[i]->running_var.copy_(from_vector(p.bn.var, bns_[i]->running_var.sizes()));
      } else {  // a conv without BN (e.g. imported): identity BN, bias into beta
        bns_[i]->weight.fill_(1.0);
        bns_[i]->running_mean.zero_();
        bns_[i]->running_var.fill_(1.0 - bns_[i]->options.eps());
        if (p.bias.empty()) {
          bns_[i]->bias.zero_();
        } else {
          bns_[i]->bias.copy_(from_vector(p.bias, bns_[i]->bias.sizes()));
        }
      }
    } else if (fcs_[i]) {
      fcs_[i]->weight.copy_(from_vector(p.weight, fcs_[i]->weight.sizes()));
      fcs_[i]->bias.copy_(from_vector(p.bias, fcs_[i]->bias.sizes()));
    }
  }
}

}  // namespace haqsim
