#include "models/zoo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/input_error.h"

namespace haqsim {

namespace {

// Channel rounding of the reference implementations: MobileNet-V1 truncates c * width,
// MobileNet-V2 rounds to a multiple of 8 without dropping more than 10%.
int scale_v1(int channels, double width) {
  return std::max(1, int(channels * width));
}

int scale_v2(int channels, double width) {
  const int divisor = 8;
  double scaled = channels * width;
  int rounded = std::max(divisor, int(scaled + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * scaled) rounded += divisor;
  return rounded;
}

}  // namespace

// MobileNet-V1 (Howard et al. 2017, Table 1): conv 3x3/2, 13 depthwise-separable blocks,
// global average pool, fc. 28 quantizable layers.
Network build_mobilenet_v1(const NetworkSpec& spec) {
  NetworkBuilder b("mobilenet_v1", spec);
  const double w = spec.width;
  b.conv("conv1", scale_v1(32, w), 3, spec.first_stride, 1, Activation::kRelu6, -1);
  struct Block {
    int channels, stride;
  };
  const Block blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},  {512, 2}, {512, 1},
                          {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  int index = 1;
  for (const Block& block : blocks) {
    int in_channels = b.layer(b.last()).out_channels;
    b.conv(fmt::format("conv{}_dw", index + 1), in_channels, 3, block.stride, 0,
           Activation::kRelu6);
    b.conv(fmt::format("conv{}_pw", index + 1), scale_v1(block.channels, w), 1, 1, 1,
           Activation::kRelu6);
    ++index;
  }
  b.global_avg_pool("avgpool");
  b.fully_connected("fc", spec.classes, Activation::kNone);
  return b.build();
}

// MobileNet-V2 (Sandler et al. 2018, Table 2): inverted residual blocks with linear
// bottlenecks; 53 quantizable layers as counted by HAQ (first conv, 17 blocks, last 1x1, fc).
Network build_mobilenet_v2(const NetworkSpec& spec) {
  NetworkBuilder b("mobilenet_v2", spec);
  const double w = spec.width;
  b.conv("conv1", scale_v2(32, w), 3, spec.first_stride, 1, Activation::kRelu6, -1);
  struct Stage {
    int expansion, channels, repeats, stride;
  };
  const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                          {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int block = 0;
  for (const Stage& stage : stages) {
    for (int r = 0; r < stage.repeats; ++r) {
      const int stride = r == 0 ? stage.stride : 1;
      const int input = b.last();
      const int in_channels = b.layer(input).out_channels;
      const int out_channels = scale_v2(stage.channels, w);
      const std::string prefix = fmt::format("block{}", block);
      if (stage.expansion != 1) {
        b.conv(prefix + "_expand", in_channels * stage.expansion, 1, 1, 1, Activation::kRelu6);
      }
      b.conv(prefix + "_dw", b.layer(b.last()).out_channels, 3, stride, 0, Activation::kRelu6);
      int project = b.conv(prefix + "_project", out_channels, 1, 1, 1, Activation::kNone);
      if (stride == 1 && in_channels == out_channels) b.add(prefix + "_add", input, project);
      ++block;
    }
  }
  b.conv("conv_last", w > 1.0 ? scale_v2(1280, w) : 1280, 1, 1, 1, Activation::kRelu6);
  b.global_avg_pool("avgpool");
  b.fully_connected("fc", spec.classes, Activation::kNone);
  return b.build();
}

// ResNet-50 (He et al. 2016): 7x7/2 conv, max pool, 16 bottleneck blocks (3, 4, 6, 3) with
// projection shortcuts at each stage's first block, fc. 54 quantizable layers.
Network build_resnet50(const NetworkSpec& spec) {
  NetworkBuilder b("resnet50", spec);
  const double w = spec.width;
  auto ch = [w](int c) { return std::max(1, int(c * w)); };
  b.conv("conv1", ch(64), 7, spec.first_stride, 1, Activation::kRelu, -1);
  b.max_pool("maxpool", 3, 2, 1);
  const int repeats[] = {3, 4, 6, 3};
  const int widths[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    for (int r = 0; r < repeats[stage]; ++r) {
      const int stride = (r == 0 && stage > 0) ? 2 : 1;
      const int input = b.last();
      const std::string prefix = fmt::format("layer{}.{}", stage + 1, r);
      const int mid = ch(widths[stage]);
      const int out = ch(widths[stage] * 4);
      // torchvision's v1.5 places the stride on the 3x3 convolution.
      b.conv(prefix + ".conv1", mid, 1, 1, 1, Activation::kRelu, input);
      b.conv(prefix + ".conv2", mid, 3, stride, 1, Activation::kRelu);
      int main_path = b.conv(prefix + ".conv3", out, 1, 1, 1, Activation::kNone);
      int shortcut = input;
      if (r == 0)
        shortcut = b.conv(prefix + ".downsample", out, 1, stride, 1, Activation::kNone, input);
      b.add(prefix + ".add", main_path, shortcut, Activation::kRelu);
    }
  }
  b.global_avg_pool("avgpool");
  b.fully_connected("fc", spec.classes, Activation::kNone);
  return b.build();
}

const std::vector<ZooEntry>& model_zoo() {
  static const std::vector<ZooEntry> zoo = {
      {"mobilenet_v1", "MobileNet-V1 (depthwise-separable, 28 quantizable layers)",
       &build_mobilenet_v1},
      {"mobilenet_v2", "MobileNet-V2 (inverted residuals, 53 quantizable layers)",
       &build_mobilenet_v2},
      {"resnet50", "ResNet-50 (bottleneck residuals, 54 quantizable layers)", &build_resnet50},
  };
  return zoo;
}

Network build_model(const std::string& name, const NetworkSpec& spec) {
  std::string known;
  for (const auto& entry : model_zoo()) {
    if (entry.name == name) return entry.build(spec);
    known += (known.empty() ? "" : "|") + entry.name;
  }
  throw InputError(InputLocation{"", 0, "--model", -1}, fmt::format("one of {}", known),
                   fmt::format("'{}'", name));
}

}  // namespace haqsim
