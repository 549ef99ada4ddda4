// Shape inference of the zoo: layer counts, MACs against the published figures, and shapes at
// other resolutions.
#include <gtest/gtest.h>

#include "base/input_error.h"
#include "models/workload.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

TEST(Zoo, MobileNetV1HasHaqsLayerList) {
  Network net = build_mobilenet_v1({});
  ASSERT_EQ(net.quantizable_count(), 28);
  int depthwise = 0, pointwise = 0;
  for (const Layer* l : net.quantizable_layers()) {
    depthwise += l->kind() == LayerKind::kDepthwise;
    pointwise += l->kind() == LayerKind::kPointwise;
  }
  EXPECT_EQ(depthwise, 13);
  EXPECT_EQ(pointwise, 13);
  EXPECT_EQ(net.quantizable(0).kind(), LayerKind::kConv);
  EXPECT_EQ(net.quantizable(27).kind(), LayerKind::kFullyConnected);
  EXPECT_EQ(net.quantizable(26).out_height, 7);
}

TEST(Zoo, MobileNetV1MacsAt224) {
  // Howard et al. report 569 M mult-adds.
  EXPECT_NEAR(build_mobilenet_v1({}).total_macs() / 1e6, 569.0, 569.0 * 0.01);
}

TEST(Zoo, MobileNetV2HasHaqsLayerCountAndMacs) {
  Network net = build_mobilenet_v2({});
  EXPECT_EQ(net.quantizable_count(), 53);
  // Sandler et al. report 300 M multiply-adds.
  EXPECT_NEAR(net.total_macs() / 1e6, 300.0, 300.0 * 0.02);
  // Projections have no ReLU, so the next block's expansion sees signed inputs.
  const Layer& first_expand = net.quantizable(3);
  EXPECT_EQ(first_expand.name, "block1_expand");
  EXPECT_FALSE(first_expand.input_unsigned);
  EXPECT_TRUE(net.quantizable(1).input_unsigned);  // block0_dw after conv1's ReLU6
}

TEST(Zoo, ResNet50MacsAndLayers) {
  Network net = build_resnet50({});
  EXPECT_EQ(net.quantizable_count(), 54);
  EXPECT_NEAR(net.total_macs() / 1e9, 4.09, 4.09 * 0.02);  // torchvision: 4.09 GMACs
}

TEST(Zoo, BuildsAtOtherResolutionsWidthsAndBatches) {
  NetworkSpec spec;
  spec.resolution = 32;
  spec.classes = 10;
  spec.first_stride = 1;
  spec.batch = 4;
  Network net = build_mobilenet_v1(spec);
  EXPECT_EQ(net.quantizable(0).out_height, 32);
  EXPECT_EQ(net.quantizable(26).out_height, 2);
  EXPECT_EQ(net.quantizable(27).out_channels, 10);
  EXPECT_EQ(net.total_macs(), 4 * build_mobilenet_v1([&] {
                                    NetworkSpec one = spec;
                                    one.batch = 1;
                                    return one;
                                  }())
                                      .total_macs());
  NetworkSpec half;
  half.width = 0.5;
  EXPECT_EQ(build_mobilenet_v1(half).quantizable(0).out_channels, 16);
  EXPECT_EQ(build_mobilenet_v2(half).quantizable(52).in_channels, 1280);
}

TEST(Zoo, TooSmallInputIsRefused) {
  NetworkSpec spec;
  spec.resolution = 1;
  // A 1x1 input still yields 1x1 maps with "same" padding: valid, if useless.
  EXPECT_NO_THROW(build_mobilenet_v1(spec));
  spec.resolution = 0;
  EXPECT_THROW(build_mobilenet_v1(spec), std::invalid_argument);
}

TEST(Zoo, UnknownModelNamesTheKnownOnes) {
  try {
    build_model("mobilenet_v3", {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mobilenet_v1|mobilenet_v2|resnet50"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("mobilenet_v3"), std::string::npos);
  }
}

}  // namespace
}  // namespace haqsim
