// One node of a network's layer graph, with the shapes the hardware needs.
//
// Convolutions carry their grouping, so depthwise (groups == in_channels == out_channels) and
// pointwise (1x1, groups == 1) are convolutions whose `kind()` says which they are. Fully
// connected layers are convolutions over a 1x1 map. Shapes are per image; the batch lives in
// the Network.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace haqsim {

enum class LayerOp { kConv, kFullyConnected, kAdd, kAvgPool, kMaxPool };

// What an architect calls the layer in a report.
enum class LayerKind { kConv, kDepthwise, kPointwise, kFullyConnected, kAdd, kPool };

enum class Activation { kNone, kRelu, kRelu6 };

struct Layer {
  std::string name;
  LayerOp op = LayerOp::kConv;
  int in_channels = 0, in_height = 0, in_width = 0;
  int out_channels = 0, out_height = 0, out_width = 0;
  int kernel_h = 1, kernel_w = 1;
  int stride = 1;
  int pad = 0;  // symmetric zero padding
  int groups = 1;
  bool has_bias = true;
  Activation activation = Activation::kNone;  // applied to this layer's output
  std::vector<int> inputs;                    // producer layer indices; -1 is the network input
  int quant_index = -1;  // position among quantizable layers, -1 if not quantizable
  // True when this layer's input has passed a ReLU (so activations are unsigned).
  bool input_unsigned = false;

  bool quantizable() const { return op == LayerOp::kConv || op == LayerOp::kFullyConnected; }
  LayerKind kind() const;
  int64_t macs_per_image() const;
  int64_t weight_count() const;  // excluding bias
  int64_t input_elements() const { return int64_t(in_channels) * in_height * in_width; }
  int64_t output_elements() const { return int64_t(out_channels) * out_height * out_width; }
};

const char* to_string(LayerKind kind);
const char* to_string(LayerOp op);

}  // namespace haqsim
