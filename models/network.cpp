#include "models/network.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

std::vector<const Layer*> Network::quantizable_layers() const {
  std::vector<const Layer*> out;
  for (const auto& layer : layers) {
    if (layer.quantizable()) out.push_back(&layer);
  }
  return out;
}

int Network::quantizable_count() const {
  int count = 0;
  for (const auto& layer : layers) count += layer.quantizable() ? 1 : 0;
  return count;
}

const Layer& Network::quantizable(int quant_index) const {
  for (const auto& layer : layers) {
    if (layer.quant_index == quant_index) return layer;
  }
  throw std::out_of_range(fmt::format("{} has no quantizable layer {}", name, quant_index));
}

int64_t Network::total_macs() const {
  int64_t total = 0;
  for (const auto& layer : layers) total += layer.macs_per_image();
  return total * spec.batch;
}

int Network::host_layer_count() const {
  return int(layers.size()) - quantizable_count();
}

std::string NetworkSpec::input_shape() const {
  return fmt::format("{}x{}x{}", input_height(), input_width(), in_channels);
}

int64_t Network::total_weights() const {
  int64_t total = 0;
  for (const auto& layer : layers) total += layer.weight_count();
  return total;
}

NetworkBuilder::NetworkBuilder(std::string name, const NetworkSpec& spec) {
  if (spec.resolution < 1 || spec.in_channels < 1 || spec.classes < 1 || spec.batch < 1 ||
      !(spec.width > 0) || spec.first_stride < 1) {
    throw std::invalid_argument(
        fmt::format("{}: resolution, channels, classes, batch, width and first stride must be "
                    "positive (got {}, {}, {}, {}, {}, {})",
                    name, spec.resolution, spec.in_channels, spec.classes, spec.batch, spec.width,
                    spec.first_stride));
  }
  net_.name = std::move(name);
  net_.spec = spec;
}

int NetworkBuilder::resolve(int input) const {
  if (input == kLast) return last();
  return input;
}

void NetworkBuilder::shape_of(int index, int& c, int& h, int& w) const {
  if (index < 0) {
    c = net_.spec.in_channels;
    h = net_.spec.input_height();
    w = net_.spec.input_width();
    return;
  }
  const Layer& l = net_.layers.at(index);
  c = l.out_channels;
  h = l.out_height;
  w = l.out_width;
}

int NetworkBuilder::push(Layer layer) {
  net_.layers.push_back(std::move(layer));
  return last();
}

int NetworkBuilder::conv(const std::string& name, int out_channels, int kernel, int stride,
                         int groups, Activation act, int input) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kConv;
  int src = resolve(input);
  shape_of(src, l.in_channels, l.in_height, l.in_width);
  if (groups == 0) groups = l.in_channels;  // 0 means depthwise
  if (l.in_channels % groups != 0 || out_channels % groups != 0) {
    throw std::invalid_argument(fmt::format("{}: channels {}->{} not divisible by groups {}", name,
                                            l.in_channels, out_channels, groups));
  }
  l.out_channels = out_channels;
  l.kernel_h = l.kernel_w = kernel;
  l.set_stride_pad(stride, (kernel - 1) / 2);  // "same" padding as in MobileNet and ResNet
  l.groups = groups;
  l.out_height = l.geometry_out_height();
  l.out_width = l.geometry_out_width();
  l.activation = act;
  l.inputs = {src};
  return push(std::move(l));
}

int NetworkBuilder::fully_connected(const std::string& name, int out_features, Activation act,
                                    int input) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kFullyConnected;
  int src = resolve(input);
  int c, h, w;
  shape_of(src, c, h, w);
  l.in_channels = c * h * w;
  l.in_height = l.in_width = 1;
  l.out_channels = out_features;
  l.out_height = l.out_width = 1;
  l.activation = act;
  l.inputs = {src};
  return push(std::move(l));
}

int NetworkBuilder::add(const std::string& name, int a, int b, Activation act) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kAdd;
  shape_of(a, l.in_channels, l.in_height, l.in_width);
  int c, h, w;
  shape_of(b, c, h, w);
  if (c != l.in_channels || h != l.in_height || w != l.in_width) {
    throw std::invalid_argument(fmt::format("{}: adding {}x{}x{} to {}x{}x{}", name, l.in_channels,
                                            l.in_height, l.in_width, c, h, w));
  }
  l.out_channels = c;
  l.out_height = h;
  l.out_width = w;
  l.has_bias = false;
  l.activation = act;
  l.inputs = {a, b};
  return push(std::move(l));
}

int NetworkBuilder::global_avg_pool(const std::string& name, int input) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kAvgPool;
  int src = resolve(input);
  shape_of(src, l.in_channels, l.in_height, l.in_width);
  l.kernel_h = l.in_height;
  l.kernel_w = l.in_width;
  l.out_channels = l.in_channels;
  l.out_height = l.out_width = 1;
  l.has_bias = false;
  l.inputs = {src};
  return push(std::move(l));
}

int NetworkBuilder::max_pool(const std::string& name, int kernel, int stride, int pad, int input) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kMaxPool;
  int src = resolve(input);
  shape_of(src, l.in_channels, l.in_height, l.in_width);
  l.kernel_h = l.kernel_w = kernel;
  l.set_stride_pad(stride, pad);
  l.out_channels = l.in_channels;
  l.out_height = l.geometry_out_height();
  l.out_width = l.geometry_out_width();
  l.has_bias = false;
  l.inputs = {src};
  return push(std::move(l));
}

bool produces_unsigned(const Network& net, int index) {
  if (index < 0) return false;
  const Layer& l = net.layers[index];
  if (l.activation != Activation::kNone) return true;
  auto all_inputs = [&] {
    for (int src : l.inputs) {
      if (!produces_unsigned(net, src)) return false;
    }
    return !l.inputs.empty();
  };
  switch (l.op) {
    case LayerOp::kAvgPool:
    case LayerOp::kMaxPool:
    case LayerOp::kReduceMean:
    case LayerOp::kConcat:
      return all_inputs();
    case LayerOp::kDataMovement:  // moves values (Pad adds zeros)
      return all_inputs();
    case LayerOp::kSoftmax:
      return true;
    case LayerOp::kActivation:
      switch (l.host.function) {
        case HostFunction::kRelu:
        case HostFunction::kSigmoid:
        case HostFunction::kHardSigmoid:
        case HostFunction::kSqrt:
        case HostFunction::kExp:
        case HostFunction::kAbs:
          return true;
        case HostFunction::kClip:
          return l.host.alpha >= 0;
        default:
          return false;
      }
    case LayerOp::kElementwise:
      // Products and quotients of non-negative tensors and non-negative constants.
      return (l.host.function == HostFunction::kMul || l.host.function == HostFunction::kMax) &&
             all_inputs() && l.host.constant_slot < 0;
    default:
      return false;
  }
}

void number_layers(Network& net) {
  int quant_index = 0;
  for (auto& layer : net.layers) {
    layer.quant_index = layer.quantizable() ? quant_index++ : -1;
    layer.input_unsigned = true;
    for (int src : layer.inputs) layer.input_unsigned &= produces_unsigned(net, src);
  }
}

Network NetworkBuilder::build() {
  number_layers(net_);
  for (auto& layer : net_.layers) {
    if (layer.out_height < 1 || layer.out_width < 1) {
      throw std::invalid_argument(
          fmt::format("{}: layer '{}' has an empty output map at resolution {} (input too small)",
                      net_.name, layer.name, net_.spec.resolution));
    }
  }
  return net_;
}

}  // namespace haqsim
