#include "models/layer.h"

namespace haqsim {

LayerKind Layer::kind() const {
  switch (op) {
    case LayerOp::kFullyConnected:
      return LayerKind::kFullyConnected;
    case LayerOp::kMatMul:
      return LayerKind::kMatMul;
    case LayerOp::kAdd:
      return LayerKind::kAdd;
    case LayerOp::kAvgPool:
    case LayerOp::kMaxPool:
      return LayerKind::kPool;
    case LayerOp::kConcat:
      return LayerKind::kConcat;
    case LayerOp::kElementwise:
      return LayerKind::kElementwise;
    case LayerOp::kActivation:
      return LayerKind::kActivation;
    case LayerOp::kReduceMean:
      return LayerKind::kReduce;
    case LayerOp::kSoftmax:
      return LayerKind::kSoftmax;
    case LayerOp::kNormalization:
      return LayerKind::kNormalization;
    case LayerOp::kDataMovement:
      return LayerKind::kDataMovement;
    case LayerOp::kConv:
      if (groups > 1 && groups == in_channels && groups == out_channels) {
        return LayerKind::kDepthwise;
      }
      if (kernel_h == 1 && kernel_w == 1 && groups == 1) return LayerKind::kPointwise;
      return LayerKind::kConv;
  }
  return LayerKind::kConv;
}

int64_t Layer::weight_count() const {
  if (op != LayerOp::kConv && op != LayerOp::kFullyConnected) return 0;
  return int64_t(out_channels) * (in_channels / groups) * kernel_h * kernel_w;
}

int64_t Layer::macs_per_image() const {
  if (!quantizable()) return 0;
  return int64_t(out_channels) * (in_channels / groups) * kernel_h * kernel_w * out_height *
         out_width;
}

int64_t Layer::host_input_elements() const {
  int64_t total = host.constant_elements;
  if (in_dims.empty()) return total + input_elements() * int64_t(inputs.size());
  for (const auto& dims : in_dims) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    total += n / dims_batch;
  }
  return total;
}

bool Layer::plain_geometry() const {
  return kernel_h == kernel_w && stride_h == stride_w && dilation_h == 1 && dilation_w == 1 &&
         pad_top == pad_left && pad_top == pad_bottom && pad_top == pad_right;
}

namespace {

int out_extent(int in, int pad_a, int pad_b, int kernel, int dilation, int stride, bool ceil) {
  const int span = in + pad_a + pad_b - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
  // ONNX and PyTorch: with ceil_mode the last window must start inside the input or the
  // leading padding, never in the trailing padding alone.
  if (ceil && (out - 1) * stride >= in + pad_a) --out;
  return out;
}

}  // namespace

int Layer::geometry_out_height(bool ceil) const {
  return out_extent(in_height, pad_top, pad_bottom, kernel_h, dilation_h, stride_h, ceil);
}

int Layer::geometry_out_width(bool ceil) const {
  return out_extent(in_width, pad_left, pad_right, kernel_w, dilation_w, stride_w, ceil);
}

void Layer::set_stride_pad(int stride, int pad) {
  stride_h = stride_w = stride;
  pad_top = pad_left = pad_bottom = pad_right = pad;
}

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kDepthwise:
      return "dwconv";
    case LayerKind::kPointwise:
      return "pwconv";
    case LayerKind::kFullyConnected:
      return "fc";
    case LayerKind::kMatMul:
      return "matmul";
    case LayerKind::kAdd:
      return "add";
    case LayerKind::kPool:
      return "pool";
    case LayerKind::kConcat:
      return "concat";
    case LayerKind::kElementwise:
      return "eltwise";
    case LayerKind::kActivation:
      return "act";
    case LayerKind::kReduce:
      return "reduce";
    case LayerKind::kSoftmax:
      return "softmax";
    case LayerKind::kNormalization:
      return "norm";
    case LayerKind::kDataMovement:
      return "move";
  }
  return "?";
}

const char* to_string(LayerOp op) {
  switch (op) {
    case LayerOp::kConv:
      return "Conv";
    case LayerOp::kFullyConnected:
      return "FullyConnected";
    case LayerOp::kMatMul:
      return "MatMul";
    case LayerOp::kAdd:
      return "Add";
    case LayerOp::kAvgPool:
      return "AvgPool";
    case LayerOp::kMaxPool:
      return "MaxPool";
    case LayerOp::kConcat:
      return "Concat";
    case LayerOp::kElementwise:
      return "Elementwise";
    case LayerOp::kActivation:
      return "Activation";
    case LayerOp::kReduceMean:
      return "ReduceMean";
    case LayerOp::kSoftmax:
      return "Softmax";
    case LayerOp::kNormalization:
      return "Normalization";
    case LayerOp::kDataMovement:
      return "DataMovement";
  }
  return "?";
}

const char* to_string(HostFunction f) {
  switch (f) {
    case HostFunction::kNone:
      return "none";
    case HostFunction::kAdd:
      return "add";
    case HostFunction::kSub:
      return "sub";
    case HostFunction::kMul:
      return "mul";
    case HostFunction::kDiv:
      return "div";
    case HostFunction::kPow:
      return "pow";
    case HostFunction::kMax:
      return "max";
    case HostFunction::kMin:
      return "min";
    case HostFunction::kRelu:
      return "relu";
    case HostFunction::kClip:
      return "clip";
    case HostFunction::kLeakyRelu:
      return "leaky_relu";
    case HostFunction::kSigmoid:
      return "sigmoid";
    case HostFunction::kHardSigmoid:
      return "hard_sigmoid";
    case HostFunction::kHardSwish:
      return "hard_swish";
    case HostFunction::kTanh:
      return "tanh";
    case HostFunction::kErf:
      return "erf";
    case HostFunction::kGelu:
      return "gelu";
    case HostFunction::kSqrt:
      return "sqrt";
    case HostFunction::kExp:
      return "exp";
    case HostFunction::kNeg:
      return "neg";
    case HostFunction::kAbs:
      return "abs";
    case HostFunction::kReciprocal:
      return "reciprocal";
    case HostFunction::kTranspose:
      return "transpose";
    case HostFunction::kSlice:
      return "slice";
    case HostFunction::kPad:
      return "pad";
    case HostFunction::kGather:
      return "gather";
    case HostFunction::kExpand:
      return "expand";
  }
  return "?";
}

}  // namespace haqsim
