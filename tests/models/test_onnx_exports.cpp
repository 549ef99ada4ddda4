// ONNX import of what PyTorch's exporter writes (tests/models/onnx/, made by
// tools/onnx/make_test_models.py at opsets 11, 13 and 17): every layer's arithmetic against
// PyTorch's own output, the MACs and weights against PyTorch's own count, the instance options,
// and every kind of bad model refused with the file and the node.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/onnx/onnx_import.h"
#include "models/quant/float_executor.h"
#include "models/quant/float_model.h"

namespace haqsim {
namespace {

const std::string kDir = "tests/models/onnx/";

nlohmann::json counts() {
  std::ifstream in(kDir + "counts.json");
  return nlohmann::json::parse(in);
}

onnx::ModelProto load(const std::string& file) {
  onnx::ModelProto m;
  std::ifstream in(kDir + file, std::ios::binary);
  EXPECT_TRUE(m.ParseFromIstream(&in)) << file;
  return m;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

class Exports : public ::testing::TestWithParam<std::string> {};

// Float inference of the imported graph equals PyTorch's output; MACs and conv/matmul weights
// equal PyTorch's count.
TEST_P(Exports, ComputeWhatPyTorchComputesAndCountAsItCounts) {
  const std::string model = GetParam();
  const nlohmann::json c = counts().at(model);
  const std::vector<float> input =
      tensor_values(read_tensor_file(kDir + model + "_input_0.pb"), model);
  const std::vector<float> expected =
      tensor_values(read_tensor_file(kDir + model + "_output_0.pb"), model);
  for (int opset : {11, 13, 17}) {
    const std::string file = kDir + fmt::format("{}_op{}.onnx", model, opset);
    OnnxImportOptions options;
    options.instance.resolution = model == "dynamic_cnn" ? 20 : 0;
    OnnxModelInfo info;
    const FloatModel m = import_onnx_file(file, options, &info);
    EXPECT_EQ(info.opset, opset);
    EXPECT_EQ(info.producer.rfind("pytorch", 0), 0u) << info.producer;
    EXPECT_EQ(m.network.total_macs(), c.at("macs").get<int64_t>()) << file;
    EXPECT_EQ(m.network.total_weights(), c.at("weights").get<int64_t>()) << file;
    const std::vector<float> got = FloatExecutor(m).run_image(input.data());
    ASSERT_EQ(got.size(), expected.size()) << file;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], expected[i], 1e-4 + 1e-4 * std::fabs(expected[i])) << file << " " << i;
    }
    // The same graph without weight values has the same layers.
    const Network shapes = import_onnx_network(file, options.instance);
    ASSERT_EQ(shapes.layers.size(), m.network.layers.size());
    EXPECT_EQ(shapes.total_macs(), m.network.total_macs());
  }
}

INSTANTIATE_TEST_SUITE_P(Torch, Exports, ::testing::Values("mixed_cnn", "tiny_vit", "dynamic_cnn"));

TEST(OnnxImportExports, WhatTheExporterWritesBecomesLayers) {
  const Network n = import_onnx_network(kDir + "mixed_cnn_op13.onnx", {});
  int depthwise = 0, dilated = 0, rect = 0, nonsquare = 0, host = 0;
  bool ceil_pool = false, relu6 = false, se_mul = false, shuffle = false;
  for (const Layer& l : n.layers) {
    depthwise += l.kind() == LayerKind::kDepthwise;
    dilated += l.dilation_h == 2 && l.dilation_w == 2;
    rect += l.stride_h == 2 && l.stride_w == 1;
    nonsquare += l.quantizable() && l.kernel_h != l.kernel_w;
    host += !l.on_array();
    ceil_pool |= l.op == LayerOp::kMaxPool && l.host.ceil_mode;
    relu6 |= l.activation == Activation::kRelu6;
    se_mul |= l.op == LayerOp::kElementwise && l.host.function == HostFunction::kMul;
    shuffle |= l.host.function == HostFunction::kTranspose;
  }
  EXPECT_EQ(depthwise, 1);
  EXPECT_EQ(dilated, 1);
  EXPECT_EQ(rect, 1);
  EXPECT_EQ(nonsquare, 2);  // 1x7 and 7x1
  EXPECT_TRUE(ceil_pool && relu6 && se_mul && shuffle);
  EXPECT_EQ(n.spec.input_height(), 28);
  EXPECT_EQ(n.spec.input_width(), 36);
  EXPECT_EQ(n.spec.classes, 10);
  EXPECT_GT(host, 10);
}

// --batch and --resolution bind symbolic dims and are refused, by name, against fixed ones;
// --classes must agree with the output.
TEST(OnnxImportExports, InstanceOptionsBindSymbolicDimsAndAreCheckedAgainstFixedOnes) {
  OnnxInstance i;
  i.resolution = 24;
  i.batch = 4;
  const Network n = import_onnx_network(kDir + "dynamic_cnn_op13.onnx", i);
  EXPECT_EQ(n.spec.resolution, 24);
  EXPECT_EQ(n.spec.batch, 4);
  EXPECT_EQ(n.layers[0].in_height, 24);
  const std::string no_resolution =
      error_of([] { import_onnx_network(kDir + "dynamic_cnn_op13.onnx", {}); });
  EXPECT_NE(no_resolution.find("--resolution"), std::string::npos) << no_resolution;
  EXPECT_NE(no_resolution.find("height"), std::string::npos) << no_resolution;

  OnnxInstance fixed;
  fixed.resolution = 32;  // mixed_cnn's input is a fixed 28 x 36
  const std::string e = error_of([&] { import_onnx_network(kDir + "mixed_cnn_op13.onnx", fixed); });
  EXPECT_NE(e.find("--resolution"), std::string::npos) << e;
  EXPECT_NE(e.find("fixed"), std::string::npos) << e;
  OnnxInstance classes;
  classes.classes = 1000;
  const std::string c =
      error_of([&] { import_onnx_network(kDir + "mixed_cnn_op13.onnx", classes); });
  EXPECT_NE(c.find("--classes"), std::string::npos) << c;
  OnnxInstance batch;
  batch.default_batch = 16;  // the arch config's batch for a symbolic batch dim
  EXPECT_EQ(import_onnx_network(kDir + "mixed_cnn_op13.onnx", batch).spec.batch, 16);
}

// Initializers in float16, bfloat16 or double are converted; weights may be graph inputs with a
// declared shape (the layer graph needs no values).
TEST(OnnxImportExports, OtherFloatTypesAndWeightsAsGraphInputs) {
  const std::vector<float> input =
      tensor_values(read_tensor_file(kDir + "mixed_cnn_input_0.pb"), "input");
  const FloatModel reference = import_onnx_file(kDir + "mixed_cnn_op13.onnx");
  const std::vector<float> expected = FloatExecutor(reference).run_image(input.data());
  for (int type : {int(onnx::TensorProto::FLOAT16), int(onnx::TensorProto::BFLOAT16),
                   int(onnx::TensorProto::DOUBLE)}) {
    onnx::ModelProto m = load("mixed_cnn_op13.onnx");
    for (auto& t : *m.mutable_graph()->mutable_initializer()) {
      if (t.data_type() != onnx::TensorProto::FLOAT) continue;
      const std::vector<float> v = tensor_values(t, "initializer");
      std::string raw;
      for (float f : v) {
        if (type == onnx::TensorProto::DOUBLE) {
          const double d = f;
          raw.append(reinterpret_cast<const char*>(&d), 8);
        } else {
          uint32_t bits;
          std::memcpy(&bits, &f, 4);
          const uint16_t h =
              type == onnx::TensorProto::FLOAT16 ? float_to_half(f) : uint16_t(bits >> 16);
          raw.append(reinterpret_cast<const char*>(&h), 2);
        }
      }
      t.set_data_type(type);
      t.set_raw_data(raw);
    }
    const FloatModel converted = import_onnx(m, "converted.onnx");
    EXPECT_EQ(converted.network.total_macs(), reference.network.total_macs());
    const std::vector<float> got = FloatExecutor(converted).run_image(input.data());
    // Rounded weights: bfloat16 keeps 8 bits of mantissa.
    const double tolerance = type == onnx::TensorProto::DOUBLE ? 1e-5 : 0.1;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], expected[i], tolerance * (1 + std::fabs(expected[i]))) << type;
    }
  }
  // Every conv and gemm weight as a graph input with its shape and no values.
  onnx::ModelProto m = load("mixed_cnn_op13.onnx");
  auto* g = m.mutable_graph();
  google::protobuf::RepeatedPtrField<onnx::TensorProto> kept;
  int moved = 0;
  for (const auto& t : g->initializer()) {
    if (t.dims_size() == 4 || t.dims_size() == 2) {
      auto* in = g->add_input();
      in->set_name(t.name());
      auto* type = in->mutable_type()->mutable_tensor_type();
      type->set_elem_type(onnx::TensorProto::FLOAT);
      for (int64_t d : t.dims()) type->mutable_shape()->add_dim()->set_dim_value(d);
      ++moved;
    } else {
      *kept.Add() = t;
    }
  }
  ASSERT_GT(moved, 5);
  g->mutable_initializer()->Swap(&kept);
  OnnxImportOptions shapes;
  shapes.values = false;
  const Network n = import_onnx(m, "inputs.onnx", shapes).network;
  EXPECT_EQ(n.total_macs(), reference.network.total_macs());
  EXPECT_EQ(n.total_weights(), reference.network.total_weights());
  const std::string e = error_of([&] { import_onnx(m, "inputs.onnx"); });
  EXPECT_NE(e.find("a weight given as a graph input"), std::string::npos) << e;
}

// --- bad models --------------------------------------------------------------------------------

class BadModels : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("haqsim_bad_onnx_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const onnx::ModelProto& m, const std::string& name) {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    m.SerializeToOstream(&out);
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(BadModels, TruncatedFileNamesTheByteOffset) {
  const std::string bytes = read_whole_file(kDir + "mixed_cnn_op13.onnx");
  const std::string e =
      error_of([&] { import_onnx_bytes(bytes.substr(0, bytes.size() / 2), "cut.onnx"); });
  EXPECT_NE(e.find("cut.onnx"), std::string::npos) << e;
  EXPECT_NE(e.find("byte offset"), std::string::npos) << e;
}

TEST_F(BadModels, WrongOpsetIsRefused) {
  onnx::ModelProto m = load("mixed_cnn_op13.onnx");
  m.mutable_opset_import(0)->set_version(99);
  const std::string path = write(m, "opset.onnx");
  const std::string e = error_of([&] { import_onnx_network(path, {}); });
  EXPECT_NE(e.find(path), std::string::npos) << e;
  EXPECT_NE(e.find("opset"), std::string::npos) << e;
  EXPECT_NE(e.find("99"), std::string::npos) << e;
}

// Every unsupported node in one message: named ones by name, unnamed ones by index and op.
TEST_F(BadModels, EveryUnsupportedNodeIsListed) {
  onnx::ModelProto m = load("mixed_cnn_op13.onnx");
  int renamed = 0;
  for (auto& node : *m.mutable_graph()->mutable_node()) {
    if ((node.op_type() == "Sigmoid" || node.op_type() == "HardSigmoid") && renamed < 2) {
      node.set_op_type(renamed == 0 ? "Mish" : "Swoosh");
      if (renamed == 1) node.clear_name();
      ++renamed;
    }
  }
  ASSERT_EQ(renamed, 2);
  const std::string path = write(m, "ops.onnx");
  const std::string e = error_of([&] { import_onnx_network(path, {}); });
  EXPECT_NE(e.find("2 nodes haqsim cannot import"), std::string::npos) << e;
  EXPECT_NE(e.find("'Mish'"), std::string::npos) << e;
  EXPECT_NE(e.find("'Swoosh'"), std::string::npos) << e;
  EXPECT_NE(e.find(" Swoosh ("), std::string::npos) << e;  // "#17 Swoosh (Swoosh, opset 13)"
  EXPECT_NE(e.find("opset 13"), std::string::npos) << e;
}

TEST_F(BadModels, MissingExternalDataNamesTensorAndFile) {
  onnx::ModelProto m = load("mixed_cnn_op13.onnx");
  onnx::TensorProto* t = m.mutable_graph()->mutable_initializer(0);
  t->clear_raw_data();
  t->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* kv = t->add_external_data();
  kv->set_key("location");
  kv->set_value("weights.bin");
  const std::string path = write(m, "external.onnx");
  const std::string e = error_of([&] { import_onnx_network(path, {}); });
  EXPECT_NE(e.find("weights.bin"), std::string::npos) << e;
  EXPECT_NE(e.find(t->name()), std::string::npos) << e;
  // With the file there, it imports.
  std::ofstream((dir_ / "weights.bin").string(), std::ios::binary)
      << std::string(size_t(4 *
                            [&] {
                              int64_t n = 1;
                              for (auto d : t->dims()) n *= d;
                              return n;
                            }()),
                     '\0');
  EXPECT_NO_THROW(import_onnx_file(path));
}

TEST_F(BadModels, InconsistentShapesNameTheNode) {
  onnx::ModelProto m = load("mixed_cnn_op13.onnx");
  for (auto& t : *m.mutable_graph()->mutable_initializer()) {
    if (t.dims_size() == 4 && t.dims(1) == 3) {  // the stem's weight: 3 input channels
      t.set_dims(1, 5);
      t.set_raw_data(std::string(size_t(t.dims(0) * 5 * t.dims(2) * t.dims(3) * 4), '\0'));
      break;
    }
  }
  const std::string path = write(m, "shapes.onnx");
  const std::string e = error_of([&] { import_onnx_network(path, {}); });
  EXPECT_NE(e.find("Conv"), std::string::npos) << e;
  EXPECT_NE(e.find("input channels"), std::string::npos) << e;
}

TEST_F(BadModels, CyclesAreRefused) {
  onnx::ModelProto m = load("dynamic_cnn_op13.onnx");
  auto* nodes = m.mutable_graph()->mutable_node();
  // The first node reads what the last one writes.
  (*nodes)[0].set_input(0, (*nodes)[nodes->size() - 1].output(0));
  const std::string path = write(m, "cycle.onnx");
  const std::string e = error_of([&] {
    OnnxInstance i;
    i.resolution = 20;
    import_onnx_network(path, i);
  });
  EXPECT_NE(e.find("cycle"), std::string::npos) << e;
  EXPECT_NE(e.find(path), std::string::npos) << e;
}

TEST_F(BadModels, AGraphWithoutArrayLayersIsRefused) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  auto* in = g->add_input();
  in->set_name("x");
  auto* shape = in->mutable_type()->mutable_tensor_type();
  shape->set_elem_type(onnx::TensorProto::FLOAT);
  for (int d : {1, 3, 8, 8}) shape->mutable_shape()->add_dim()->set_dim_value(d);
  auto* relu = g->add_node();
  relu->set_op_type("Relu");
  relu->add_input("x");
  relu->add_output("y");
  g->add_output()->set_name("y");
  const std::string path = write(m, "host_only.onnx");
  const std::string e = error_of([&] { import_onnx_network(path, {}); });
  EXPECT_NE(e.find("at least one layer the arrays run"), std::string::npos) << e;
}

}  // namespace
}  // namespace haqsim
