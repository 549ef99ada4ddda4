#include "models/onnx/onnx_export.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include "base/atomic_file.h"

namespace haqsim {

namespace {

void add_initializer(onnx::GraphProto& g, const std::string& name, const std::vector<float>& v,
                     const std::vector<int64_t>& dims) {
  onnx::TensorProto* t = g.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)));
}

onnx::NodeProto* add_node(onnx::GraphProto& g, const std::string& op, const std::string& name,
                          std::vector<std::string> inputs, const std::string& output) {
  onnx::NodeProto* n = g.add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const auto& in : inputs) n->add_input(in);
  n->add_output(output);
  return n;
}

void add_ints(onnx::NodeProto* n, const std::string& name, std::vector<int64_t> values) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

void add_int(onnx::NodeProto* n, const std::string& name, int64_t value) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

void set_shape(onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
}

}  // namespace

onnx::ModelProto export_onnx(const FloatModel& model) {
  const Network& net = model.network;
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.set_producer_name("haqsim");
  m.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *m.mutable_graph();
  g.set_name(net.name);
  set_shape(
      g.add_input(), "input",
      {net.spec.batch, net.spec.in_channels, net.spec.input_height(), net.spec.input_width()});
  add_initializer(g, "relu6_min", {0.0f}, {});
  add_initializer(g, "relu6_max", {6.0f}, {});
  auto tensor = [&](int index) {
    return index < 0 ? std::string("input") : net.layers[index].name;
  };
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const FloatLayerParams& p = model.params[i];
    std::string out = l.name + (l.activation == Activation::kNone ? "" : "_pre");
    switch (l.op) {
      case LayerOp::kConv: {
        const std::string w = l.name + ".weight";
        add_initializer(g, w, p.weight,
                        {l.out_channels, l.in_channels / l.groups, l.kernel_h, l.kernel_w});
        std::vector<std::string> inputs = {tensor(l.inputs[0]), w};
        if (!p.bias.empty()) {
          add_initializer(g, l.name + ".bias", p.bias, {l.out_channels});
          inputs.push_back(l.name + ".bias");
        }
        const std::string conv_out = p.bn.empty() ? out : l.name + "_conv";
        auto* n = add_node(g, "Conv", l.name, inputs, conv_out);
        add_ints(n, "kernel_shape", {l.kernel_h, l.kernel_w});
        add_ints(n, "strides", {l.stride_h, l.stride_w});
        add_ints(n, "dilations", {l.dilation_h, l.dilation_w});
        add_ints(n, "pads", {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right});
        add_int(n, "group", l.groups);
        if (!p.bn.empty()) {
          const std::string b = l.name + ".bn";
          add_initializer(g, b + ".weight", p.bn.gamma, {l.out_channels});
          add_initializer(g, b + ".bias", p.bn.beta, {l.out_channels});
          add_initializer(g, b + ".running_mean", p.bn.mean, {l.out_channels});
          add_initializer(g, b + ".running_var", p.bn.var, {l.out_channels});
          auto* bn = add_node(
              g, "BatchNormalization", b,
              {conv_out, b + ".weight", b + ".bias", b + ".running_mean", b + ".running_var"}, out);
          auto* eps = bn->add_attribute();
          eps->set_name("epsilon");
          eps->set_type(onnx::AttributeProto::FLOAT);
          eps->set_f(p.bn.eps);
        }
        break;
      }
      case LayerOp::kFullyConnected: {
        const std::string flat = l.name + "_flat";
        add_node(g, "Flatten", l.name + "_flatten", {tensor(l.inputs[0])}, flat);
        add_initializer(g, l.name + ".weight", p.weight, {l.out_channels, l.in_channels});
        add_initializer(g, l.name + ".bias",
                        p.bias.empty() ? std::vector<float>(l.out_channels, 0.0f) : p.bias,
                        {l.out_channels});
        auto* n = add_node(g, "Gemm", l.name, {flat, l.name + ".weight", l.name + ".bias"}, out);
        add_int(n, "transB", 1);
        break;
      }
      case LayerOp::kAdd:
        add_node(g, "Add", l.name, {tensor(l.inputs[0]), tensor(l.inputs[1])}, out);
        break;
      case LayerOp::kAvgPool:
        add_node(g, "GlobalAveragePool", l.name, {tensor(l.inputs[0])}, out);
        break;
      case LayerOp::kMaxPool: {
        auto* n = add_node(g, "MaxPool", l.name, {tensor(l.inputs[0])}, out);
        add_ints(n, "kernel_shape", {l.kernel_h, l.kernel_w});
        add_ints(n, "strides", {l.stride_h, l.stride_w});
        add_ints(n, "pads", {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right});
        break;
      }
      default:
        throw std::invalid_argument(fmt::format(
            "ONNX export: layer '{}' ({}) is not one the zoo builds", l.name, to_string(l.op)));
    }
    if (l.activation == Activation::kRelu) {
      add_node(g, "Relu", l.name + "_relu", {out}, l.name);
    } else if (l.activation == Activation::kRelu6) {
      add_node(g, "Clip", l.name + "_relu6", {out, "relu6_min", "relu6_max"}, l.name);
    }
  }
  set_shape(g.add_output(), net.layers.back().name,
            {net.spec.batch, net.layers.back().out_channels});
  return m;
}

void save_onnx_file(const FloatModel& model, const std::string& path) {
  write_file_atomically(path, export_onnx(model).SerializeAsString());
}

}  // namespace haqsim
