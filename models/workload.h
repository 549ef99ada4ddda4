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
  // Geometry as in Layer: input row = out_row * stride_h - pad_top + kernel_row * dilation_h.
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int groups = 1;
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
  std::string shape_string() const;  // "112x112x32>112x112x64 k1 s1" (k1x7, s2x1, d2 as needed)
  // Rows and columns of the zero-padded input the windows reach: what a machine that copies
  // the input into a padded buffer must allocate (at least in + pads).
  int64_t padded_height() const;
  int64_t padded_width() const;
  // Input rows (columns) a window of `outputs` output rows (columns) spans.
  int64_t window_rows(int64_t outputs) const {
    return (outputs - 1) * stride_h + dilated_kernel_h();
  }
  int64_t window_cols(int64_t outputs) const {
    return (outputs - 1) * stride_w + dilated_kernel_w();
  }
  int64_t dilated_kernel_h() const { return int64_t(kernel_h - 1) * dilation_h + 1; }
  int64_t dilated_kernel_w() const { return int64_t(kernel_w - 1) * dilation_w + 1; }
  // Square kernel, equal strides, no dilation, one padding all round (the zoo's layers).
  bool plain_geometry() const;
  // "s2:p1" for plain geometry (what cost caches have always keyed by), with the per-axis
  // strides, pads and dilations spelled out otherwise.
  std::string geometry_key() const;
};

// The work of a host layer (everything that does not run on the array): what the host cost
// model (sim/common/host_cost_model.h) needs. Elements include the batch.
struct HostWorkload {
  int layer_index = 0;  // in Network::layers
  std::string name;
  LayerKind kind = LayerKind::kAdd;
  std::string op;  // the operator it came from ("Sigmoid", "Concat", "GlobalAveragePool")
  int batch = 1;
  int64_t input_elements = 0;   // tensors and constants read
  int64_t output_elements = 0;  // written
  // Elementary operations (adds, compares, multiplies; a transcendental function counts as
  // kTranscendentalOps), 0 for pure data movement.
  int64_t operations = 0;
  std::string shape;  // "56x56x24>56x56x24", or the ONNX dims "1x197x768>1x197x768"
};

// Operations one transcendental function (exp, erf, tanh, sigmoid, sqrt, division) costs a
// host unit, as a polynomial or table evaluation: a declared weight, not a measurement.
constexpr int64_t kTranscendentalOps = 8;

// Bytes of `elements` values packed at `bits` each.
inline int64_t packed_bytes(int64_t elements, int bits) {
  return (elements * bits + 7) / 8;
}

LayerWorkload lower_layer(const Layer& layer, int batch);
// One workload per quantizable layer, in quantizable-layer order.
std::vector<LayerWorkload> lower_network(const Network& network);
HostWorkload lower_host_layer(const Layer& layer, int layer_index, int batch);
// One workload per host layer, in network order.
std::vector<HostWorkload> lower_host_layers(const Network& network);

}  // namespace haqsim
