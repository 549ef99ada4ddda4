#include "tests/contract/contract_fixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "base/input_error.h"
#include "sim/registry.h"

namespace haqsim::contract {

namespace {

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const std::vector<Instance>& all_instances() {
  static const std::vector<Instance> instances = [] {
    std::vector<Instance> out;
    for (const char* dir : {"arch-configs", "tests/contract/instances"}) {
      for (const std::string& file : yaml_files(dir)) {
        out.push_back({file, load_arch_config(file), std::string(dir) == "arch-configs"});
      }
    }
    return out;
  }();
  return instances;
}

// Any ONNX geometry: per-axis kernel and stride, dilation, and pads top, left, bottom, right.
LayerWorkload geometry_conv(const std::string& name, int in_c, int out_c, int h, int w,
                            std::array<int, 2> kernel, std::array<int, 2> stride,
                            std::array<int, 2> dilation, std::array<int, 4> pads, int groups,
                            int batch, bool input_signed) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kConv;
  l.in_channels = in_c;
  l.in_height = h;
  l.in_width = w;
  l.out_channels = out_c;
  l.kernel_h = kernel[0];
  l.kernel_w = kernel[1];
  l.stride_h = stride[0];
  l.stride_w = stride[1];
  l.dilation_h = dilation[0];
  l.dilation_w = dilation[1];
  l.pad_top = pads[0];
  l.pad_left = pads[1];
  l.pad_bottom = pads[2];
  l.pad_right = pads[3];
  l.groups = groups;
  l.out_height = l.geometry_out_height();
  l.out_width = l.geometry_out_width();
  l.input_unsigned = !input_signed;
  return lower_layer(l, batch);
}

// A convolution with "same" padding, as the zoo builds them.
LayerWorkload conv(const std::string& name, int in_c, int out_c, int h, int w, int kernel,
                   int stride, int groups, int batch, bool input_signed) {
  const int pad = (kernel - 1) / 2;
  return geometry_conv(name, in_c, out_c, h, w, {kernel, kernel}, {stride, stride}, {1, 1},
                       {pad, pad, pad, pad}, groups, batch, input_signed);
}

// A product of two activations per head (attention's Q x K^T): M rows, K deep, N columns.
LayerWorkload matmul(const std::string& name, int heads, int m, int k, int n, int batch,
                     bool input_signed) {
  Layer l;
  l.name = name;
  l.op = LayerOp::kMatMul;
  l.groups = heads;
  l.in_channels = heads * k;
  l.out_channels = heads * n;
  l.in_height = l.out_height = m;
  l.in_width = l.out_width = 1;
  l.input_unsigned = !input_signed;
  return lower_layer(l, batch);
}

}  // namespace

std::vector<Instance> instances_of(const std::string& type) {
  std::vector<Instance> out;
  for (const Instance& i : all_instances()) {
    if (i.config.type == type) out.push_back(i);
  }
  return out;
}

std::vector<Instance> runnable_instances(const std::string& type, Backend backend) {
  std::vector<Instance> out;
  for (const Instance& i : instances_of(type)) {
    try {
      make_cost_model(i.config, backend);
      out.push_back(i);
    } catch (const InputError&) {
      // this instance's array shape was not verilated
    }
  }
  return out;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return info.param.type + "_" + to_string(info.param.backend);
}

std::vector<Case> all_cases() {
  std::vector<Case> out;
  for (const Accelerator* a : accelerators().all()) {
    out.push_back({a->type(), Backend::kAnalytic});
    out.push_back({a->type(), Backend::kSystemC});
    if (!a->verilated_shapes().empty()) out.push_back({a->type(), Backend::kRtl});
  }
  return out;
}

std::vector<Case> cycle_accurate_cases() {
  std::vector<Case> out;
  for (const Case& c : all_cases()) {
    if (c.backend != Backend::kAnalytic) out.push_back(c);
  }
  return out;
}

std::vector<Case> rtl_cases() {
  std::vector<Case> out;
  for (const Case& c : all_cases()) {
    if (c.backend == Backend::kRtl) out.push_back(c);
  }
  return out;
}

std::vector<std::string> all_types() {
  return accelerators().types();
}

std::vector<LayerWorkload> contract_layers() {
  std::vector<LayerWorkload> layers = {
      conv("conv3x3", 5, 7, 8, 8, 3, 1, 1, 1, true),
      conv("conv3x3_s2_unsigned", 6, 9, 9, 7, 3, 2, 1, 1, false),
      conv("pointwise", 19, 13, 5, 5, 1, 1, 1, 1, false),
      conv("pointwise_batch2", 21, 11, 4, 4, 1, 1, 1, 2, true),
      conv("depthwise", 10, 10, 7, 7, 3, 1, 10, 1, false),
      conv("depthwise_s2", 18, 18, 9, 9, 3, 2, 18, 1, true),
      conv("depthwise5x5", 9, 9, 6, 6, 5, 1, 9, 1, false),
      conv("grouped", 8, 12, 5, 5, 3, 1, 4, 1, true),
  };
  LayerWorkload fc = conv("fc", 70, 9, 1, 1, 1, 1, 1, 1, false);
  fc.kind = LayerKind::kFullyConnected;
  layers.push_back(fc);
  // What imported models add: dilation, per-axis kernels and strides, asymmetric padding (as
  // SAME_UPPER pads an even input at stride 2), and products of two activations.
  layers.push_back(geometry_conv("dilated3x3_d2", 6, 8, 11, 10, {3, 3}, {1, 1}, {2, 2},
                                 {2, 2, 2, 2}, 1, 1, true));
  layers.push_back(geometry_conv("conv1x7_s2x1", 5, 7, 9, 12, {1, 7}, {2, 1}, {1, 1}, {0, 3, 0, 3},
                                 1, 1, false));
  layers.push_back(geometry_conv("conv3x3_s2_asym_pads", 4, 6, 8, 9, {3, 3}, {2, 2}, {1, 1},
                                 {0, 1, 1, 0}, 1, 2, true));
  layers.push_back(geometry_conv("depthwise_d3_s1x2", 8, 8, 10, 11, {3, 3}, {1, 2}, {3, 2},
                                 {3, 1, 2, 2}, 8, 1, false));
  layers.push_back(matmul("matmul_heads", 3, 7, 9, 5, 2, true));
  for (std::size_t i = 0; i < layers.size(); ++i) layers[i].quant_index = int(i);
  return layers;
}

std::vector<LayerBits> contract_bits() {
  return {{8, 8}, {1, 1}, {2, 3}, {5, 7}, {8, 2}, {3, 8}};
}

std::string describe(const std::string& file, const LayerWorkload& layer, LayerBits bits) {
  return fmt::format("{} {} {} w{}a{} {}", file, layer.name, layer.shape_string(), bits.wbits,
                     bits.abits, layer.input_signed ? "signed" : "unsigned");
}

}  // namespace haqsim::contract
