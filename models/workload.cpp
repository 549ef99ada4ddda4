#include "models/workload.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

std::string LayerWorkload::shape_string() const {
  return fmt::format("{}x{}x{}>{}x{}x{} k{} s{}", in_height, in_width, in_channels, out_height,
                     out_width, out_channels, kernel_h, stride);
}

LayerWorkload lower_layer(const Layer& layer, int batch) {
  if (!layer.quantizable()) {
    throw std::invalid_argument(fmt::format("layer '{}' is not a conv or fc layer", layer.name));
  }
  LayerWorkload w;
  w.quant_index = layer.quant_index;
  w.name = layer.name;
  w.kind = layer.kind();
  w.batch = batch;
  w.in_channels = layer.in_channels;
  w.in_height = layer.in_height;
  w.in_width = layer.in_width;
  w.out_channels = layer.out_channels;
  w.out_height = layer.out_height;
  w.out_width = layer.out_width;
  w.kernel_h = layer.kernel_h;
  w.kernel_w = layer.kernel_w;
  w.stride = layer.stride;
  w.pad = layer.pad;
  w.groups = layer.groups;
  w.input_signed = !layer.input_unsigned;
  w.gemm_m = layer.out_channels / layer.groups;
  w.gemm_k = int64_t(layer.in_channels / layer.groups) * layer.kernel_h * layer.kernel_w;
  w.gemm_n = int64_t(batch) * layer.out_height * layer.out_width;
  return w;
}

std::vector<LayerWorkload> lower_network(const Network& network) {
  std::vector<LayerWorkload> out;
  for (const Layer* layer : network.quantizable_layers()) {
    out.push_back(lower_layer(*layer, network.spec.batch));
  }
  return out;
}

}  // namespace haqsim
