#include "models/onnx/onnx_import.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include "base/atomic_file.h"
#include "base/input_error.h"

namespace haqsim {

namespace {

// Bounds on what an imported layer may be: far beyond any real CNN, small enough that no shape
// arithmetic downstream (MACs, im2col sizes, tiles) can overflow.
constexpr int64_t kMaxChannels = 1 << 20;
constexpr int64_t kMaxSpatial = 1 << 16;  // input resolution, kernel, stride and padding

const char* kSupported =
    "one of Conv, BatchNormalization, Relu, Clip, Add, GlobalAveragePool, MaxPool, Flatten, "
    "Reshape, Identity, Dropout, Gemm";

// Import state: which layer produces each ONNX tensor, and the network being built.
class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string source,
           const std::map<std::string, onnx::TensorProto>& bound)
      : model_(model), source_(std::move(source)) {
    for (const auto& t : model.graph().initializer()) constants_[t.name()] = &t;
    for (const auto& [name, t] : bound) constants_[name] = &t;
  }

  FloatModel run();

 private:
  [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& expected,
                         const std::string& found) const {
    throw InputError(
        InputLocation{source_, 0, fmt::format("node '{}' ({})", node.name(), node.op_type()), -1},
        expected, found);
  }
  const onnx::AttributeProto* attribute(const onnx::NodeProto& node,
                                        const std::string& name) const {
    for (const auto& a : node.attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }
  std::vector<int64_t> ints(const onnx::NodeProto& node, const std::string& name,
                            std::vector<int64_t> fallback) const {
    const auto* a = attribute(node, name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
  }
  int64_t integer(const onnx::NodeProto& node, const std::string& name, int64_t fallback) const {
    const auto* a = attribute(node, name);
    return a ? a->i() : fallback;
  }
  float real(const onnx::NodeProto& node, const std::string& name, float fallback) const {
    const auto* a = attribute(node, name);
    return a ? a->f() : fallback;
  }
  // An integer attribute that must lie in [lo, hi] (shapes, strides, pads, groups).
  int bounded(const onnx::NodeProto& node, const std::string& what, int64_t value, int64_t lo,
              int64_t hi) const {
    if (value < lo || value > hi) {
      fail(node, fmt::format("{} in [{}, {}]", what, lo, hi), std::to_string(value));
    }
    return int(value);
  }
  std::vector<float> constant(const onnx::NodeProto& node, int input,
                              std::vector<int64_t>* dims = nullptr) const {
    if (input >= node.input_size() || node.input(input).empty()) {
      fail(node, fmt::format("input {}", input), "none");
    }
    auto it = constants_.find(node.input(input));
    if (it == constants_.end()) {
      fail(node, fmt::format("input '{}' as an initializer", node.input(input)),
           "a computed tensor");
    }
    return tensor_values(*it->second, source_, dims);
  }
  int producer(const onnx::NodeProto& node, int input) const {
    if (input >= node.input_size()) {
      fail(node, fmt::format("at least {} input(s)", input + 1), std::to_string(node.input_size()));
    }
    auto it = producers_.find(node.input(input));
    if (it == producers_.end()) {
      fail(node, fmt::format("input '{}' produced by an earlier node", node.input(input)),
           "an unknown tensor");
    }
    return it->second;
  }
  void shape_of(int index, int& c, int& h, int& w) const {
    if (index < 0) {
      c = net_.spec.in_channels;
      h = w = net_.spec.resolution;
      return;
    }
    const Layer& l = net_.layers[index];
    c = l.out_channels;
    h = l.out_height;
    w = l.out_width;
  }
  int push(Layer layer, FloatLayerParams params, const onnx::NodeProto& node) {
    // Checked here, not at the end: the next layer derives its shape from this one.
    if (layer.out_height < 1 || layer.out_width < 1) {
      fail(node, "a non-empty output map",
           fmt::format("{}x{} from a {}x{} input", layer.out_height, layer.out_width,
                       layer.in_height, layer.in_width));
    }
    if (layer.name.empty()) layer.name = fmt::format("{}_{}", node.op_type(), net_.layers.size());
    net_.layers.push_back(std::move(layer));
    params_.push_back(std::move(params));
    const int index = int(net_.layers.size()) - 1;
    producers_[node.output(0)] = index;
    return index;
  }
  // A layer that a BatchNormalization or activation may modify: produced by a conv/fc/add and
  // not yet given an activation.
  int modifiable(const onnx::NodeProto& node) const {
    const int src = producer(node, 0);
    if (src < 0 || net_.layers[src].activation != Activation::kNone) {
      fail(node, "to follow a Conv, Gemm or Add without activation", "another producer");
    }
    return src;
  }

  void conv(const onnx::NodeProto& node);
  void gemm(const onnx::NodeProto& node);
  void batch_norm(const onnx::NodeProto& node);
  void activation(const onnx::NodeProto& node, Activation act);
  void pool(const onnx::NodeProto& node, LayerOp op);
  void finish();

  const onnx::ModelProto& model_;
  std::string source_;
  std::map<std::string, const onnx::TensorProto*> constants_;
  std::map<std::string, int> producers_;
  Network net_;
  std::vector<FloatLayerParams> params_;
};

void Importer::conv(const onnx::NodeProto& node) {
  Layer l;
  l.name = node.name();
  l.op = LayerOp::kConv;
  l.inputs = {producer(node, 0)};
  shape_of(l.inputs[0], l.in_channels, l.in_height, l.in_width);
  std::vector<int64_t> wdims;
  FloatLayerParams p;
  p.weight = constant(node, 1, &wdims);
  if (wdims.size() != 4)
    fail(node, "a 4-d weight (O x I/g x KH x KW)", fmt::format("{}-d", wdims.size()));
  l.groups = bounded(node, "group", integer(node, "group", 1), 1, kMaxChannels);
  l.out_channels = bounded(node, "output channels (weight dim 0)", wdims[0], 1, kMaxChannels);
  l.kernel_h = bounded(node, "kernel height (weight dim 2)", wdims[2], 1, kMaxSpatial);
  l.kernel_w = bounded(node, "kernel width (weight dim 3)", wdims[3], 1, kMaxSpatial);
  if (l.out_channels % l.groups != 0) {
    fail(node, fmt::format("output channels divisible by group {}", l.groups),
         std::to_string(l.out_channels));
  }
  if (wdims[1] * l.groups != l.in_channels) {
    fail(node, fmt::format("weights for {} input channels in {} groups", l.in_channels, l.groups),
         fmt::format("{} x {}", wdims[1], l.groups));
  }
  const auto strides = ints(node, "strides", {1, 1});
  const auto dilations = ints(node, "dilations", {1, 1});
  if (strides.size() != 2 || strides[0] != strides[1]) fail(node, "equal strides", "unequal");
  if (dilations != std::vector<int64_t>{1, 1}) fail(node, "dilation 1", "dilated convolution");
  l.stride = bounded(node, "stride", strides[0], 1, kMaxSpatial);
  const auto* auto_pad = attribute(node, "auto_pad");
  const std::string pad_mode = auto_pad ? auto_pad->s() : "NOTSET";
  if (pad_mode == "SAME_UPPER" || pad_mode == "SAME_LOWER") {
    if (l.kernel_h % 2 == 0 || l.kernel_h != l.kernel_w)
      fail(node, "odd square kernels with SAME padding", "other");
    l.pad = (l.kernel_h - 1) / 2;
  } else if (pad_mode == "NOTSET" || pad_mode == "VALID") {
    const auto pads = ints(node, "pads", {0, 0, 0, 0});
    if (pads.size() != 4 || pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3]) {
      fail(node, "the same padding on all sides", fmt::format("pads [{}]", fmt::join(pads, ",")));
    }
    l.pad = bounded(node, "padding", pads[0], 0, kMaxSpatial);
  } else {
    fail(node, "auto_pad NOTSET, VALID or SAME_*", pad_mode);
  }
  if (l.kernel_h != l.kernel_w)
    fail(node, "a square kernel", fmt::format("{}x{}", l.kernel_h, l.kernel_w));
  l.out_height = (l.in_height + 2 * l.pad - l.kernel_h) / l.stride + 1;
  l.out_width = (l.in_width + 2 * l.pad - l.kernel_w) / l.stride + 1;
  if (node.input_size() > 2 && !node.input(2).empty()) p.bias = constant(node, 2);
  l.has_bias = !p.bias.empty();
  push(std::move(l), std::move(p), node);
}

void Importer::gemm(const onnx::NodeProto& node) {
  Layer l;
  l.name = node.name();
  l.op = LayerOp::kFullyConnected;
  l.inputs = {producer(node, 0)};
  int c, h, w;
  shape_of(l.inputs[0], c, h, w);
  l.in_channels =
      bounded(node, "flattened inputs (C x H x W)", int64_t(c) * h * w, 1, kMaxChannels);
  l.in_height = l.in_width = 1;
  l.out_height = l.out_width = 1;
  if (integer(node, "transA", 0) != 0) fail(node, "transA = 0", "transA = 1");
  std::vector<int64_t> dims;
  std::vector<float> b = constant(node, 1, &dims);
  if (dims.size() != 2) fail(node, "a 2-d B", fmt::format("{}-d", dims.size()));
  const bool trans_b = integer(node, "transB", 0) != 0;
  const int64_t k = trans_b ? dims[1] : dims[0];
  const int64_t n = bounded(node, "outputs of B", trans_b ? dims[0] : dims[1], 1, kMaxChannels);
  if (k != l.in_channels)
    fail(node, fmt::format("B with {} inputs", l.in_channels), std::to_string(k));
  l.out_channels = int(n);
  const float alpha = real(node, "alpha", 1.0f), beta = real(node, "beta", 1.0f);
  FloatLayerParams p;
  p.weight.resize(size_t(n * k));
  for (int64_t o = 0; o < n; ++o) {
    for (int64_t i = 0; i < k; ++i) {
      p.weight[o * k + i] = alpha * (trans_b ? b[o * k + i] : b[i * n + o]);
    }
  }
  p.bias.assign(n, 0.0f);
  if (node.input_size() > 2 && !node.input(2).empty()) {
    std::vector<int64_t> cdims;
    const std::vector<float> cvals = constant(node, 2, &cdims);
    // C broadcasts over the batch: a scalar or one value per output.
    if (cvals.size() == 1) {
      for (auto& v : p.bias) v = beta * cvals[0];
    } else if (int64_t(cvals.size()) == n) {
      for (int64_t o = 0; o < n; ++o) p.bias[o] = beta * cvals[o];
    } else {
      fail(node, fmt::format("C with 1 or {} values", n), std::to_string(cvals.size()));
    }
  }
  push(std::move(l), std::move(p), node);
}

void Importer::batch_norm(const onnx::NodeProto& node) {
  const int src = modifiable(node);
  if (net_.layers[src].op != LayerOp::kConv || !params_[src].bn.empty()) {
    fail(node, "to follow a Conv", net_.layers[src].name);
  }
  if (integer(node, "training_mode", 0) != 0) fail(node, "inference mode", "training_mode = 1");
  BatchNormParams& bn = params_[src].bn;
  bn.gamma = constant(node, 1);
  bn.beta = constant(node, 2);
  bn.mean = constant(node, 3);
  bn.var = constant(node, 4);
  bn.eps = real(node, "epsilon", 1e-5f);
  const size_t c = net_.layers[src].out_channels;
  if (bn.gamma.size() != c || bn.beta.size() != c || bn.mean.size() != c || bn.var.size() != c) {
    fail(node, fmt::format("{} values per parameter", c), "other sizes");
  }
  producers_[node.output(0)] = src;
}

void Importer::activation(const onnx::NodeProto& node, Activation act) {
  const int src = modifiable(node);
  if (act == Activation::kRelu6) {  // Clip: bounds from inputs (opset >= 11) or attributes
    float lo = real(node, "min", -3.4e38f), hi = real(node, "max", 3.4e38f);
    auto scalar = [&](int input) {
      const std::vector<float> v = constant(node, input);
      if (v.size() != 1) fail(node, "a scalar bound", fmt::format("{} values", v.size()));
      return v[0];
    };
    if (node.input_size() > 1 && !node.input(1).empty()) lo = scalar(1);
    if (node.input_size() > 2 && !node.input(2).empty()) hi = scalar(2);
    if (lo != 0.0f || hi != 6.0f)
      fail(node, "Clip to [0, 6] (ReLU6)", fmt::format("[{}, {}]", lo, hi));
  }
  net_.layers[src].activation = act;
  producers_[node.output(0)] = src;
}

void Importer::pool(const onnx::NodeProto& node, LayerOp op) {
  Layer l;
  l.name = node.name();
  l.op = op;
  l.has_bias = false;
  l.inputs = {producer(node, 0)};
  shape_of(l.inputs[0], l.in_channels, l.in_height, l.in_width);
  l.out_channels = l.in_channels;
  if (op == LayerOp::kAvgPool) {
    l.kernel_h = l.in_height;
    l.kernel_w = l.in_width;
    l.out_height = l.out_width = 1;
  } else {
    const auto kernel = ints(node, "kernel_shape", {});
    const auto strides = ints(node, "strides", {1, 1});
    const auto pads = ints(node, "pads", {0, 0, 0, 0});
    if (kernel.size() != 2 || kernel[0] != kernel[1] || strides.size() != 2 ||
        strides[0] != strides[1] || pads.size() != 4 || pads[0] != pads[1] || pads[0] != pads[2] ||
        pads[0] != pads[3]) {
      fail(node, "a square kernel, equal strides and equal pads", "other");
    }
    l.kernel_h = l.kernel_w = bounded(node, "kernel size", kernel[0], 1, kMaxSpatial);
    l.stride = bounded(node, "stride", strides[0], 1, kMaxSpatial);
    l.pad = bounded(node, "padding", pads[0], 0, kMaxSpatial);
    l.out_height = (l.in_height + 2 * l.pad - l.kernel_h) / l.stride + 1;
    l.out_width = (l.in_width + 2 * l.pad - l.kernel_w) / l.stride + 1;
  }
  push(std::move(l), {}, node);
}

// Numbers quantizable layers and marks unsigned inputs, as NetworkBuilder::build does.
void Importer::finish() {
  std::function<bool(int)> is_unsigned = [&](int index) {
    if (index < 0) return false;
    const Layer& l = net_.layers[index];
    if (l.activation != Activation::kNone) return true;
    if (l.op == LayerOp::kAvgPool || l.op == LayerOp::kMaxPool) return is_unsigned(l.inputs[0]);
    return false;
  };
  int quant_index = 0;
  for (auto& layer : net_.layers) {
    if (layer.quantizable()) layer.quant_index = quant_index++;
    layer.input_unsigned = true;
    for (int src : layer.inputs) layer.input_unsigned &= is_unsigned(src);
  }
}

FloatModel Importer::run() {
  const onnx::GraphProto& g = model_.graph();
  std::string input_name;
  for (const auto& in : g.input()) {
    if (constants_.count(in.name())) continue;
    if (!input_name.empty()) {
      throw InputError(InputLocation{source_, 0, "graph.input", -1}, "one data input",
                       fmt::format("'{}' and '{}'", input_name, in.name()));
    }
    input_name = in.name();
    const auto& shape = in.type().tensor_type().shape();
    std::vector<int64_t> dims;
    for (const auto& d : shape.dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : 1);
    net_.spec.batch = dims.empty() ? 1 : int(std::clamp<int64_t>(dims[0], 1, 4096));
    const InputLocation where{source_, 0, "graph.input '" + in.name() + "'", -1};
    auto check = [&](int64_t value, int64_t hi, const char* what) {
      if (value < 1 || value > hi) {
        throw InputError(where, fmt::format("{} in [1, {}]", what, hi), std::to_string(value));
      }
      return int(value);
    };
    if (dims.size() == 4 && dims[2] == dims[3]) {
      net_.spec.in_channels = check(dims[1], kMaxChannels, "channels");
      net_.spec.resolution = check(dims[2], kMaxSpatial, "height and width");
    } else if (dims.size() == 2) {
      net_.spec.in_channels = check(dims[1], kMaxChannels, "channels");
      net_.spec.resolution = 1;
    } else {
      throw InputError(InputLocation{source_, 0, "graph.input '" + in.name() + "'", -1},
                       "N x C x H x W with H == W, or N x C",
                       fmt::format("shape [{}]", fmt::join(dims, ",")));
    }
  }
  if (input_name.empty()) {
    throw InputError(InputLocation{source_, 0, "graph.input", -1}, "a data input", "none");
  }
  producers_[input_name] = -1;
  net_.name = g.name().empty() ? "onnx" : g.name();
  for (const auto& node : g.node()) {
    const std::string& op = node.op_type();
    if (node.output_size() < 1 || node.output(0).empty()) fail(node, "an output", "none");
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      fail(node, kSupported, "domain " + node.domain());
    if (op == "Conv") {
      conv(node);
    } else if (op == "Gemm") {
      gemm(node);
    } else if (op == "BatchNormalization") {
      batch_norm(node);
    } else if (op == "Relu") {
      activation(node, Activation::kRelu);
    } else if (op == "Clip") {
      activation(node, Activation::kRelu6);
    } else if (op == "Add") {
      Layer l;
      l.name = node.name();
      l.op = LayerOp::kAdd;
      l.has_bias = false;
      l.inputs = {producer(node, 0), producer(node, 1)};
      shape_of(l.inputs[0], l.in_channels, l.in_height, l.in_width);
      int c, h, w;
      shape_of(l.inputs[1], c, h, w);
      if (c != l.in_channels || h != l.in_height || w != l.in_width) {
        fail(node, "two inputs of the same shape (no broadcasting)", "different shapes");
      }
      l.out_channels = c;
      l.out_height = h;
      l.out_width = w;
      push(std::move(l), {}, node);
    } else if (op == "GlobalAveragePool") {
      pool(node, LayerOp::kAvgPool);
    } else if (op == "MaxPool") {
      pool(node, LayerOp::kMaxPool);
    } else if (op == "Flatten" || op == "Reshape" || op == "Identity" || op == "Dropout") {
      producers_[node.output(0)] = producer(node, 0);
    } else {
      fail(node, kSupported, "'" + op + "'");
    }
  }
  if (net_.layers.empty()) {
    throw InputError(InputLocation{source_, 0, "graph.node", -1}, "at least one Conv or Gemm",
                     "none");
  }
  if (g.output_size() != 1 || producers_[g.output(0).name()] != int(net_.layers.size()) - 1) {
    throw InputError(InputLocation{source_, 0, "graph.output", -1},
                     "one output, produced by the last layer", "another arrangement");
  }
  for (size_t i = 0; i < net_.layers.size(); ++i) {
    const Layer& l = net_.layers[i];
    if (l.out_height < 1 || l.out_width < 1) {
      throw InputError(InputLocation{source_, 0, "node '" + l.name + "'", -1}, "a non-empty output",
                       "an empty output map");
    }
    for (size_t j = 0; j < i; ++j) {
      if (net_.layers[j].name == l.name) net_.layers[i].name += fmt::format("_{}", i);
    }
  }
  net_.spec.classes = net_.layers.back().out_channels;
  finish();
  FloatModel model;
  model.network = net_;
  model.params = params_;
  model.normalization.mean.assign(net_.spec.in_channels, 0.0f);
  model.normalization.std.assign(net_.spec.in_channels, 1.0f);
  return model;
}

}  // namespace

std::vector<float> tensor_values(const onnx::TensorProto& t, const std::string& source,
                                 std::vector<int64_t>* dims) {
  if (t.data_type() != onnx::TensorProto::FLOAT) {
    throw InputError(InputLocation{source, 0, "tensor '" + t.name() + "'", -1}, "FLOAT data",
                     fmt::format("data type {}", t.data_type()));
  }
  // Bounded as it grows: no product of dims can overflow, and no tensor is larger than the
  // 2 GiB a protobuf can hold.
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 31) / d)) {
      throw InputError(InputLocation{source, 0, "tensor '" + t.name() + "'", -1},
                       "dimensions with a product below 2^31",
                       fmt::format("[{}]", fmt::join(t.dims(), ",")));
    }
    count *= d;
  }
  if (dims) dims->assign(t.dims().begin(), t.dims().end());
  std::vector<float> v;
  if (t.has_raw_data()) {
    const std::string& raw = t.raw_data();
    if (int64_t(raw.size()) != count * 4) {
      throw InputError(InputLocation{source, 0, "tensor '" + t.name() + "'", -1},
                       fmt::format("{} raw bytes", count * 4), std::to_string(raw.size()));
    }
    v.resize(count);
    std::memcpy(v.data(), raw.data(), raw.size());  // ONNX raw data is little-endian, as we are
  } else {
    v.assign(t.float_data().begin(), t.float_data().end());
    if (int64_t(v.size()) != count) {
      throw InputError(InputLocation{source, 0, "tensor '" + t.name() + "'", -1},
                       fmt::format("{} values", count), std::to_string(v.size()));
    }
  }
  return v;
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
                       const std::map<std::string, onnx::TensorProto>& bound_inputs) {
  return Importer(model, source, bound_inputs).run();
}

namespace {

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

}  // namespace

FloatModel import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const std::map<std::string, onnx::TensorProto>& bound_inputs) {
  onnx::ModelProto model;
  if (bytes.size() > size_t(std::numeric_limits<int>::max()) || !model.ParseFromString(bytes)) {
    if (bytes.size() > size_t(std::numeric_limits<int>::max())) {
      throw InputError(InputLocation{source, 0, "", -1}, "an ONNX model below 2 GiB",
                       fmt::format("{} bytes", bytes.size()));
    }
    throw describe_parse_failure(bytes, source);
  }
  return import_onnx(model, source, bound_inputs);
}

FloatModel import_onnx_file(const std::string& path,
                            const std::map<std::string, onnx::TensorProto>& bound_inputs) {
  return import_onnx_bytes(read_whole_file(path), path, bound_inputs);
}

}  // namespace haqsim
