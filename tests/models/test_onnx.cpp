// ONNX import on ONNX's own test models (Debian's libonnx-testdata, not written by this project)
// against their expected outputs, and on whole MobileNets through the exporter.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "base/input_error.h"
#include "models/onnx/onnx_export.h"
#include "models/onnx/onnx_import.h"
#include "models/quant/float_executor.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

const std::string kTestData = "/usr/share/libonnx-testdata/data/";

// Imports <dir>/model.onnx (binding graph inputs 1.. from input_<k>.pb when they are not
// initializers), runs input_0 through the float executor and compares with output_0.pb.
void check_against_expected(const std::string& dir) {
  if (!std::filesystem::exists(kTestData + dir)) GTEST_SKIP() << "libonnx-testdata missing";
  const std::string path = kTestData + dir + "/model.onnx";
  onnx::ModelProto proto;
  {
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(proto.ParseFromIstream(&in));
  }
  std::map<std::string, onnx::TensorProto> bound;
  std::set<std::string> initializers;
  for (const auto& t : proto.graph().initializer()) initializers.insert(t.name());
  int k = 0;
  std::string data_input;
  for (const auto& in : proto.graph().input()) {
    if (initializers.count(in.name())) continue;
    const std::string file = kTestData + dir + fmt::format("/test_data_set_0/input_{}.pb", k++);
    if (data_input.empty()) {
      data_input = file;
    } else {
      bound[in.name()] = read_tensor_file(file);
    }
  }
  const FloatModel model = import_onnx_file(path, bound);
  const FloatExecutor executor(model);
  const std::vector<float> input = tensor_values(read_tensor_file(data_input), data_input);
  std::vector<int64_t> out_dims;
  const std::vector<float> expected = tensor_values(
      read_tensor_file(kTestData + dir + "/test_data_set_0/output_0.pb"), dir, &out_dims);
  const int batch = int(out_dims[0]);
  ASSERT_EQ(batch, model.network.spec.batch);
  const size_t in_size = input.size() / batch, out_size = expected.size() / batch;
  for (int n = 0; n < batch; ++n) {
    const std::vector<float> got = executor.run_image(&input[n * in_size]);
    ASSERT_EQ(got.size(), out_size) << dir;
    for (size_t i = 0; i < out_size; ++i) {
      EXPECT_NEAR(got[i], expected[n * out_size + i], 1e-4 + 1e-4 * std::fabs(expected[i])) << dir;
    }
  }
}

TEST(OnnxImport, NodeTestConvWithPadding) {
  check_against_expected("node/test_basic_conv_with_padding");
}
TEST(OnnxImport, NodeTestConvWithoutPadding) {
  check_against_expected("node/test_basic_conv_without_padding");
}
TEST(OnnxImport, NodeTestGemmTransposeB) {
  check_against_expected("node/test_gemm_transposeB");
}
TEST(OnnxImport, NodeTestGemmAlphaBeta) {
  check_against_expected("node/test_gemm_default_vector_bias");
  check_against_expected("node/test_gemm_alpha");
}
TEST(OnnxImport, PytorchConv2dStrided) {
  check_against_expected("pytorch-converted/test_Conv2d_depthwise_strided");
  check_against_expected("pytorch-converted/test_Conv2d_depthwise_with_multiplier");
}
TEST(OnnxImport, PytorchDepthwisePadded) {
  check_against_expected("pytorch-converted/test_Conv2d_depthwise_padded");
}
TEST(OnnxImport, PytorchDepthwise) {
  check_against_expected("pytorch-converted/test_Conv2d_depthwise");
}
TEST(OnnxImport, PytorchLinear) {
  check_against_expected("pytorch-converted/test_Linear");
}

TEST(OnnxImport, UnsupportedOperatorIsNamed) {
  const std::string path = kTestData + "node/test_convtranspose/model.onnx";
  if (!std::filesystem::exists(path)) GTEST_SKIP();
  // The node test passes the weights as a second graph input.
  const std::map<std::string, onnx::TensorProto> bound = {
      {"W", read_tensor_file(kTestData + "node/test_convtranspose/test_data_set_0/input_1.pb")}};
  try {
    import_onnx_file(path, bound);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ConvTranspose"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().file, path);
  }
  EXPECT_THROW(import_onnx_file("/nonexistent.onnx"), InputError);
}

TEST(OnnxImport, MobileNetsRoundTripThroughTheExporter) {
  for (const char* name : {"mobilenet_v1", "mobilenet_v2"}) {
    NetworkSpec spec;
    spec.resolution = 32;
    spec.in_channels = 1;
    spec.classes = 10;
    spec.width = 0.5;
    spec.first_stride = 1;
    FloatModel model = make_synthetic_float_model(build_model(name, spec), 4);
    for (size_t i = 0; i < model.params.size(); ++i) {  // give the convs BatchNorms
      const Layer& l = model.network.layers[i];
      if (l.op != LayerOp::kConv) continue;
      model.params[i].bias.clear();
      model.params[i].bn = {std::vector<float>(l.out_channels, 0.9f),
                            std::vector<float>(l.out_channels, 0.05f),
                            std::vector<float>(l.out_channels, 0.01f),
                            std::vector<float>(l.out_channels, 1.2f), 1e-5f};
    }
    const FloatModel back = import_onnx(export_onnx(model), name);
    ASSERT_EQ(back.network.layers.size(), model.network.layers.size()) << name;
    for (size_t i = 0; i < back.network.layers.size(); ++i) {
      const Layer& a = back.network.layers[i];
      const Layer& b = model.network.layers[i];
      EXPECT_EQ(a.op, b.op);
      EXPECT_EQ(a.out_channels, b.out_channels);
      EXPECT_EQ(a.out_height, b.out_height);
      EXPECT_EQ(a.groups, b.groups);
      EXPECT_EQ(a.activation, b.activation) << b.name;
      EXPECT_EQ(a.inputs, b.inputs) << b.name;
      EXPECT_EQ(a.quant_index, b.quant_index);
      EXPECT_EQ(a.input_unsigned, b.input_unsigned) << b.name;
    }
    const std::vector<float> image = make_synthetic_images(spec, 1, 8);
    const std::vector<float> x = FloatExecutor(model).run_image(image.data());
    const std::vector<float> y = FloatExecutor(back).run_image(image.data());
    for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], y[i], 1e-4 * (1 + std::fabs(x[i])));
  }
}

}  // namespace
}  // namespace haqsim
