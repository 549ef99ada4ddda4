// A network quantized at a Policy: what the integer reference executes and what the
// accelerator simulators are checked against bit for bit.
//
// Every tensor of the graph (the network input and each layer's output) has one ActQuant:
//   - signedness from the graph: unsigned after a ReLU/ReLU6 (or a pool of such a tensor), signed
//     otherwise (network input, MobileNet-V2 projections, residual sums), as Layer.input_unsigned;
//   - bits: the abits of the quantizable layer that reads it; a tensor that only feeds adds/pools
//     takes the bits their outputs need; with several readers, the most bits any reader needs
//     (a reader given fewer abits gets its input rescaled, see QuantizedLayer::input_rescale);
//     the network output (logits) is kept at 16 bits;
//   - scale: clip / positive levels, the clip chosen from calibration histograms (max for >= 5
//     bits, KL divergence below).
// Conv/fc layers: BatchNorm folded into the weights; weights per output channel symmetric at
// wbits; bias int32 in accumulator units (scale_in * scale_w[o]); requantization per output
// channel by an int32 multiplier and right shift (linear_quantizer.h) to the output tensor's
// ActQuant, clamped to its range (ReLU6 also clamps at round(6 / scale_out)).
// With the k-means weight quantizer (kmeans_quantizer.h) the layer's own weights (BatchNorm not
// folded in) share a codebook: its integer weights are the codebook's grid entries (one per
// weight, by index; negated in a channel whose BatchNorm multiplier is negative) and output
// channel o's weight scale is 2^exponent x |BatchNorm multiplier of o|; everything downstream
// (bias, requantization) is the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/data/image_dataset.h"
#include "models/network.h"
#include "models/policy.h"
#include "models/quant/calibration.h"
#include "models/quant/float_model.h"
#include "models/quant/int_tensor.h"
#include "models/quant/kmeans_quantizer.h"
#include "models/quant/linear_quantizer.h"
#include "models/quant/weight_storage.h"

namespace haqsim {

struct QuantizedLayer {
  int quant_index = 0;
  int layer_index = 0;  // index into Network::layers
  std::string name;
  int wbits = 8, abits = 8;
  bool input_signed = true;

  // O x (I/groups) x KH x KW (fc: O x I), each in [weight_qmin(wbits), weight_qmax(wbits)]
  // (linear) or a codebook entry (kmeans).
  std::vector<int32_t> weights;
  std::vector<float> weight_scales;  // per output channel
  std::vector<int32_t> bias;         // per output channel, in accumulator units

  WeightQuantizer weight_quantizer = WeightQuantizer::kLinear;
  // kmeans: the 2^wbits grid entries (weights[i] is +-one of them), real = entry * 2^exponent.
  std::vector<int32_t> codebook;
  int32_t codebook_exponent = 0;

  ActQuant input;                          // quantization of this layer's input (bits == abits)
  ActQuant output;                         // quantization of this layer's output tensor
  std::vector<FixedPoint> requant;         // per output channel: acc + bias -> output integers
  int32_t output_min = 0, output_max = 0;  // clamp after requantization (activation folded in)

  // When the tensor this layer reads is stored with more bits than `abits` (several readers
  // with different abits), the runner rescales it to `input` first.
  bool needs_input_rescale = false;
  FixedPoint input_rescale;
};

// Requantization of a non-GEMM layer (residual add, average pool; max pool keeps its input's
// quantization and has no parameters).
struct QuantizedOp {
  int layer_index = -1;
  // add: one multiplier per input with a common shift; avgpool: one (includes the 1/(H*W)).
  std::vector<FixedPoint> requant;
  ActQuant output;
  int32_t output_min = 0, output_max = 0;
};

struct QuantizedNetwork {
  Network network;
  Policy policy;
  Normalization normalization;         // of the float inputs the model expects
  ActQuant input;                      // the network input tensor
  std::vector<ActQuant> tensors;       // per layer index: its output tensor
  std::vector<QuantizedLayer> layers;  // per quantizable index
  std::vector<QuantizedOp> ops;        // per layer index (empty requant for conv/fc)

  const QuantizedLayer& quantized(int quant_index) const { return layers.at(quant_index); }
};

// How quantize_network() turns weights into integers.
struct WeightQuantization {
  WeightQuantizer quantizer = WeightQuantizer::kLinear;
  KMeansOptions kmeans;  // for kmeans
};

// Bits the layer's weights are stored in, counted from what it holds: wbits per weight, plus
// (kmeans) its codebook's entries at kCodebookEntryBits and the grid exponent.
int64_t stored_weight_bits(const QuantizedLayer& layer);

// Quantizes a trained model at `policy` using calibration statistics of the same model.
QuantizedNetwork quantize_network(const FloatModel& model, const CalibrationStats& stats,
                                  const Policy& policy, const WeightQuantization& weights = {});

// Seeded synthetic weights (He-normal, BatchNorm identity) for any zoo network, calibrated on
// seeded synthetic inputs: shapes and value ranges like a real model, for simulator checks at
// sizes without trained weights (e.g. 224x224 ImageNet shapes).
FloatModel make_synthetic_float_model(const Network& network, uint64_t seed);
QuantizedNetwork make_synthetic_quantized_network(const Network& network, const Policy& policy,
                                                  uint64_t seed);
// `batch` synthetic normalized float images (standard normal), C x H x W each.
std::vector<float> make_synthetic_images(const NetworkSpec& spec, int batch, uint64_t seed);
// `batch` synthetic input images already quantized to the network's input ActQuant.
IntTensor make_synthetic_input(const QuantizedNetwork& qnet, int batch, uint64_t seed);

// Normalized float images (N x C x H x W) to the integer network input.
IntTensor quantize_input(const QuantizedNetwork& qnet, const std::vector<float>& images, int n);

}  // namespace haqsim
