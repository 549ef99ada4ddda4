// A quantizable layer lowered to what an accelerator sees: the convolution geometry (for
// machines that loop over it directly, like BitFusion) and its GEMM view after im2col (for
// machines that multiply matrices, like BISMO). Shapes include the batch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/layer.h"
#include "models/network.h"

namespace haqsim {

struct LayerWorkload {
  int quant_index = 0;
  std::string name;
  LayerKind kind = LayerKind::kConv;

  int batch = 1;
  int in_channels = 0, in_height = 0, in_width = 0;
  int out_channels = 0, out_height = 0, out_width = 0;
  int kernel_h = 1, kernel_w = 1, stride = 1, pad = 0, groups = 1;
  bool input_signed = true;  // weights are always signed (symmetric quantization)

  // GEMM view, per group: C[M x N] = W[M x K] x im2col(X)[K x N], for `groups` groups.
  int64_t gemm_m = 0;  // output channels per group
  int64_t gemm_k = 0;  // (input channels per group) x kernel_h x kernel_w
  int64_t gemm_n = 0;  // batch x out_height x out_width

  int64_t macs() const { return groups * gemm_m * gemm_k * gemm_n; }
  int64_t weight_elements() const { return groups * gemm_m * gemm_k; }
  int64_t input_elements() const { return int64_t(batch) * in_channels * in_height * in_width; }
  int64_t im2col_elements() const { return groups * gemm_k * gemm_n; }
  int64_t output_elements() const { return int64_t(batch) * out_channels * out_height * out_width; }
  // How many times im2col replicates each input element on average.
  double im2col_expansion() const { return double(im2col_elements()) / input_elements(); }
  std::string shape_string() const;  // "112x112x32 -> 112x112x64 k1 s1"
};

// Bytes of `elements` values packed at `bits` each.
inline int64_t packed_bytes(int64_t elements, int bits) {
  return (elements * bits + 7) / 8;
}

LayerWorkload lower_layer(const Layer& layer, int batch);
// One workload per quantizable layer, in quantizable-layer order.
std::vector<LayerWorkload> lower_network(const Network& network);

}  // namespace haqsim
