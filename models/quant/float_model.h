// A trained float network: the zoo layer graph plus per-layer parameters, and the weight file
// format the shipped models (models/pretrained/) use. Torch-free, so the integer reference and
// the simulators can load trained weights without linking libtorch.
//
// Weight file format (little-endian):
//   bytes 0-7   magic "HAQSIMW\0"
//   uint32      format version (1)
//   uint32      value type of every tensor: 1 = float16 (IEEE binary16), 2 = float32
//   uint32      header length L, then L bytes of YAML: model (zoo name), resolution,
//               in_channels, classes, width, first_stride, normalization {mean: [..], std: [..]}
//   uint32      tensor count T, then T tensors, each:
//                 uint32 name length, name bytes ("<layer>.weight", "<layer>.bias",
//                 "<layer>.bn.{weight,bias,running_mean,running_var}")
//                 uint32 rank R, R x uint32 dims, then prod(dims) values
// Conv weights are O x (I/groups) x KH x KW, fc weights O x I; every conv of the zoo is followed
// by a BatchNorm (eps 1e-5) in the trained models. Loading checks every name and shape against
// the zoo network and reports the byte offset of the first problem.
#pragma once

#include <string>
#include <vector>

#include "models/data/image_dataset.h"
#include "models/network.h"

namespace haqsim {

struct BatchNormParams {
  std::vector<float> gamma, beta, mean, var;
  float eps = 1e-5f;
  bool empty() const { return gamma.empty(); }
};

struct FloatLayerParams {
  std::vector<float> weight;  // O x I/g x KH x KW (conv) or O x I (fc); empty for add/pool
  std::vector<float> bias;    // per output channel; empty when the layer has none
  BatchNormParams bn;         // applied after the conv; empty when none

  // Weight and bias with the BatchNorm folded in: w' = w * g / sqrt(v + eps),
  // b' = (b - m) * g / sqrt(v + eps) + beta.
  void folded(int out_channels, std::vector<float>& weight_out, std::vector<float>& bias_out) const;
};

struct FloatModel {
  Network network;
  Normalization normalization;           // of the inputs it was trained on
  std::vector<FloatLayerParams> params;  // indexed like network.layers
};

// Writes atomically. `half` stores float16 (the shipped weights), else float32.
void save_float_model(const FloatModel& model, const std::string& path, bool half);
// Throws InputError (file, byte offset, expected, found) for any malformed or mismatching file.
FloatModel load_float_model(const std::string& path);

// IEEE binary16 conversion, round to nearest even.
uint16_t float_to_half(float value);
float half_to_float(uint16_t value);

}  // namespace haqsim
