// One node of a network's layer graph, with the shapes the hardware needs.
//
// Convolutions carry their grouping, so depthwise (groups == in_channels == out_channels) and
// pointwise (1x1, groups == 1) are convolutions whose `kind()` says which they are. Fully
// connected layers are convolutions over a 1x1 map. Shapes are per image; the batch lives in
// the Network.
//
// Two families of layers:
// - array layers (conv, fc, matmul): what the accelerators compute; quantizable, numbered in
//   network order (policies, reports and the search index them by that number);
// - host layers (add, pooling, element-wise, activation functions, concat, data movement,
//   reductions, softmax, normalization): what the host or a vector unit next to the array does
//   between them; costed by the declared host model (sim/common/host_cost_model.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace haqsim {

enum class LayerOp {
  kConv,
  kFullyConnected,
  // A product of two activations (attention's Q x K^T and scores x V): a batched GEMM per image
  // whose second operand takes the place of the weights (wbits are its bits).
  kMatMul,
  kAdd,  // residual sum of two equal shapes (the zoo's)
  kAvgPool,
  kMaxPool,
  kConcat,       // along channels (NCHW axis 1) or any axis of an imported tensor
  kElementwise,  // binary with broadcasting: Mul, Sub, Div, Add (broadcast), Pow, Max, Min
  kActivation,   // unary function (Sigmoid, HardSwish, Tanh, Erf, Sqrt, ...)
  kReduceMean,
  kSoftmax,
  kNormalization,  // LayerNormalization, InstanceNormalization
  kDataMovement,   // Transpose, Slice/Split, Pad, Gather, Expand: bytes moved, no arithmetic
};

// What an architect calls the layer in a report.
enum class LayerKind {
  kConv,
  kDepthwise,
  kPointwise,
  kFullyConnected,
  kMatMul,
  kAdd,
  kPool,
  kConcat,
  kElementwise,
  kActivation,
  kReduce,
  kSoftmax,
  kNormalization,
  kDataMovement,
};

// Fused into the layer that produces the tensor (clamps the requantization folds in).
enum class Activation { kNone, kRelu, kRelu6 };

// The function of a host layer (kElementwise, kActivation and kDataMovement layers).
enum class HostFunction {
  kNone,
  // binary
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kMax,
  kMin,
  // unary
  kRelu,
  kClip,  // [alpha, beta]
  kLeakyRelu,
  kSigmoid,
  kHardSigmoid,  // max(0, min(1, alpha * x + beta))
  kHardSwish,
  kTanh,
  kErf,
  kGelu,
  kSqrt,
  kExp,
  kNeg,
  kAbs,
  kReciprocal,
  // data movement
  kTranspose,
  kSlice,
  kPad,
  kGather,
  kExpand,
};

// What a host layer is, beyond its op: the ONNX operator(s) it came from and its parameters.
struct HostOp {
  std::string source_op;  // e.g. "Sigmoid", "Mul", "Transpose", "GlobalAveragePool"
  HostFunction function = HostFunction::kNone;
  float alpha = 0, beta = 0;  // LeakyRelu/HardSigmoid coefficients, Clip bounds, Pow exponent
  int axis = 1;               // Concat, Softmax, Slice, Normalization: of the input's dims
  std::vector<int64_t> perm;  // Transpose
  // Pooling: ONNX's count_include_pad (average) and whether the output size was rounded up.
  bool count_include_pad = false;
  bool ceil_mode = false;
  // Slice/Pad: per input dim, the first element kept (Slice) or the zeros added before (Pad).
  std::vector<int64_t> starts, steps;
  // Elements of the constant operands the layer reads (a bias vector, a layer scale, a
  // position embedding), per image; their values live in the FloatModel's params.
  int64_t constant_elements = 0;
  // Input slot of the constant operand (kElementwise), -1 when both operands are tensors.
  int constant_slot = -1;
  std::vector<int64_t> constant_dims;
};

struct Layer {
  std::string name;
  LayerOp op = LayerOp::kConv;
  // Per image. Imported tensors that are not N x C x H x W are seen as C = their last dim and
  // H x W = the rest (per image), which is what a GEMM over their rows needs; the dims
  // themselves are in in_dims/out_dims.
  int in_channels = 0, in_height = 0, in_width = 0;
  int out_channels = 0, out_height = 0, out_width = 0;
  // Convolution and pooling geometry. Input row of output row y and kernel row k:
  // y * stride_h - pad_top + k * dilation_h (columns alike); the bottom and right pads only
  // bound how far the last window may reach, which the output size already says.
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;  // zero padding
  int groups = 1;
  bool has_bias = true;
  // A pointwise layer over rows stored row by row (rows x channels: an imported MatMul or Gemm
  // on tokens or on N x H x W x C), rather than channel planes. Executors care; the arrays, which
  // see only the GEMM, do not.
  bool channels_last = false;
  Activation activation = Activation::kNone;  // applied to this layer's output
  std::vector<int> inputs;                    // producer layer indices; -1 is the network input
  int quant_index = -1;  // position among quantizable layers, -1 if not quantizable
  // True when this layer's input has passed a ReLU (so activations are unsigned).
  bool input_unsigned = false;
  HostOp host;  // host layers only
  // Imported layers: the ONNX dims of each input as this layer reads it and of its output, at
  // the batch the graph was instantiated with (empty for the zoo's layers, which are NCHW).
  std::vector<std::vector<int64_t>> in_dims;
  std::vector<int64_t> out_dims;
  int dims_batch = 1;  // the batch those dims include

  bool quantizable() const {
    return op == LayerOp::kConv || op == LayerOp::kFullyConnected || op == LayerOp::kMatMul;
  }
  bool on_array() const { return quantizable(); }
  LayerKind kind() const;
  int64_t macs_per_image() const;
  int64_t weight_count() const;  // excluding bias; 0 for kMatMul (its operand is a tensor)
  int64_t input_elements() const { return int64_t(in_channels) * in_height * in_width; }
  int64_t output_elements() const { return int64_t(out_channels) * out_height * out_width; }
  // Elements a host layer reads per image: every tensor input (as it reads it) and its constants.
  int64_t host_input_elements() const;
  // Square kernel, equal strides, no dilation and one padding on every side: the geometry of
  // the zoo's layers (the rest comes from ONNX models).
  bool plain_geometry() const;
  // Output rows and columns of this geometry over the input, rounded down (or up).
  int geometry_out_height(bool ceil = false) const;
  int geometry_out_width(bool ceil = false) const;
  // Sets stride and symmetric padding on both axes (the zoo's layers).
  void set_stride_pad(int stride, int pad);
};

const char* to_string(LayerKind kind);
const char* to_string(LayerOp op);
const char* to_string(HostFunction function);

}  // namespace haqsim
