#include "tests/errors/malformed_inputs.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace haqsim::testing {

std::string repository_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("test input missing: " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string mobilenet_v1_policy() {
  std::string text = "model: mobilenet_v1\nlayers:\n";
  for (int i = 0; i < 28; ++i) text += fmt::format("  - {{layer: {}, wbits: 8, abits: 8}}\n", i);
  return text;
}

std::string idx_bytes(const std::vector<uint32_t>& dims) {
  std::string out = {0, 0, 8, char(dims.size())};
  size_t count = 1;
  for (uint32_t d : dims) {
    for (int shift : {24, 16, 8, 0}) out.push_back(char((d >> shift) & 0xff));
    count *= d;
  }
  for (size_t i = 0; i < count; ++i) out.push_back(char(i % 10));
  return out;
}

std::string gzip(const std::string& bytes) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = uInt(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

namespace {

void add_tensor(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims) {
  onnx::TensorProto* t = g.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  int64_t count = 1;
  for (int64_t d : dims) {
    t->add_dims(d);
    count *= d;
  }
  for (int64_t i = 0; i < count; ++i) t->add_float_data(0.01f * float(i % 7) - 0.03f);
}

onnx::NodeProto* add_node(onnx::GraphProto& g, const std::string& op, const std::string& name,
                          const std::vector<std::string>& inputs, const std::string& output) {
  onnx::NodeProto* n = g.add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const auto& in : inputs) n->add_input(in);
  n->add_output(output);
  return n;
}

}  // namespace

std::string small_onnx_model(const std::string& op_of_relu, int conv_in_channels) {
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *m.mutable_graph();
  g.set_name("small");
  onnx::ValueInfoProto* x = g.add_input();
  x->set_name("x");
  x->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 3, 8, 8}) {
    x->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(d);
  }
  g.add_output()->set_name("y");
  add_tensor(g, "conv.w", {4, conv_in_channels, 3, 3});
  add_tensor(g, "conv.b", {4});
  add_tensor(g, "fc.w", {10, 4});
  add_tensor(g, "fc.b", {10});
  onnx::NodeProto* conv = add_node(g, "Conv", "conv", {"x", "conv.w", "conv.b"}, "c");
  onnx::AttributeProto* pads = conv->add_attribute();
  pads->set_name("pads");
  pads->set_type(onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads->add_ints(1);
  add_node(g, op_of_relu, "relu", {"c"}, "r");
  add_node(g, "GlobalAveragePool", "pool", {"r"}, "p");
  add_node(g, "Flatten", "flatten", {"p"}, "f");
  onnx::NodeProto* fc = add_node(g, "Gemm", "fc", {"f", "fc.w", "fc.b"}, "y");
  onnx::AttributeProto* trans_b = fc->add_attribute();
  trans_b->set_name("transB");
  trans_b->set_type(onnx::AttributeProto::INT);
  trans_b->set_i(1);
  return m.SerializeAsString();
}

std::string edited_onnx_model(const std::function<void(onnx::ModelProto&)>& edit) {
  onnx::ModelProto m;
  m.ParseFromString(small_onnx_model());
  edit(m);
  return m.SerializeAsString();
}

}  // namespace haqsim::testing
