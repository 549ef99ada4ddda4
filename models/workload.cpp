#include "models/workload.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

bool LayerWorkload::plain_geometry() const {
  return kernel_h == kernel_w && stride_h == stride_w && dilation_h == 1 && dilation_w == 1 &&
         pad_top == pad_left && pad_top == pad_bottom && pad_top == pad_right;
}

std::string LayerWorkload::shape_string() const {
  std::string s = fmt::format("{}x{}x{}>{}x{}x{}", in_height, in_width, in_channels, out_height,
                              out_width, out_channels);
  s += kernel_h == kernel_w ? fmt::format(" k{}", kernel_h)
                            : fmt::format(" k{}x{}", kernel_h, kernel_w);
  s += stride_h == stride_w ? fmt::format(" s{}", stride_h)
                            : fmt::format(" s{}x{}", stride_h, stride_w);
  if (dilation_h != 1 || dilation_w != 1) {
    s += dilation_h == dilation_w ? fmt::format(" d{}", dilation_h)
                                  : fmt::format(" d{}x{}", dilation_h, dilation_w);
  }
  return s;
}

int64_t LayerWorkload::padded_height() const {
  return std::max<int64_t>(int64_t(in_height) + pad_top + pad_bottom, window_rows(out_height));
}

int64_t LayerWorkload::padded_width() const {
  return std::max<int64_t>(int64_t(in_width) + pad_left + pad_right, window_cols(out_width));
}

std::string LayerWorkload::geometry_key() const {
  if (plain_geometry()) return fmt::format("s{}:p{}", stride_h, pad_top);
  return fmt::format("s{}x{}:p{},{},{},{}:d{}x{}", stride_h, stride_w, pad_top, pad_left,
                     pad_bottom, pad_right, dilation_h, dilation_w);
}

LayerWorkload lower_layer(const Layer& layer, int batch) {
  if (!layer.quantizable()) {
    throw std::invalid_argument(fmt::format("layer '{}' is not a conv or fc layer", layer.name));
  }
  LayerWorkload w;
  w.quant_index = layer.quant_index;
  w.name = layer.name;
  w.kind = layer.kind();
  w.batch = batch;
  w.in_channels = layer.in_channels;
  w.in_height = layer.in_height;
  w.in_width = layer.in_width;
  w.out_channels = layer.out_channels;
  w.out_height = layer.out_height;
  w.out_width = layer.out_width;
  w.kernel_h = layer.kernel_h;
  w.kernel_w = layer.kernel_w;
  w.stride_h = layer.stride_h;
  w.stride_w = layer.stride_w;
  w.dilation_h = layer.dilation_h;
  w.dilation_w = layer.dilation_w;
  w.pad_top = layer.pad_top;
  w.pad_left = layer.pad_left;
  w.pad_bottom = layer.pad_bottom;
  w.pad_right = layer.pad_right;
  w.groups = layer.groups;
  w.input_signed = !layer.input_unsigned;
  if (layer.op == LayerOp::kMatMul) {
    // Each image has its own second operand, so no image shares another's "weights": the
    // batch becomes more GEMM instances of one image.
    w.batch = 1;
    w.groups = layer.groups * batch;
    w.in_channels = layer.in_channels * batch;
    w.out_channels = layer.out_channels * batch;
  }
  w.gemm_m = w.out_channels / w.groups;
  w.gemm_k = int64_t(w.in_channels / w.groups) * layer.kernel_h * layer.kernel_w;
  w.gemm_n = int64_t(w.batch) * layer.out_height * layer.out_width;
  return w;
}

std::vector<LayerWorkload> lower_network(const Network& network) {
  std::vector<LayerWorkload> out;
  for (const Layer* layer : network.quantizable_layers()) {
    out.push_back(lower_layer(*layer, network.spec.batch));
  }
  return out;
}

namespace {

std::string dims_text(const std::vector<int64_t>& dims) {
  return dims.empty() ? "scalar" : fmt::format("{}", fmt::join(dims, "x"));
}

// Elementary operations per output element of an activation function.
int64_t activation_ops(HostFunction f) {
  switch (f) {
    case HostFunction::kRelu:
    case HostFunction::kClip:
    case HostFunction::kLeakyRelu:
    case HostFunction::kNeg:
    case HostFunction::kAbs:
      return 1;
    case HostFunction::kHardSigmoid:
      return 2;
    case HostFunction::kHardSwish:
      return 3;
    default:  // sigmoid, tanh, erf, gelu, sqrt, exp, reciprocal
      return kTranscendentalOps;
  }
}

}  // namespace

HostWorkload lower_host_layer(const Layer& l, int layer_index, int batch) {
  if (l.quantizable()) {
    throw std::invalid_argument(fmt::format("layer '{}' runs on the array", l.name));
  }
  HostWorkload w;
  w.layer_index = layer_index;
  w.name = l.name;
  w.kind = l.kind();
  w.op = l.host.source_op.empty() ? to_string(l.op) : l.host.source_op;
  w.batch = batch;
  const int64_t out = l.output_elements();
  w.input_elements = l.host_input_elements() * batch;
  w.output_elements = out * batch;
  int64_t per_output = 0;
  switch (l.op) {
    case LayerOp::kAdd:
      per_output = 1;
      break;
    case LayerOp::kAvgPool:
    case LayerOp::kMaxPool:
      per_output = int64_t(l.kernel_h) * l.kernel_w;  // one add or compare per window tap
      break;
    case LayerOp::kElementwise:
      per_output = l.host.function == HostFunction::kDiv || l.host.function == HostFunction::kPow
                       ? kTranscendentalOps
                       : 1;
      break;
    case LayerOp::kActivation:
      per_output = activation_ops(l.host.function);
      break;
    case LayerOp::kReduceMean:
      w.operations = l.host_input_elements() * batch;  // one add per input element
      break;
    case LayerOp::kSoftmax:
      per_output = kTranscendentalOps + 3;  // max, subtract, exp, sum, divide
      break;
    case LayerOp::kNormalization:
      per_output = kTranscendentalOps + 5;  // mean, variance, normalize, scale, shift
      break;
    default:  // concat and data movement: bytes only
      break;
  }
  w.operations += per_output * w.output_elements;
  if (!l.out_dims.empty()) {
    std::string in;
    for (const auto& d : l.in_dims) in += (in.empty() ? "" : ",") + dims_text(d);
    w.shape = fmt::format("{}>{}", in, dims_text(l.out_dims));
  } else {
    w.shape = fmt::format("{}x{}x{}>{}x{}x{}", l.in_height, l.in_width, l.in_channels, l.out_height,
                          l.out_width, l.out_channels);
  }
  return w;
}

std::vector<HostWorkload> lower_host_layers(const Network& network) {
  std::vector<HostWorkload> out;
  for (size_t i = 0; i < network.layers.size(); ++i) {
    if (!network.layers[i].quantizable()) {
      out.push_back(lower_host_layer(network.layers[i], int(i), network.spec.batch));
    }
  }
  return out;
}

}  // namespace haqsim
