#include "models/layer.h"

namespace haqsim {

LayerKind Layer::kind() const {
  switch (op) {
    case LayerOp::kFullyConnected:
      return LayerKind::kFullyConnected;
    case LayerOp::kAdd:
      return LayerKind::kAdd;
    case LayerOp::kAvgPool:
    case LayerOp::kMaxPool:
      return LayerKind::kPool;
    case LayerOp::kConv:
      if (groups > 1 && groups == in_channels && groups == out_channels) {
        return LayerKind::kDepthwise;
      }
      if (kernel_h == 1 && kernel_w == 1 && groups == 1) return LayerKind::kPointwise;
      return LayerKind::kConv;
  }
  return LayerKind::kConv;
}

int64_t Layer::weight_count() const {
  if (!quantizable()) return 0;
  return int64_t(out_channels) * (in_channels / groups) * kernel_h * kernel_w;
}

int64_t Layer::macs_per_image() const {
  if (!quantizable()) return 0;
  return weight_count() * out_height * out_width;
}

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kDepthwise:
      return "dwconv";
    case LayerKind::kPointwise:
      return "pwconv";
    case LayerKind::kFullyConnected:
      return "fc";
    case LayerKind::kAdd:
      return "add";
    case LayerKind::kPool:
      return "pool";
  }
  return "?";
}

const char* to_string(LayerOp op) {
  switch (op) {
    case LayerOp::kConv:
      return "Conv";
    case LayerOp::kFullyConnected:
      return "FullyConnected";
    case LayerOp::kAdd:
      return "Add";
    case LayerOp::kAvgPool:
      return "AvgPool";
    case LayerOp::kMaxPool:
      return "MaxPool";
  }
  return "?";
}

}  // namespace haqsim
