#include "models/onnx/onnx_import.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <set>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/onnx/onnx_fold.h"
#include "models/onnx/onnx_node.h"
#include "models/onnx/onnx_shapes.h"
#include "models/onnx/onnx_tensor.h"

namespace haqsim {

namespace {

using namespace onnx_import;

// Bounds on what an imported layer may be: far beyond any real network, small enough that no
// shape arithmetic downstream (MACs, im2col sizes, tiles) can overflow.
constexpr int64_t kMaxChannels = 1 << 20;
constexpr int64_t kMaxSpatial = 1 << 16;  // input size, kernel, stride, dilation and padding
constexpr int64_t kMaxRows = 1 << 24;     // rows of a matrix product per image

// One tensor of the graph as the importer knows it.
struct Value {
  enum Kind { kUnknown, kConstant, kTensor };
  Kind kind = kUnknown;
  Dims dims;
  // Constants: an initializer not read yet, or the values.
  const onnx::TensorProto* proto = nullptr;
  std::shared_ptr<const TensorValue> value;
  bool valueless = false;  // a graph input that holds weights: dims only
  // Tensors: the layer that produced it (-1: the network input) and whether this is that
  // layer's output itself rather than a view of it (what fusing into the layer requires).
  int producer = -1;
  bool direct = false;
};

// A double as a float, out-of-range values at the float range (a file's doubles are arbitrary;
// converting one beyond the range is undefined).
float to_float(double v) {
  constexpr double kMax = 3.4028234663852886e38;
  return std::isnan(v) ? float(v) : float(std::clamp(v, -kMax, kMax));
}

std::vector<float> to_floats(const std::vector<double>& v) {
  std::vector<float> out(v.size());
  for (size_t k = 0; k < v.size(); ++k) out[k] = to_float(v[k]);
  return out;
}

struct Problem {
  std::string node, op, part, expected, found;
  bool unsupported = false;
};

const std::set<std::string>& unary_host_ops() {
  static const std::set<std::string> ops = {
      "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish",  "Tanh",
      "Erf",  "Sqrt", "Exp",       "Neg",     "Abs",         "Reciprocal", "Gelu"};
  return ops;
}

// Operators the importer lowers to layers or views (foldable() covers the constant ones).
bool lowerable(const std::string& op) {
  static const std::set<std::string> ops = {"Conv",
                                            "Gemm",
                                            "MatMul",
                                            "Einsum",
                                            "BatchNormalization",
                                            "Add",
                                            "Sub",
                                            "Mul",
                                            "Div",
                                            "Pow",
                                            "Max",
                                            "Min",
                                            "MaxPool",
                                            "AveragePool",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "ReduceMean",
                                            "ReduceSum",
                                            "ReduceMax",
                                            "ReduceMin",
                                            "ReduceL2",
                                            "Softmax",
                                            "LogSoftmax",
                                            "LayerNormalization",
                                            "Concat",
                                            "Transpose",
                                            "Slice",
                                            "Split",
                                            "Gather",
                                            "Pad",
                                            "Expand",
                                            "Tile",
                                            "Reshape",
                                            "Flatten",
                                            "Squeeze",
                                            "Unsqueeze",
                                            "Identity",
                                            "Dropout",
                                            "Cast",
                                            "CastLike",
                                            "Shape",
                                            "Size"};
  return ops.count(op) > 0 || unary_host_ops().count(op) > 0;
}

HostFunction unary_function(const std::string& op) {
  static const std::map<std::string, HostFunction> f = {{"Relu", HostFunction::kRelu},
                                                        {"Clip", HostFunction::kClip},
                                                        {"LeakyRelu", HostFunction::kLeakyRelu},
                                                        {"Sigmoid", HostFunction::kSigmoid},
                                                        {"HardSigmoid", HostFunction::kHardSigmoid},
                                                        {"HardSwish", HostFunction::kHardSwish},
                                                        {"Tanh", HostFunction::kTanh},
                                                        {"Erf", HostFunction::kErf},
                                                        {"Sqrt", HostFunction::kSqrt},
                                                        {"Exp", HostFunction::kExp},
                                                        {"Neg", HostFunction::kNeg},
                                                        {"Abs", HostFunction::kAbs},
                                                        {"Reciprocal", HostFunction::kReciprocal},
                                                        {"Gelu", HostFunction::kGelu}};
  return f.at(op);
}

HostFunction binary_function(const std::string& op) {
  static const std::map<std::string, HostFunction> f = {
      {"Add", HostFunction::kAdd}, {"Sub", HostFunction::kSub}, {"Mul", HostFunction::kMul},
      {"Div", HostFunction::kDiv}, {"Pow", HostFunction::kPow}, {"Max", HostFunction::kMax},
      {"Min", HostFunction::kMin}};
  return f.at(op);
}

class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string source, const OnnxImportOptions& options)
      : model_(model), source_(std::move(source)), options_(options) {}

  FloatModel run(OnnxModelInfo* info);

 private:
  // --- errors --------------------------------------------------------------------------------
  [[noreturn]] void fail_graph(const std::string& key, const std::string& expected,
                               const std::string& found) const {
    throw InputError(InputLocation{source_, 0, key, -1}, expected, found);
  }
  std::string label(const onnx::NodeProto& node, int index) const {
    return node.name().empty() ? fmt::format("#{} {}", index, node.op_type())
                               : fmt::format("'{}'", node.name());
  }

  // --- values --------------------------------------------------------------------------------
  Value& value(const std::string& name) { return values_.at(name); }
  const Value& input_value(const onnx::NodeProto& node, int k) const {
    return values_.at(node.input(k));
  }
  // The values of a constant, read on first use.
  const TensorValue& constant_values(Value& v, const std::string& part) {
    if (v.valueless) {
      throw unsupported(part, "a constant with values (a graph input holds only a shape)",
                        "a weight given as a graph input");
    }
    if (!v.value) {
      v.value = std::make_shared<TensorValue>(read_tensor(*v.proto, source_, model_dir_));
    }
    return *v.value;
  }
  bool is_tensor(const onnx::NodeProto& node, int k) const {
    return has_input(node, k) && input_value(node, k).kind == Value::kTensor;
  }
  bool is_constant(const onnx::NodeProto& node, int k) const {
    return has_input(node, k) && input_value(node, k).kind == Value::kConstant;
  }
  const Value& tensor_input(const onnx::NodeProto& node, int k, const std::string& what) const {
    if (!has_input(node, k))
      throw NodeError(fmt::format("input {} ({})", k, what), "a tensor", "none");
    const Value& v = input_value(node, k);
    if (v.kind != Value::kTensor) {
      throw unsupported(fmt::format("input {} ({})", k, what),
                        "a tensor computed from the graph input", "a constant");
    }
    return v;
  }
  // A constant input's values (shapes, axes, pads, weights when values are read).
  const TensorValue& constant_input(const onnx::NodeProto& node, int k, const std::string& what) {
    const std::string part = fmt::format("input {} ({})", k, what);
    if (!has_input(node, k)) throw NodeError(part, "a constant", "none");
    Value& v = values_.at(node.input(k));
    if (v.kind != Value::kConstant) {
      throw unsupported(part, "a constant (an initializer or folded from them)",
                        "a tensor computed from the graph input");
    }
    return constant_values(v, part);
  }
  // A constant input's dims (weights: their values are read only when wanted).
  const Dims& constant_dims(const onnx::NodeProto& node, int k, const std::string& what) const {
    const std::string part = fmt::format("input {} ({})", k, what);
    if (!has_input(node, k)) throw NodeError(part, "a constant", "none");
    const Value& v = input_value(node, k);
    if (v.kind != Value::kConstant) {
      throw unsupported(part, "a constant weight (an initializer or a graph input)",
                        "a tensor computed from the graph input");
    }
    return v.dims;
  }
  // Weight values as floats for the FloatModel, or nothing when values are not wanted.
  std::vector<float> weight_values(const onnx::NodeProto& node, int k, const std::string& what) {
    if (!options_.values) return {};
    const TensorValue& t = constant_input(node, k, what);
    if (!t.is_real()) {
      throw unsupported(fmt::format("input {} ({})", k, what), "floating-point weights",
                        type_name(t.data_type));
    }
    return to_floats(t.reals);
  }
  void set_constant(const std::string& name, TensorValue t) {
    Value v;
    v.kind = Value::kConstant;
    v.dims = t.dims;
    v.value = std::make_shared<TensorValue>(std::move(t));
    values_[name] = std::move(v);
  }
  void set_view(const onnx::NodeProto& node, const Value& of, Dims dims) {
    Value v;
    v.kind = Value::kTensor;
    v.producer = of.producer;
    v.direct = of.direct && dims == of.dims;
    v.dims = std::move(dims);
    values_[node.output(0)] = std::move(v);
  }
  int consumers(const std::string& tensor) const {
    auto it = consumers_.find(tensor);
    return it == consumers_.end() ? 0 : it->second;
  }

  // --- layers --------------------------------------------------------------------------------
  // Per-image C x H x W of an imported tensor: N x C x H x W and N x C as they are, anything
  // else as (last dim) x (the rest per image) x 1.
  void per_image(const Dims& d, int& c, int& h, int& w, const std::string& part) const {
    const int64_t n = element_count(d);
    const bool small = std::all_of(d.begin(), d.end(), [](int64_t v) { return v <= kMaxRows; });
    if (!small) throw unsupported(part, fmt::format("dims of at most {}", kMaxRows), dims_text(d));
    if (d.size() == 4 && d[0] == batch_) {
      c = int(d[1]);
      h = int(d[2]);
      w = int(d[3]);
      return;
    }
    if (d.size() == 2 && d[0] == batch_) {
      c = int(d[1]);
      h = w = 1;
      return;
    }
    if (batch_ == 0 || n % batch_ != 0) {
      throw unsupported(part, fmt::format("a tensor that carries the batch of {}", batch_),
                        dims_text(d));
    }
    const int64_t e = n / batch_;
    const int64_t last = d.empty() ? 1 : d.back();
    const int64_t channels = last > 0 && e % last == 0 && last <= kMaxChannels ? last : 1;
    if (e / channels > kMaxRows) {
      throw unsupported(part, fmt::format("at most {} rows per image", kMaxRows), dims_text(d));
    }
    c = int(channels);
    h = int(e / channels);
    w = 1;
  }
  // Appends a layer producing output 0 of `node` with `out` dims; returns its index.
  int add_layer(Layer l, FloatLayerParams p, const onnx::NodeProto& node, int index,
                const std::vector<const Value*>& inputs, const Dims& out) {
    l.name = node.name().empty() ? fmt::format("{}_{}", node.op_type(), index) : node.name();
    if (l.host.source_op.empty() && !l.quantizable()) l.host.source_op = node.op_type();
    for (const Value* v : inputs) {
      l.inputs.push_back(v->producer);
      l.in_dims.push_back(v->dims);
    }
    l.out_dims = out;
    l.dims_batch = batch_;
    if (!l.quantizable() || l.in_channels == 0) {
      if (!inputs.empty())
        per_image(inputs[0]->dims, l.in_channels, l.in_height, l.in_width, "input 0");
      if (!l.quantizable()) per_image(out, l.out_channels, l.out_height, l.out_width, "output");
    }
    if (element_count(out) == 0) throw NodeError("output", "a non-empty tensor", dims_text(out));
    // Array layers: MACs that int64 arithmetic downstream (batches, GEMM views) cannot overflow.
    if (l.quantizable() && double(l.out_channels) * double(l.in_channels / std::max(l.groups, 1)) *
                                   l.kernel_h * l.kernel_w * l.out_height * l.out_width >
                               double(int64_t(1) << 48)) {
      throw unsupported("inputs", "a layer of at most 2^48 MACs per image", dims_text(out));
    }
    net_.layers.push_back(std::move(l));
    params_.push_back(std::move(p));
    const int layer = int(net_.layers.size()) - 1;
    Value v;
    v.kind = Value::kTensor;
    v.dims = out;
    v.producer = layer;
    v.direct = true;
    values_[node.output(0)] = v;
    return layer;
  }

  void conv(const onnx::NodeProto& node, int index);
  void gemm(const onnx::NodeProto& node, int index);
  void matmul(const onnx::NodeProto& node, int index);
  void einsum(const onnx::NodeProto& node, int index);
  void batch_norm(const onnx::NodeProto& node, int index);
  void unary(const onnx::NodeProto& node, int index);
  void binary(const onnx::NodeProto& node, int index);
  void pool(const onnx::NodeProto& node, int index);
  void reduce(const onnx::NodeProto& node, int index);
  void softmax_or_norm(const onnx::NodeProto& node, int index);
  void concat(const onnx::NodeProto& node, int index);
  void data_movement(const onnx::NodeProto& node, int index);
  void view(const onnx::NodeProto& node);
  void lower(const onnx::NodeProto& node, int index);
  // A fully connected layer (one row per image) or a pointwise convolution over the rows.
  int linear_layer(const onnx::NodeProto& node, int index, const Value& x, int64_t k, int64_t e,
                   const Dims& out, FloatLayerParams p);

  void bind_inputs();
  std::vector<int> topological_order();
  void finish();

  const onnx::ModelProto& model_;
  std::string source_;
  OnnxImportOptions options_;
  std::string model_dir_;
  int64_t opset_ = 0;
  int batch_ = 1;
  std::map<std::string, Value> values_;
  std::map<std::string, int> consumers_;
  std::map<int, int> channel_axis_;  // array layer -> axis of its output's channels
  std::vector<Problem> problems_;
  Network net_;
  std::vector<FloatLayerParams> params_;
};

// --- array layers ----------------------------------------------------------------------------

// A 2-d convolution or pooling window's geometry, as Conv, MaxPool and AveragePool share
// them: kernel, strides, dilations and pads or auto_pad (SAME_UPPER/SAME_LOWER: an output of
// ceil(input / stride), the odd padding at the end or the beginning). `l` has its input size.
void read_window(const onnx::NodeProto& node, const Dims& kernel, Layer& l) {
  auto bounded = [](const std::string& part, const Dims& v, size_t n, int64_t lo) {
    if (v.size() != n) throw NodeError(part, fmt::format("{} values", n), dims_text(v));
    for (int64_t e : v) {
      if (e < lo || e > kMaxSpatial) {
        throw NodeError(part, fmt::format("values in [{}, {}]", lo, kMaxSpatial), dims_text(v));
      }
    }
    return v;
  };
  bounded("attribute 'kernel_shape'", kernel, 2, 1);
  const Dims strides =
      bounded("attribute 'strides'", ints_attribute(node, "strides", {1, 1}), 2, 1);
  const Dims dilations =
      bounded("attribute 'dilations'", ints_attribute(node, "dilations", {1, 1}), 2, 1);
  if ((kernel[0] - 1) * dilations[0] + 1 > kMaxSpatial ||
      (kernel[1] - 1) * dilations[1] + 1 > kMaxSpatial) {
    throw NodeError("attribute 'dilations'",
                    fmt::format("a dilated window of at most {}", kMaxSpatial),
                    dims_text(dilations));
  }
  l.kernel_h = int(kernel[0]);
  l.kernel_w = int(kernel[1]);
  l.stride_h = int(strides[0]);
  l.stride_w = int(strides[1]);
  l.dilation_h = int(dilations[0]);
  l.dilation_w = int(dilations[1]);
  const std::string auto_pad = string_attribute(node, "auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    auto same = [&](int in, int k, int d, int s, int& begin, int& end) {
      const int out = (in + s - 1) / s;
      const int total = std::max(0, (out - 1) * s + (k - 1) * d + 1 - in);
      begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      end = total - begin;
    };
    same(l.in_height, l.kernel_h, l.dilation_h, l.stride_h, l.pad_top, l.pad_bottom);
    same(l.in_width, l.kernel_w, l.dilation_w, l.stride_w, l.pad_left, l.pad_right);
  } else if (auto_pad == "NOTSET" || auto_pad == "VALID") {
    const Dims pads =
        auto_pad == "VALID"
            ? Dims{0, 0, 0, 0}
            : bounded("attribute 'pads'", ints_attribute(node, "pads", {0, 0, 0, 0}), 4, 0);
    l.pad_top = int(pads[0]);
    l.pad_left = int(pads[1]);
    l.pad_bottom = int(pads[2]);
    l.pad_right = int(pads[3]);
  } else {
    throw NodeError("attribute 'auto_pad'", "NOTSET, SAME_UPPER, SAME_LOWER or VALID",
                    "'" + auto_pad + "'");
  }
}

void Importer::conv(const onnx::NodeProto& node, int index) {
  const Value& x = tensor_input(node, 0, "X");
  if (x.dims.size() != 4) {
    throw unsupported("input 0 (X)", "a 2-d convolution's N x C x H x W input", dims_text(x.dims));
  }
  if (x.dims[0] != batch_) {
    throw unsupported("input 0 (X)", fmt::format("the batch ({}) in dim 0", batch_),
                      dims_text(x.dims));
  }
  if (x.dims[1] > kMaxChannels || x.dims[2] > kMaxSpatial || x.dims[3] > kMaxSpatial) {
    throw unsupported(
        "input 0 (X)",
        fmt::format("at most {} channels and {} rows and columns", kMaxChannels, kMaxSpatial),
        dims_text(x.dims));
  }
  const Dims w = constant_dims(node, 1, "W");
  if (w.size() != 4)
    throw NodeError("input 1 (W)", "a 4-d weight (M x C/group x kH x kW)", dims_text(w));
  Layer l;
  l.op = LayerOp::kConv;
  l.in_channels = int(x.dims[1]);
  l.in_height = int(x.dims[2]);
  l.in_width = int(x.dims[3]);
  const int64_t group = int_attribute(node, "group", 1);
  if (group < 1 || group > kMaxChannels)
    throw NodeError("attribute 'group'", "in [1, 2^20]", std::to_string(group));
  l.groups = int(group);
  if (w[0] < 1 || w[0] > kMaxChannels || w[0] % group != 0) {
    throw NodeError("input 1 (W)",
                    fmt::format("output channels (dim 0) divisible by group {}", group),
                    dims_text(w));
  }
  if (w[1] * group != l.in_channels) {
    throw NodeError("input 1 (W)",
                    fmt::format("{} input channels per group ({} / group {})",
                                l.in_channels / std::max<int64_t>(group, 1), l.in_channels, group),
                    dims_text(w));
  }
  l.out_channels = int(w[0]);
  const Dims kernel = ints_attribute(node, "kernel_shape", {w[2], w[3]});
  if (kernel != Dims{w[2], w[3]}) {
    throw NodeError("attribute 'kernel_shape'", "the weight's kH x kW " + dims_text({w[2], w[3]}),
                    dims_text(kernel));
  }
  read_window(node, kernel, l);
  l.out_height = l.geometry_out_height();
  l.out_width = l.geometry_out_width();
  if (l.out_height < 1 || l.out_width < 1) {
    throw NodeError(
        "input 0 (X)", "an input at least as large as the dilated kernel",
        fmt::format("{}x{} for a {}x{} kernel", l.in_height, l.in_width, l.kernel_h, l.kernel_w));
  }
  FloatLayerParams p;
  p.weight = weight_values(node, 1, "W");
  l.has_bias = has_input(node, 2);
  if (l.has_bias) {
    const Dims b = constant_dims(node, 2, "B");
    if (element_count(b) != l.out_channels) {
      throw NodeError("input 2 (B)", fmt::format("{} values", l.out_channels), dims_text(b));
    }
    p.bias = weight_values(node, 2, "B");
  }
  const Dims out = {batch_, l.out_channels, l.out_height, l.out_width};
  const int layer = add_layer(std::move(l), std::move(p), node, index, {&x}, out);
  channel_axis_[layer] = 1;
}

int Importer::linear_layer(const onnx::NodeProto& node, int index, const Value& x, int64_t k,
                           int64_t e, const Dims& out, FloatLayerParams p) {
  if (k < 1 || k > kMaxChannels || e < 1 || e > kMaxChannels) {
    throw unsupported("inputs", "matrix dims in [1, 2^20]", fmt::format("{} x {}", k, e));
  }
  const int64_t rows = element_count(x.dims) / k;
  if (rows % batch_ != 0) {
    throw unsupported("input 0 (A)", fmt::format("rows that carry the batch of {}", batch_),
                      dims_text(x.dims));
  }
  Layer l;
  l.in_channels = int(k);
  l.out_channels = int(e);
  l.has_bias = !p.bias.empty();
  if (rows == batch_) {
    l.op = LayerOp::kFullyConnected;
    l.in_height = l.in_width = l.out_height = l.out_width = 1;
  } else {
    // A linear layer on every row (token, pixel) of the image: a pointwise convolution.
    l.op = LayerOp::kConv;
    l.channels_last = true;
    if (x.dims.size() == 4 && x.dims[0] == batch_) {
      l.in_height = int(x.dims[1]);
      l.in_width = int(x.dims[2]);
    } else {
      if (rows / batch_ > kMaxRows)
        throw unsupported("input 0 (A)", fmt::format("at most {} rows per image", kMaxRows),
                          dims_text(x.dims));
      l.in_height = int(rows / batch_);
      l.in_width = 1;
    }
    l.out_height = l.in_height;
    l.out_width = l.in_width;
  }
  const int layer = add_layer(std::move(l), std::move(p), node, index, {&x}, out);
  channel_axis_[layer] = int(out.size()) - 1;
  return layer;
}

void Importer::gemm(const onnx::NodeProto& node, int index) {
  const Value& a = tensor_input(node, 0, "A");
  if (a.dims.size() != 2) throw NodeError("input 0 (A)", "a matrix", dims_text(a.dims));
  if (int_attribute(node, "transA", 0) != 0) {
    throw unsupported("attribute 'transA'", "0 for a computed A (a transposed activation)", "1");
  }
  const Dims b = constant_dims(node, 1, "B");
  if (b.size() != 2) throw NodeError("input 1 (B)", "a matrix", dims_text(b));
  const bool trans_b = int_attribute(node, "transB", 0) != 0;
  const int64_t k = trans_b ? b[1] : b[0], e = trans_b ? b[0] : b[1];
  if (k != a.dims[1]) {
    throw NodeError("input 1 (B)", fmt::format("{} rows (A's columns)", a.dims[1]), dims_text(b));
  }
  const float alpha = float_attribute(node, "alpha", 1.0f),
              beta = float_attribute(node, "beta", 1.0f);
  FloatLayerParams p;
  if (options_.values) {
    const std::vector<float> bv = weight_values(node, 1, "B");
    p.weight.resize(size_t(e * k));
    for (int64_t o = 0; o < e; ++o) {
      for (int64_t i = 0; i < k; ++i)
        p.weight[o * k + i] = alpha * (trans_b ? bv[o * k + i] : bv[i * e + o]);
    }
  }
  bool bias_row = false;  // C is one row broadcast over A's rows
  if (has_input(node, 2)) {
    const Dims c = constant_dims(node, 2, "C");
    bias_row = element_count(c) == 1 || element_count(c) == e;
    if (!bias_row) {
      throw unsupported("input 2 (C)", fmt::format("a bias of 1 or {} values", e), dims_text(c));
    }
    if (options_.values) {
      const std::vector<float> cv = weight_values(node, 2, "C");
      p.bias.resize(size_t(e));
      for (int64_t o = 0; o < e; ++o) p.bias[o] = beta * cv[cv.size() == 1 ? 0 : o];
    } else {
      p.bias.assign(size_t(e), 0.0f);
    }
  }
  linear_layer(node, index, a, k, e, {a.dims[0], e}, std::move(p));
}

void Importer::matmul(const onnx::NodeProto& node, int index) {
  const bool a_tensor = is_tensor(node, 0), b_tensor = is_tensor(node, 1);
  if (!has_input(node, 0) || !has_input(node, 1)) throw NodeError("inputs", "A and B", "fewer");
  const Dims& ad = input_value(node, 0).dims;
  const Dims& bd = input_value(node, 1).dims;
  if (ad.size() < 2 || bd.size() < 2) {
    throw unsupported("inputs", "operands of rank >= 2", dims_text(ad) + " x " + dims_text(bd));
  }
  const int64_t m = ad[ad.size() - 2], k = ad.back(), kb = bd[bd.size() - 2], n = bd.back();
  if (k != kb)
    throw NodeError("inputs", "A's columns equal to B's rows",
                    dims_text(ad) + " x " + dims_text(bd));
  Dims out = broadcast(Dims(ad.begin(), ad.end() - 2), Dims(bd.begin(), bd.end() - 2), "inputs");
  out.push_back(m);
  out.push_back(n);
  if (a_tensor && !b_tensor) {
    if (bd.size() != 2)
      throw unsupported("input 1 (B)", "a constant matrix (rank 2)", dims_text(bd));
    FloatLayerParams p;
    if (options_.values) {
      const std::vector<float> bv = weight_values(node, 1, "B");  // K x N, stored O x I
      p.weight.resize(size_t(n * k));
      for (int64_t o = 0; o < n; ++o) {
        for (int64_t i = 0; i < k; ++i) p.weight[o * k + i] = bv[i * n + o];
      }
    }
    linear_layer(node, index, input_value(node, 0), k, n, out, std::move(p));
    return;
  }
  if (!a_tensor && b_tensor) {
    // Weights on the left: every column of B is an input vector (pixels x K).
    if (ad.size() != 2)
      throw unsupported("input 0 (A)", "a constant matrix (rank 2)", dims_text(ad));
    const Value& x = input_value(node, 1);
    const int64_t columns = element_count(x.dims) / k;
    if (columns % batch_ != 0 || columns / batch_ > kMaxRows || m > kMaxChannels ||
        k > kMaxChannels) {
      throw unsupported("input 1 (B)", fmt::format("columns that carry the batch of {}", batch_),
                        dims_text(x.dims));
    }
    Layer l;
    l.op = LayerOp::kConv;
    l.in_channels = int(k);
    l.out_channels = int(m);
    l.in_height = l.out_height = int(columns / batch_);
    l.in_width = l.out_width = 1;
    l.has_bias = false;
    FloatLayerParams p;
    p.weight = weight_values(node, 0, "A");
    const int layer = add_layer(std::move(l), std::move(p), node, index, {&x}, out);
    channel_axis_[layer] = int(out.size()) - 2;
    return;
  }
  // Two activations: one GEMM per broadcast batch entry, B in the weights' place.
  const int64_t instances = element_count(out) / (m * n);
  if (instances % batch_ != 0) {
    throw unsupported("inputs", fmt::format("batch dims that carry the batch of {}", batch_),
                      dims_text(out));
  }
  const int64_t groups = instances / batch_;
  if (groups * k > kMaxChannels || groups * n > kMaxChannels || m > kMaxRows) {
    throw unsupported("inputs", "products of at most 2^20 columns per image", dims_text(out));
  }
  Layer l;
  l.op = LayerOp::kMatMul;
  l.groups = int(groups);
  l.in_channels = int(groups * k);
  l.out_channels = int(groups * n);
  l.in_height = l.out_height = int(m);
  l.in_width = l.out_width = 1;
  l.has_bias = false;
  add_layer(std::move(l), {}, node, index, {&input_value(node, 0), &input_value(node, 1)}, out);
}

// Einsum of two operands that is a batched matrix product: letters in both inputs and the output
// are batch dims, in both inputs only contracted, in one input and the output free.
void Importer::einsum(const onnx::NodeProto& node, int index) {
  std::string eq;
  for (char c : string_attribute(node, "equation", "")) {
    if (c != ' ') eq += c;
  }
  const size_t arrow = eq.find("->"), comma = eq.find(',');
  if (node.input_size() != 2 || arrow == std::string::npos || comma == std::string::npos ||
      comma > arrow || eq.find("...") != std::string::npos) {
    throw unsupported("attribute 'equation'", "a product of two operands 'ab,bc->ac' without '...'",
                      "'" + string_attribute(node, "equation", "") + "'");
  }
  const std::string ea = eq.substr(0, comma), eb = eq.substr(comma + 1, arrow - comma - 1),
                    eo = eq.substr(arrow + 2);
  const Value& a = input_value(node, 0);
  const Value& b = input_value(node, 1);
  if (ea.size() != a.dims.size() || eb.size() != b.dims.size()) {
    throw NodeError("attribute 'equation'", "one letter per operand dim",
                    fmt::format("'{}' for {} and {}", eq, dims_text(a.dims), dims_text(b.dims)));
  }
  std::map<char, int64_t> size;
  auto note = [&](const std::string& e, const Dims& d) {
    for (size_t k = 0; k < e.size(); ++k) {
      auto [it, fresh] = size.emplace(e[k], d[k]);
      if (!fresh && it->second != d[k]) {
        throw NodeError("attribute 'equation'", fmt::format("one size for '{}'", e[k]),
                        dims_text(d));
      }
    }
  };
  note(ea, a.dims);
  note(eb, b.dims);
  int64_t batch = 1, m = 1, k = 1, n = 1;
  for (const auto& [c, d] : size) {
    const bool in_a = ea.find(c) != std::string::npos, in_b = eb.find(c) != std::string::npos,
               in_o = eo.find(c) != std::string::npos;
    if (in_a && in_b)
      (in_o ? batch : k) *= d;
    else if (in_o)
      (in_a ? m : n) *= d;
    else
      throw unsupported("attribute 'equation'",
                        "every letter of one operand in the other or the output",
                        std::string(1, c));
  }
  Dims out;
  for (char c : eo) {
    if (!size.count(c))
      throw NodeError("attribute 'equation'", "output letters from the inputs", std::string(1, c));
    out.push_back(size[c]);
  }
  if (a.kind != Value::kTensor || b.kind != Value::kTensor) {
    throw unsupported("inputs", "two computed tensors", "a constant operand");
  }
  if (batch % batch_ != 0 || (batch / batch_) * k > kMaxChannels ||
      (batch / batch_) * n > kMaxChannels || m > kMaxRows) {
    throw unsupported("inputs", fmt::format("batch dims that carry the batch of {}", batch_),
                      dims_text(out));
  }
  Layer l;
  l.op = LayerOp::kMatMul;
  l.groups = int(batch / batch_);
  l.in_channels = int(l.groups * k);
  l.out_channels = int(l.groups * n);
  l.in_height = l.out_height = int(m);
  l.in_width = l.out_width = 1;
  l.has_bias = false;
  add_layer(std::move(l), {}, node, index, {&a, &b}, out);
}

void Importer::batch_norm(const onnx::NodeProto& node, int index) {
  const Value& x = tensor_input(node, 0, "X");
  if (int_attribute(node, "training_mode", 0) != 0) {
    throw unsupported("attribute 'training_mode'", "0 (inference)", "1");
  }
  for (int k = 1; k < node.output_size(); ++k) {
    if (!node.output(k).empty() && consumers(node.output(k)) > 0) {
      throw unsupported(fmt::format("output {}", k), "unused running statistics", "a consumer");
    }
  }
  if (x.dims.size() < 2) throw NodeError("input 0 (X)", "N x C x ...", dims_text(x.dims));
  const int64_t c = x.dims[1];
  for (int k = 1; k <= 4; ++k) {
    const Dims d = constant_dims(node, k,
                                 k == 1   ? "scale"
                                 : k == 2 ? "B"
                                 : k == 3 ? "mean"
                                          : "var");
    if (element_count(d) != c)
      throw NodeError(fmt::format("input {}", k), fmt::format("{} values", c), dims_text(d));
  }
  BatchNormParams bn;
  if (options_.values) {
    bn.gamma = weight_values(node, 1, "scale");
    bn.beta = weight_values(node, 2, "B");
    bn.mean = weight_values(node, 3, "mean");
    bn.var = weight_values(node, 4, "var");
  } else {
    bn.gamma.assign(size_t(c), 1.0f);  // a non-empty BatchNorm marks the fold
  }
  bn.eps = float_attribute(node, "epsilon", 1e-5f);
  if (x.direct && x.producer >= 0 && consumers(node.input(0)) == 1) {
    Layer& src = net_.layers[x.producer];
    if (src.op == LayerOp::kConv && src.activation == Activation::kNone &&
        params_[x.producer].bn.empty() && channel_axis_[x.producer] == 1) {
      params_[x.producer].bn = std::move(bn);
      set_view(node, x, x.dims);
      values_[node.output(0)].direct = true;
      return;
    }
  }
  Layer l;
  l.op = LayerOp::kNormalization;
  l.host.constant_elements = 4 * c;
  FloatLayerParams p;
  p.bn = std::move(bn);
  add_layer(std::move(l), std::move(p), node, index, {&x}, x.dims);
}

// --- host layers -----------------------------------------------------------------------------

void Importer::unary(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  const Value& x = tensor_input(node, 0, "X");
  Layer l;
  l.op = LayerOp::kActivation;
  l.host.function = unary_function(op);
  if (op == "Clip") {
    double lo = -std::numeric_limits<double>::infinity(),
           hi = std::numeric_limits<double>::infinity();
    if (opset_ < 11) {
      lo = has_attribute(node, "min") ? float_attribute(node, "min", 0) : lo;
      hi = has_attribute(node, "max") ? float_attribute(node, "max", 0) : hi;
    }
    auto scalar = [&](int k, const char* what) {
      const TensorValue& t = constant_input(node, k, what);
      if (t.size() != 1)
        throw NodeError(fmt::format("input {} ({})", k, what), "a scalar", dims_text(t.dims));
      return t.real(0);
    };
    if (has_input(node, 1)) lo = scalar(1, "min");
    if (has_input(node, 2)) hi = scalar(2, "max");
    l.host.alpha = to_float(std::max(lo, -3.4e38));
    l.host.beta = to_float(std::min(hi, 3.4e38));
    if (lo == 0 && (hi == 6 || std::isinf(hi))) {
      l.host.function = HostFunction::kRelu;  // a ReLU or ReLU6 that could not be fused
    }
  } else if (op == "LeakyRelu") {
    l.host.alpha = float_attribute(node, "alpha", 0.01f);
  } else if (op == "HardSigmoid") {
    l.host.alpha = float_attribute(node, "alpha", 0.2f);
    l.host.beta = float_attribute(node, "beta", 0.5f);
  } else if (op == "Gelu") {
    if (string_attribute(node, "approximate", "none") != "none") {
      throw unsupported("attribute 'approximate'", "none",
                        string_attribute(node, "approximate", ""));
    }
  }
  // ReLU and ReLU6 fold into the conv, fc or residual add that produced the tensor.
  const bool relu = op == "Relu", relu6 = op == "Clip" && l.host.alpha == 0 && l.host.beta == 6;
  const bool clip_relu = op == "Clip" && l.host.alpha == 0 && l.host.beta >= 3.4e38f;
  if ((relu || relu6 || clip_relu) && x.direct && x.producer >= 0 &&
      consumers(node.input(0)) == 1) {
    Layer& src = net_.layers[x.producer];
    if ((src.op == LayerOp::kConv || src.op == LayerOp::kFullyConnected ||
         src.op == LayerOp::kAdd) &&
        src.activation == Activation::kNone) {
      src.activation = relu6 ? Activation::kRelu6 : Activation::kRelu;
      set_view(node, x, x.dims);
      values_[node.output(0)].direct = true;
      return;
    }
  }
  if (op == "Clip" && l.host.function == HostFunction::kRelu && l.host.beta == 6) {
    l.host.function = HostFunction::kClip;
  }
  add_layer(std::move(l), {}, node, index, {&x}, x.dims);
}

void Importer::binary(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  if (node.input_size() != 2) {
    throw unsupported("inputs", "two operands", std::to_string(node.input_size()));
  }
  const bool a_tensor = is_tensor(node, 0), b_tensor = is_tensor(node, 1);
  const Dims out = broadcast(input_value(node, 0).dims, input_value(node, 1).dims, "inputs");
  if (a_tensor && b_tensor) {
    const Value& a = input_value(node, 0);
    const Value& b = input_value(node, 1);
    Layer l;
    if (op == "Add" && a.dims == b.dims) {
      l.op = LayerOp::kAdd;  // the residual sum the integer reference runs
      l.has_bias = false;
    } else {
      l.op = LayerOp::kElementwise;
      l.host.function = binary_function(op);
    }
    add_layer(std::move(l), {}, node, index, {&a, &b}, out);
    return;
  }
  const int slot = a_tensor ? 1 : 0;
  const Value& x = input_value(node, a_tensor ? 0 : 1);
  const Dims cd = input_value(node, slot).dims;
  // MatMul + Add (or Conv + Add) of one value per output channel: the layer's bias.
  if (op == "Add" && x.direct && x.producer >= 0 && consumers(node.input(1 - slot)) == 1 &&
      out == x.dims) {
    Layer& src = net_.layers[x.producer];
    const int axis = channel_axis_.count(x.producer) ? channel_axis_[x.producer] : -1;
    bool per_channel = axis >= 0 && src.quantizable() && src.op != LayerOp::kMatMul &&
                       src.activation == Activation::kNone && params_[x.producer].bn.empty();
    // The constant's dims right-aligned against the output's: 1 except at the channel axis.
    const int offset = int(out.size()) - int(cd.size());
    for (int d = 0; per_channel && d < int(cd.size()); ++d) {
      per_channel = cd[d] == 1 || (d + offset == axis && cd[d] == out[axis]);
    }
    if (per_channel) {
      FloatLayerParams& p = params_[x.producer];
      if (options_.values) {
        const TensorValue& c = constant_input(node, slot, "bias");
        std::vector<float> bias(size_t(src.out_channels), 0.0f);
        for (int o = 0; o < src.out_channels; ++o)
          bias[o] = to_float(c.real(c.size() == 1 ? 0 : o));
        if (p.bias.empty()) p.bias.assign(size_t(src.out_channels), 0.0f);
        for (int o = 0; o < src.out_channels; ++o) p.bias[o] += bias[o];
      } else if (p.bias.empty()) {
        p.bias.assign(size_t(src.out_channels), 0.0f);
      }
      src.has_bias = true;
      set_view(node, x, x.dims);
      values_[node.output(0)].direct = true;
      return;
    }
  }
  Layer l;
  l.op = LayerOp::kElementwise;
  l.host.function = binary_function(op);
  l.host.constant_slot = slot;
  l.host.constant_dims = cd;
  l.host.constant_elements = element_count(cd);
  FloatLayerParams p;
  if (options_.values) {
    const TensorValue& c = constant_input(node, slot, "constant");
    p.weight = to_floats(c.as_reals());
  }
  add_layer(std::move(l), std::move(p), node, index, {&x}, out);
}

void Importer::pool(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  const Value& x = tensor_input(node, 0, "X");
  if (x.dims.size() != 4 || x.dims[0] != batch_) {
    throw unsupported("input 0 (X)", fmt::format("a 2-d pooling's {} x C x H x W input", batch_),
                      dims_text(x.dims));
  }
  for (int k = 1; k < node.output_size(); ++k) {
    if (!node.output(k).empty() && consumers(node.output(k)) > 0) {
      throw unsupported(fmt::format("output {} (Indices)", k), "no consumer", "one");
    }
  }
  if (x.dims[1] > kMaxChannels || x.dims[2] > kMaxSpatial || x.dims[3] > kMaxSpatial) {
    throw unsupported(
        "input 0 (X)",
        fmt::format("at most {} channels and {} rows and columns", kMaxChannels, kMaxSpatial),
        dims_text(x.dims));
  }
  Layer l;
  l.op = op.find("Max") != std::string::npos ? LayerOp::kMaxPool : LayerOp::kAvgPool;
  l.has_bias = false;
  l.in_channels = l.out_channels = int(x.dims[1]);
  l.in_height = int(x.dims[2]);
  l.in_width = int(x.dims[3]);
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    l.kernel_h = l.in_height;
    l.kernel_w = l.in_width;
    l.out_height = l.out_width = 1;
  } else {
    read_window(node, ints_attribute(node, "kernel_shape"), l);
    l.host.ceil_mode = int_attribute(node, "ceil_mode", 0) != 0;
    l.host.count_include_pad = int_attribute(node, "count_include_pad", 0) != 0;
    if (l.pad_top >= l.kernel_h || l.pad_bottom >= l.kernel_h || l.pad_left >= l.kernel_w ||
        l.pad_right >= l.kernel_w) {
      throw NodeError("attribute 'pads'", "pads smaller than the kernel",
                      fmt::format("[{},{},{},{}] for a {}x{} kernel", l.pad_top, l.pad_left,
                                  l.pad_bottom, l.pad_right, l.kernel_h, l.kernel_w));
    }
    l.out_height = l.geometry_out_height(l.host.ceil_mode);
    l.out_width = l.geometry_out_width(l.host.ceil_mode);
    if (l.out_height < 1 || l.out_width < 1) {
      throw NodeError(
          "input 0 (X)", "an input at least as large as the window",
          fmt::format("{}x{} for a {}x{} window", l.in_height, l.in_width, l.kernel_h, l.kernel_w));
    }
  }
  const Dims out = {batch_, l.out_channels, l.out_height, l.out_width};
  add_layer(std::move(l), {}, node, index, {&x}, out);
}

void Importer::reduce(const onnx::NodeProto& node, int index) {
  const Value& x = tensor_input(node, 0, "data");
  const std::string& op = node.op_type();
  std::vector<int64_t> axes;
  if (has_attribute(node, "axes")) {
    axes = ints_attribute(node, "axes");
  } else if (has_input(node, 1)) {
    axes = constant_input(node, 1, "axes").as_integers();
  }
  const bool keepdims = int_attribute(node, "keepdims", 1) != 0;
  if (axes.empty() && int_attribute(node, "noop_with_empty_axes", 0) != 0) {
    set_view(node, x, x.dims);
    return;
  }
  const Dims out = onnx_import::reduce(x.dims, axes, keepdims);
  Layer l;
  l.op = LayerOp::kReduceMean;
  l.host.source_op = op;
  for (int64_t a : axes) l.host.perm.push_back(normalize_axis(a, int(x.dims.size()), "axes"));
  add_layer(std::move(l), {}, node, index, {&x}, out);
}

void Importer::softmax_or_norm(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  const Value& x = tensor_input(node, 0, "X");
  Layer l;
  FloatLayerParams p;
  const int rank = int(x.dims.size());
  if (op == "Softmax" || op == "LogSoftmax") {
    l.op = LayerOp::kSoftmax;
    l.host.axis = normalize_axis(int_attribute(node, "axis", opset_ >= 13 ? -1 : 1), rank,
                                 "attribute 'axis'");
  } else {  // LayerNormalization
    l.op = LayerOp::kNormalization;
    l.host.axis = normalize_axis(int_attribute(node, "axis", -1), rank, "attribute 'axis'");
    l.host.alpha = float_attribute(node, "epsilon", 1e-5f);
    for (int k = 2; k < node.output_size(); ++k) {
      if (!node.output(k).empty() && consumers(node.output(k)) > 0) {
        throw unsupported(fmt::format("output {}", k), "unused statistics", "a consumer");
      }
    }
    if (node.output_size() > 1 && !node.output(1).empty() && consumers(node.output(1)) > 0) {
      throw unsupported("output 1 (Mean)", "unused statistics", "a consumer");
    }
    for (int k = 1; k <= 2; ++k) {
      if (has_input(node, k))
        l.host.constant_elements += element_count(constant_dims(node, k, k == 1 ? "Scale" : "B"));
    }
    if (options_.values) {
      p.weight = weight_values(node, 1, "Scale");
      if (has_input(node, 2)) p.bias = weight_values(node, 2, "B");
    }
  }
  add_layer(std::move(l), std::move(p), node, index, {&x}, x.dims);
}

void Importer::concat(const onnx::NodeProto& node, int index) {
  std::vector<const Value*> tensors;
  std::vector<Dims> dims;
  Layer l;
  l.op = LayerOp::kConcat;
  FloatLayerParams p;
  // Operand order: host.perm[k] = the tensor input's position, or -1 - (constant number); the
  // constants' values back to back in the params' weight, their sizes along the axis in steps.
  const int64_t axis = int_attribute(node, "axis", 0);
  for (int k = 0; k < node.input_size(); ++k) {
    if (node.input(k).empty()) continue;
    const Value& v = input_value(node, k);
    dims.push_back(v.dims);
    if (v.kind == Value::kTensor) {
      l.host.perm.push_back(int64_t(tensors.size()));
      tensors.push_back(&v);
    } else {
      l.host.perm.push_back(-1 - int64_t(l.host.steps.size()));
      l.host.steps.push_back(
          v.dims.at(size_t(normalize_axis(axis, int(v.dims.size()), "attribute 'axis'"))));
      l.host.constant_elements += element_count(v.dims);
      if (options_.values) {
        const std::vector<float> c = to_floats(constant_input(node, k, "constant").as_reals());
        p.weight.insert(p.weight.end(), c.begin(), c.end());
      }
    }
  }
  if (dims.empty()) throw NodeError("inputs", "at least one", "none");
  const Dims out = onnx_import::concat(dims, axis);
  l.host.axis = normalize_axis(axis, int(out.size()), "attribute 'axis'");
  if (l.host.constant_elements > 0) l.host.constant_slot = 0;
  if (tensors.size() == 1 && l.host.constant_elements == 0) {
    set_view(node, *tensors[0], out);
    return;
  }
  add_layer(std::move(l), std::move(p), node, index, tensors, out);
}

void Importer::view(const onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  const Value& x = tensor_input(node, 0, "data");
  Dims out = x.dims;
  if (op == "Reshape") {
    out = reshape(x.dims, constant_input(node, 1, "shape").as_integers(),
                  int_attribute(node, "allowzero", 0) != 0);
  } else if (op == "Flatten") {
    out = flatten(x.dims, int_attribute(node, "axis", 1));
  } else if (op == "Squeeze" || op == "Unsqueeze") {
    std::vector<int64_t> axes = ints_attribute(node, "axes");
    if (!has_attribute(node, "axes") && has_input(node, 1))
      axes = constant_input(node, 1, "axes").as_integers();
    out = op == "Squeeze" ? squeeze(x.dims, axes) : unsqueeze(x.dims, axes);
  } else if (op == "Cast" || op == "CastLike") {
    const int to = op == "Cast" ? int(int_attribute(node, "to", 1)) : int(onnx::TensorProto::FLOAT);
    if (!is_real_type(to))
      throw unsupported("attribute 'to'", "a floating-point type for a computed tensor",
                        type_name(to));
  } else if (op == "Dropout") {
    // In training mode a Dropout with ratio 0 still passes everything through.
    if (has_input(node, 2)) {
      const TensorValue& t = constant_input(node, 2, "training_mode");
      const double ratio = has_input(node, 1) ? constant_input(node, 1, "ratio").real(0) : 0.5;
      if (t.size() == 1 && t.integer(0) != 0 && ratio != 0) {
        throw unsupported("input 2 (training_mode)", "false (inference) or a ratio of 0",
                          fmt::format("true with ratio {}", ratio));
      }
    }
    if (node.output_size() > 1 && !node.output(1).empty() && consumers(node.output(1)) > 0) {
      throw unsupported("output 1 (mask)", "no consumer", "one");
    }
  }
  set_view(node, x, out);
}

void Importer::data_movement(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  const Value& x = tensor_input(node, 0, "data");
  Layer l;
  l.op = LayerOp::kDataMovement;
  Dims out;
  if (op == "Transpose") {
    l.host.function = HostFunction::kTranspose;
    std::vector<int64_t> perm = ints_attribute(node, "perm");
    out = transpose(x.dims, perm);
    if (perm.empty()) {
      for (int k = int(x.dims.size()) - 1; k >= 0; --k) perm.push_back(k);
    }
    bool identity = true;
    for (size_t k = 0; k < perm.size(); ++k) identity &= perm[k] == int64_t(k);
    // Permuting dims of size 1 moves no data either.
    Dims squeezed_perm;
    for (size_t k = 0; k < perm.size(); ++k) {
      if (x.dims[size_t(perm[k])] != 1) squeezed_perm.push_back(perm[k]);
    }
    identity |= std::is_sorted(squeezed_perm.begin(), squeezed_perm.end());
    if (identity) return set_view(node, x, out);
    l.host.perm = perm;
  } else if (op == "Slice") {
    l.host.function = HostFunction::kSlice;
    const char* names[] = {"data", "starts", "ends", "axes", "steps"};
    const SliceArguments args =
        slice_arguments(node, int(opset_), [&](int k) -> const TensorValue* {
          return has_input(node, k) ? &constant_input(node, k, names[k]) : nullptr;
        });
    const SliceSpec s = slice(x.dims, args.starts, args.ends, args.axes, args.steps);
    out = s.out;
    if (out == x.dims &&
        std::all_of(s.step.begin(), s.step.end(), [](int64_t v) { return v == 1; })) {
      return set_view(node, x, out);
    }
    l.host.starts = s.start;
    l.host.steps = s.step;
  } else if (op == "Split") {
    const int a =
        normalize_axis(int_attribute(node, "axis", 0), int(x.dims.size()), "attribute 'axis'");
    std::vector<int64_t> sizes = ints_attribute(node, "split");
    if (sizes.empty() && has_input(node, 1)) sizes = constant_input(node, 1, "split").as_integers();
    const int outputs = node.output_size();
    if (sizes.empty()) {
      const int64_t each = (x.dims[a] + outputs - 1) / outputs;
      for (int k = 0; k < outputs; ++k)
        sizes.push_back(std::max<int64_t>(0, std::min(each, x.dims[a] - k * each)));
    }
    int64_t total = 0;
    for (int64_t s : sizes) total += s;
    if (int(sizes.size()) != outputs || total != x.dims[a]) {
      throw NodeError("split sizes", fmt::format("{} sizes adding up to {}", outputs, x.dims[a]),
                      dims_text(sizes));
    }
    const Value source = x;  // add_layer changes values_, which `x` refers into
    int64_t begin = 0;
    for (int k = 0; k < outputs; ++k) {
      const SliceSpec s = slice(source.dims, {begin}, {begin + sizes[k]}, {a}, {1});
      begin += sizes[k];
      if (node.output(k).empty()) continue;
      Layer part;
      part.op = LayerOp::kDataMovement;
      part.host.function = HostFunction::kSlice;
      part.host.source_op = "Split";
      part.host.starts = s.start;
      part.host.steps = s.step;
      onnx::NodeProto one = node;
      one.clear_output();
      one.add_output(node.output(k));
      if (!node.name().empty()) one.set_name(fmt::format("{}:{}", node.name(), k));
      add_layer(std::move(part), {}, one, index, {&source}, s.out);
    }
    return;
  } else if (op == "Gather") {
    l.host.function = HostFunction::kGather;
    const TensorValue& idx = constant_input(node, 1, "indices");
    const int a =
        normalize_axis(int_attribute(node, "axis", 0), int(x.dims.size()), "attribute 'axis'");
    for (int64_t i : idx.as_integers()) {
      if (i < -x.dims[a] || i >= x.dims[a]) {
        throw NodeError("input 1 (indices)",
                        fmt::format("indices in [{}, {})", -x.dims[a], x.dims[a]),
                        std::to_string(i));
      }
    }
    out = gather(x.dims, idx.dims, a);
    l.host.axis = a;
    l.host.starts = idx.as_integers();
  } else if (op == "Pad") {
    l.host.function = HostFunction::kPad;
    const std::string mode = string_attribute(node, "mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap") {
      throw NodeError("attribute 'mode'", "constant, reflect, edge or wrap", "'" + mode + "'");
    }
    std::vector<int64_t> pads =
        opset_ < 11 ? ints_attribute(node, "pads") : constant_input(node, 1, "pads").as_integers();
    const int rank = int(x.dims.size());
    std::vector<int64_t> axes;
    if (opset_ >= 18 && has_input(node, 3)) axes = constant_input(node, 3, "axes").as_integers();
    if (axes.empty()) {
      for (int k = 0; k < rank; ++k) axes.push_back(k);
    }
    if (pads.size() != 2 * axes.size()) {
      throw NodeError("pads", fmt::format("{} values (begin and end per axis)", 2 * axes.size()),
                      dims_text(pads));
    }
    if (opset_ >= 11 && has_input(node, 2)) {
      l.host.alpha = to_float(constant_input(node, 2, "constant_value").real(0));
    } else {
      l.host.alpha = float_attribute(node, "value", 0.0f);
    }
    out = x.dims;
    l.host.starts.assign(size_t(rank), 0);
    const size_t n = axes.size();
    for (size_t k = 0; k < n; ++k) {
      const int a = normalize_axis(axes[k], rank, "axes");
      out[a] += pads[k] + pads[k + n];
      l.host.starts[a] = pads[k];
      if (out[a] < 0)
        throw NodeError("pads", "pads that leave a non-negative dim", dims_text(pads));
    }
    l.host.steps = pads;
    if (mode != "constant") l.host.source_op = "Pad:" + mode;
    if (out == x.dims && std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p == 0; })) {
      return set_view(node, x, out);
    }
  } else if (op == "Expand" || op == "Tile") {
    l.host.function = HostFunction::kExpand;
    const std::vector<int64_t> arg =
        constant_input(node, 1, op == "Expand" ? "shape" : "repeats").as_integers();
    if (op == "Expand") {
      out = expand(x.dims, arg);
    } else {
      if (arg.size() != x.dims.size())
        throw NodeError("input 1 (repeats)", "one repeat per dim", dims_text(arg));
      for (size_t d = 0; d < x.dims.size(); ++d) out.push_back(x.dims[d] * arg[d]);
    }
    if (out == x.dims) return set_view(node, x, out);
  }
  add_layer(std::move(l), {}, node, index, {&x}, out);
}

void Importer::lower(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  if (op == "Conv") return conv(node, index);
  if (op == "Gemm") return gemm(node, index);
  if (op == "MatMul") return matmul(node, index);
  if (op == "Einsum") return einsum(node, index);
  if (op == "BatchNormalization") return batch_norm(node, index);
  if (unary_host_ops().count(op)) return unary(node, index);
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" || op == "Max" ||
      op == "Min") {
    return binary(node, index);
  }
  if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" ||
      op == "GlobalMaxPool") {
    return pool(node, index);
  }
  if (op == "ReduceMean" || op == "ReduceSum" || op == "ReduceMax" || op == "ReduceMin" ||
      op == "ReduceL2") {
    return reduce(node, index);
  }
  if (op == "Softmax" || op == "LogSoftmax" || op == "LayerNormalization")
    return softmax_or_norm(node, index);
  if (op == "Concat") return concat(node, index);
  if (op == "Transpose" || op == "Slice" || op == "Split" || op == "Gather" || op == "Pad" ||
      op == "Expand" || op == "Tile") {
    return data_movement(node, index);
  }
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze" ||
      op == "Identity" || op == "Dropout" || op == "Cast" || op == "CastLike") {
    return view(node);
  }
  if (op == "Shape" || op == "Size") {  // of a computed tensor: its dims are known
    const Value& x = tensor_input(node, 0, "data");
    TensorValue dims_only;
    dims_only.dims = x.dims;
    std::vector<const TensorValue*> in = {&dims_only};
    set_constant(node.output(0), fold(node, in, int(opset_)).at(0));
    return;
  }
  throw unsupported("op_type", "an operator haqsim imports (see `models/onnx/onnx_import.h`)",
                    "'" + op + "'");
}

// --- graph -----------------------------------------------------------------------------------

void Importer::bind_inputs() {
  const onnx::GraphProto& g = model_.graph();
  std::set<std::string> initializers;
  for (const auto& t : g.initializer()) {
    if (t.name().empty()) fail_graph("graph.initializer", "named tensors", "an unnamed one");
    validate_tensor(t, source_, model_dir_);
    Value v;
    v.kind = Value::kConstant;
    v.proto = &t;
    v.dims = tensor_dims(t, source_);
    values_[t.name()] = std::move(v);
    initializers.insert(t.name());
  }
  for (const auto& [name, t] : options_.bound_inputs) {
    set_constant(name, read_tensor(t, source_, model_dir_));
  }
  std::string data_input;
  for (const auto& in : g.input()) {
    if (initializers.count(in.name()) || options_.bound_inputs.count(in.name())) continue;
    const InputLocation where{source_, 0, "graph.input '" + in.name() + "'", -1};
    if (!in.type().has_tensor_type()) throw InputError(where, "a tensor input", "another type");
    const auto& shape = in.type().tensor_type().shape();
    if (!data_input.empty()) {
      // Further inputs hold weights: their declared (static) shape stands in for the values.
      Value v;
      v.kind = Value::kConstant;
      v.valueless = true;
      for (const auto& d : shape.dim()) {
        if (!d.has_dim_value() || d.dim_value() < 0) {
          throw InputError(where, "a weight input with a static shape (or bind its values)",
                           d.has_dim_param() ? "dim '" + d.dim_param() + "'" : "an unknown dim");
        }
        v.dims.push_back(d.dim_value());
      }
      int64_t n = 1;
      for (int64_t d : v.dims) {
        if (d > 0 && n > (int64_t(1) << 31) / d) {
          throw InputError(where, "a weight of fewer than 2^31 values", dims_text(v.dims));
        }
        n *= d;
      }
      values_[in.name()] = std::move(v);
      continue;
    }
    data_input = in.name();
    const int type = in.type().tensor_type().elem_type();
    if (type != 0 && !is_real_type(type)) {
      throw InputError(where, "a floating-point data input", type_name(type));
    }
    const OnnxInstance& inst = options_.instance;
    std::vector<int64_t> dims;
    const int rank = shape.dim_size();
    if (rank != 4 && rank != 2) {
      throw InputError(where, "N x C x H x W (images) or N x C", fmt::format("rank {}", rank));
    }
    auto dim = [&](int k, const char* what, int given, const char* option,
                   int fallback) -> int64_t {
      const auto& d = shape.dim(k);
      if (d.has_dim_value()) {
        const int64_t v = d.dim_value();
        if (v < 1 || v > (k < 2 ? kMaxChannels : kMaxSpatial)) {
          throw InputError(where,
                           fmt::format("{} in [1, {}]", what, k < 2 ? kMaxChannels : kMaxSpatial),
                           std::to_string(v));
        }
        if (given > 0 && given != v) {
          throw InputError(InputLocation{"", 0, option, -1},
                           fmt::format("{} (the model's {} is fixed: {}, dim {} of '{}')", v, what,
                                       v, k, in.name()),
                           std::to_string(given));
        }
        return v;
      }
      if (given > 0) return given;
      if (fallback > 0) return fallback;
      throw InputError(
          where, fmt::format("a fixed {} or {} to set it", what, option),
          d.has_dim_param() ? "symbolic dim '" + d.dim_param() + "'" : "an unknown dim");
    };
    dims.push_back(dim(0, "batch", inst.batch, "--batch", inst.default_batch));
    dims.push_back(dim(1, "channels", 0, "--channels", 0));
    if (rank == 4) {
      dims.push_back(dim(2, "height", inst.resolution, "--resolution", inst.fallback_resolution));
      dims.push_back(dim(3, "width", inst.resolution, "--resolution", inst.fallback_resolution));
    } else if (inst.resolution > 0) {
      throw InputError(
          InputLocation{"", 0, "--resolution", -1},
          fmt::format("no --resolution (the input '{}' is N x C, not an image)", in.name()),
          std::to_string(inst.resolution));
    }
    batch_ = int(dims[0]);
    net_.spec.batch = batch_;
    net_.spec.in_channels = int(dims[1]);
    if (rank == 4) {
      net_.spec.in_height = int(dims[2]);
      net_.spec.in_width = int(dims[3]);
      net_.spec.resolution = int(std::max(dims[2], dims[3]));
      if (dims[2] == dims[3]) net_.spec.in_height = net_.spec.in_width = 0;
    } else {
      net_.spec.resolution = 1;
    }
    Value v;
    v.kind = Value::kTensor;
    v.dims = dims;
    v.producer = -1;
    values_[in.name()] = std::move(v);
  }
  if (data_input.empty()) fail_graph("graph.input", "a data input (not an initializer)", "none");
}

std::vector<int> Importer::topological_order() {
  const onnx::GraphProto& g = model_.graph();
  const int n = g.node_size();
  std::map<std::string, int> producer;
  for (int i = 0; i < n; ++i) {
    for (const auto& out : g.node(i).output()) {
      if (out.empty()) continue;
      if (values_.count(out)) {
        throw InputError(InputLocation{source_, 0, "node " + label(g.node(i), i), -1},
                         "outputs no other node, initializer or input writes",
                         "'" + out + "' again");
      }
      if (!producer.emplace(out, i).second) {
        throw InputError(InputLocation{source_, 0, "node " + label(g.node(i), i), -1},
                         "outputs no other node writes",
                         fmt::format("'{}', written by node {} too", out,
                                     label(g.node(producer[out]), producer[out])));
      }
    }
  }
  std::vector<int> missing(n, 0);
  std::map<std::string, std::vector<int>> readers;
  for (int i = 0; i < n; ++i) {
    std::set<std::string> waits;
    for (const auto& in : g.node(i).input()) {
      if (in.empty()) continue;
      ++consumers_[in];
      if (values_.count(in)) continue;
      if (!producer.count(in)) {
        throw InputError(InputLocation{source_, 0, "node " + label(g.node(i), i), -1},
                         "inputs produced by a node, an initializer or a graph input",
                         "'" + in + "', which nothing produces");
      }
      if (waits.insert(in).second) readers[in].push_back(i);
    }
    missing[i] = int(waits.size());
  }
  for (const auto& out : g.output()) ++consumers_[out.name()];
  std::vector<int> order, ready;
  for (int i = n - 1; i >= 0; --i) {
    if (missing[i] == 0) ready.push_back(i);
  }
  // Kahn's algorithm, preferring the file's order (exporters write nodes sorted already).
  std::set<int> queue(ready.begin(), ready.end());
  while (!queue.empty()) {
    const int i = *queue.begin();
    queue.erase(queue.begin());
    order.push_back(i);
    for (const auto& out : g.node(i).output()) {
      auto it = readers.find(out);
      if (it == readers.end()) continue;
      for (int r : it->second) {
        if (--missing[r] == 0) queue.insert(r);
      }
    }
  }
  if (int(order.size()) != n) {
    for (int i = 0; i < n; ++i) {
      if (missing[i] > 0) {
        std::string through;
        for (const auto& in : g.node(i).input()) {
          if (!in.empty() && !values_.count(in)) through = in;
        }
        throw InputError(InputLocation{source_, 0, "node " + label(g.node(i), i), -1},
                         "an acyclic graph", fmt::format("a cycle through tensor '{}'", through));
      }
    }
  }
  return order;
}

void Importer::finish() {
  const onnx::GraphProto& g = model_.graph();
  if (g.output_size() != 1) {
    fail_graph("graph.output", "one output (a classifier's logits)",
               std::to_string(g.output_size()));
  }
  const std::string& out_name = g.output(0).name();
  auto it = values_.find(out_name);
  if (it == values_.end() || it->second.kind != Value::kTensor || it->second.producer < 0) {
    fail_graph("graph.output '" + out_name + "'", "a tensor computed by the graph's layers",
               it == values_.end()                   ? "nothing"
               : it->second.kind == Value::kConstant ? "a constant"
                                                     : "the input itself");
  }
  const Value& out = it->second;
  // Only what the output depends on runs.
  const int last = out.producer;
  std::vector<bool> live(net_.layers.size(), false);
  live[size_t(last)] = true;
  for (int i = last; i >= 0; --i) {
    if (!live[size_t(i)]) continue;
    for (int src : net_.layers[size_t(i)].inputs) {
      if (src >= 0) live[size_t(src)] = true;
    }
  }
  std::vector<int> remap(net_.layers.size(), -1);
  Network pruned = net_;
  pruned.layers.clear();
  std::vector<FloatLayerParams> params;
  for (int i = 0; i <= last; ++i) {
    if (!live[size_t(i)]) continue;
    remap[size_t(i)] = int(pruned.layers.size());
    Layer l = net_.layers[size_t(i)];
    for (int& src : l.inputs) src = src < 0 ? src : remap[size_t(src)];
    pruned.layers.push_back(std::move(l));
    params.push_back(std::move(params_[size_t(i)]));
  }
  net_ = std::move(pruned);
  params_ = std::move(params);
  // Unique names (an unnamed node is named after its op and index already).
  std::set<std::string> names;
  for (size_t i = 0; i < net_.layers.size(); ++i) {
    std::string& name = net_.layers[i].name;
    if (names.count(name)) name += fmt::format("_{}", i);
    names.insert(name);
  }
  const int64_t classes = element_count(out.dims) / batch_;
  if (classes > kMaxChannels) {
    fail_graph("graph.output '" + out_name + "'", "at most 2^20 values per image",
               dims_text(out.dims));
  }
  net_.spec.classes = int(classes);
  if (options_.instance.classes > 0 && options_.instance.classes != classes) {
    throw InputError(InputLocation{"", 0, "--classes", -1},
                     fmt::format("{} (the classes the model's output '{}' {} has)", classes,
                                 out_name, dims_text(out.dims)),
                     std::to_string(options_.instance.classes));
  }
  if (net_.quantizable_count() == 0) {
    fail_graph("graph.node", "at least one layer the arrays run (Conv, Gemm or MatMul)",
               fmt::format("{} host layers only", net_.layers.size()));
  }
  number_layers(net_);
}

FloatModel Importer::run(OnnxModelInfo* info) {
  model_dir_ = options_.model_dir;
  if (model_dir_.empty()) {
    model_dir_ = std::filesystem::path(source_).parent_path().string();
    if (model_dir_.empty()) model_dir_ = ".";
  }
  for (const auto& o : model_.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset_ = o.version();
  }
  if (opset_ == 0) {
    fail_graph("opset_import", "a version of the default ONNX domain",
               model_.opset_import_size() ? "other domains only" : "none");
  }
  if (opset_ < kMinOnnxOpset || opset_ > kMaxOnnxOpset) {
    fail_graph("opset_import", fmt::format("an opset in [{}, {}]", kMinOnnxOpset, kMaxOnnxOpset),
               std::to_string(opset_));
  }
  if (info) {
    info->file = source_;
    info->opset = opset_;
    info->ir_version = model_.ir_version();
    info->producer = model_.producer_name();
    if (!model_.producer_version().empty()) info->producer += " " + model_.producer_version();
  }
  const onnx::GraphProto& g = model_.graph();
  net_.name = g.name().empty() ? "onnx" : g.name();
  bind_inputs();
  for (const int i : topological_order()) {
    const onnx::NodeProto& node = g.node(i);
    const std::string& op = node.op_type();
    bool unknown_input = false, all_constant = true;
    for (const auto& in : node.input()) {
      if (in.empty()) continue;
      const Value& v = values_.at(in);
      unknown_input |= v.kind == Value::kUnknown;
      all_constant &= v.kind == Value::kConstant && !v.valueless;
    }
    auto poison = [&] {
      for (const auto& out : node.output()) {
        if (!out.empty()) values_[out] = Value{};
      }
    };
    if (unknown_input) {
      // Downstream of a node already reported: its shapes are unknown, but an operator haqsim
      // does not import is still worth listing.
      if (!foldable(op) && !lowerable(op)) {
        problems_.push_back({label(node, i), op, "op_type",
                             "an operator haqsim imports (see models/onnx/onnx_import.h)",
                             "'" + op + "'", true});
      }
      poison();
      continue;
    }
    try {
      if (node.output_size() < 1 || node.output(0).empty())
        throw NodeError("outputs", "at least one", "none");
      if (!node.domain().empty() && node.domain() != "ai.onnx") {
        throw unsupported("domain", "the default ONNX domain", "'" + node.domain() + "'");
      }
      if (all_constant && foldable(op)) {
        std::vector<const TensorValue*> in;
        int64_t elements = 0;
        for (int k = 0; k < node.input_size(); ++k) {
          if (node.input(k).empty()) {
            in.push_back(nullptr);
            continue;
          }
          Value& v = values_.at(node.input(k));
          elements += element_count(v.dims);
          in.push_back(&constant_values(v, fmt::format("input {}", k)));
        }
        std::vector<TensorValue> outs = fold(node, in, int(opset_));
        for (size_t k = 0; k < outs.size() && int(k) < node.output_size(); ++k) {
          if (!node.output(int(k)).empty()) set_constant(node.output(int(k)), std::move(outs[k]));
        }
        for (int k = int(outs.size()); k < node.output_size(); ++k) {
          if (!node.output(k).empty()) values_[node.output(k)] = Value{};
        }
        continue;
      }
      lower(node, i);
      for (const auto& out : node.output()) {
        if (!out.empty() && !values_.count(out)) values_[out] = Value{};
      }
    } catch (const NodeError& e) {
      problems_.push_back({label(node, i), op, e.part, e.expected, e.found, e.unsupported});
      poison();
    } catch (const InputError& e) {
      problems_.push_back({label(node, i), op, "tensor",
                           e.expected().empty() ? e.what() : e.expected(), e.found(), false});
      poison();
    }
  }
  if (!problems_.empty()) {
    std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
      return a.unsupported > b.unsupported;
    });
    std::string list;
    for (const Problem& p : problems_) {
      list += fmt::format("\n  node {} ({}, opset {}): {}: expected {}, found {}", p.node, p.op,
                          opset_, p.part, p.expected, p.found);
    }
    throw InputError(InputLocation{source_, 0, "node " + problems_.front().node, -1},
                     fmt::format("{} node{} haqsim cannot import:{}", problems_.size(),
                                 problems_.size() == 1 ? "" : "s", list));
  }
  finish();
  FloatModel model;
  model.network = net_;
  if (options_.values) model.params = params_;
  model.normalization.mean.assign(net_.spec.in_channels, 0.0f);
  model.normalization.std.assign(net_.spec.in_channels, 1.0f);
  return model;
}

// Where a ModelProto that protobuf refused to parse goes wrong: walks its top-level fields with
// protobuf's wire-format reader and names the first one that is cut short or malformed, so the
// message can give a byte offset (protobuf itself only says "failed"). The graph (field 7) is
// checked one level deeper, since nearly every byte of a model lives inside it.
InputError describe_parse_failure(const std::string& bytes, const std::string& source) {
  namespace pb = google::protobuf;
  using pb::internal::WireFormatLite;
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()), int(bytes.size()));
  for (;;) {
    const int at = in.CurrentPosition();
    if (at == int(bytes.size())) break;
    const uint32_t tag = in.ReadTag();
    const int field = int(WireFormatLite::GetTagFieldNumber(tag));
    const std::string name = field == 7 ? "field 7 (graph)" : fmt::format("field {}", field);
    auto fail = [&](const std::string& found) {
      return InputError(InputLocation{source, 0, "", at}, "a serialized onnx.ModelProto", found);
    };
    if (tag == 0) return fail("bytes that are not a protobuf field tag");
    if (WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      std::string payload;
      if (!in.ReadVarint32(&length) || !in.ReadString(&payload, int(length))) {
        return fail(
            fmt::format("{} cut short by the end of the file ({} bytes)", name, bytes.size()));
      }
      if (field == 7 && !onnx::GraphProto().ParseFromString(payload)) {
        return fail(name + " holding a malformed onnx.GraphProto");
      }
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return fail(fmt::format("{} cut short or malformed", name));
    }
  }
  return InputError(InputLocation{source, 0, "", -1}, "a serialized onnx.ModelProto",
                    "fields protobuf cannot decode");
}

onnx::ModelProto parse_model(const std::string& bytes, const std::string& source) {
  onnx::ModelProto model;
  if (bytes.size() > size_t(std::numeric_limits<int>::max())) {
    throw InputError(InputLocation{source, 0, "", -1},
                     "an ONNX model below 2 GiB (larger ones keep their weights in external data)",
                     fmt::format("{} bytes", bytes.size()));
  }
  if (!model.ParseFromString(bytes)) throw describe_parse_failure(bytes, source);
  return model;
}

}  // namespace

std::vector<float> tensor_values(const onnx::TensorProto& t, const std::string& source,
                                 std::vector<int64_t>* dims) {
  if (!is_real_type(t.data_type())) {
    throw InputError(InputLocation{source, 0, "tensor '" + t.name() + "'", -1},
                     "floating-point data", fmt::format("data type {}", t.data_type()));
  }
  const TensorValue v = read_tensor(t, source, ".");
  if (dims) *dims = v.dims;
  return to_floats(v.reals);
}

onnx::TensorProto read_tensor_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file");
  onnx::TensorProto t;
  if (!t.ParseFromIstream(&in)) {
    throw InputError(InputLocation{path, 0, "", -1}, "a serialized onnx.TensorProto",
                     "unparseable bytes");
  }
  return t;
}

FloatModel import_onnx(const onnx::ModelProto& model, const std::string& source,
                       const OnnxImportOptions& options, OnnxModelInfo* info) {
  return Importer(model, source, options).run(info);
}

FloatModel import_onnx(const onnx::ModelProto& model, const std::string& source,
                       const std::map<std::string, onnx::TensorProto>& bound_inputs) {
  OnnxImportOptions options;
  options.bound_inputs = bound_inputs;
  return import_onnx(model, source, options);
}

FloatModel import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const OnnxImportOptions& options, OnnxModelInfo* info) {
  return import_onnx(parse_model(bytes, source), source, options, info);
}

FloatModel import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const std::map<std::string, onnx::TensorProto>& bound_inputs) {
  OnnxImportOptions options;
  options.bound_inputs = bound_inputs;
  return import_onnx_bytes(bytes, source, options);
}

FloatModel import_onnx_file(const std::string& path, const OnnxImportOptions& options,
                            OnnxModelInfo* info) {
  onnx::ModelProto model = parse_model(read_whole_file(path), path);
  return import_onnx(model, path, options, info);
}

FloatModel import_onnx_file(const std::string& path,
                            const std::map<std::string, onnx::TensorProto>& bound_inputs) {
  OnnxImportOptions options;
  options.bound_inputs = bound_inputs;
  return import_onnx_file(path, options);
}

Network import_onnx_network(const std::string& path, const OnnxInstance& instance,
                            OnnxModelInfo* info) {
  OnnxImportOptions options;
  options.instance = instance;
  options.values = false;
  return import_onnx_file(path, options, info).network;
}

}  // namespace haqsim
