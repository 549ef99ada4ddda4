#include "models/quant/quantized_network.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "models/quant/integer_executor.h"

namespace haqsim {

namespace {

constexpr int kLogitBits = 16;

ActQuant make_quant(const AbsHistogram& h, int bits, bool is_signed) {
  ActQuant q;
  q.bits = bits;
  q.is_signed = is_signed;
  const float clip = choose_clip(h, q.levels(), bits);
  q.scale = clip > 0 ? clip / q.levels() : 1.0f;
  return q;
}

int32_t saturate_int32(double v) {
  return int32_t(std::clamp(std::nearbyint(v), double(std::numeric_limits<int32_t>::min()),
                            double(std::numeric_limits<int32_t>::max())));
}

// k-means clusters the layer's own weights, BatchNorm not folded in (as HAQ's and Deep
// Compression's codebooks do: folding scales every output channel differently, and one codebook
// for the layer would then fit its largest channels only). The BatchNorm's per-channel
// multiplier g = gamma / sqrt(var + eps) goes into the channel's weight scale, 2^exponent x |g|
// (its sign into the channel's integer weights, negated entries), so the integer layer computes
// the folded layer on the codebook's weights. A channel with g = 0 has zero weights.
void quantize_codebook_layer(const FloatLayerParams& params, int out_channels,
                             const KMeansOptions& options, QuantizedLayer& ql) {
  GridCodebook g =
      quantize_weights_kmeans(params.weight, out_channels, ql.wbits, ql.input.bits, options);
  const size_t per = params.weight.size() / size_t(out_channels);
  ql.weights.resize(params.weight.size());
  ql.weight_scales.resize(out_channels);
  for (int o = 0; o < out_channels; ++o) {
    const float bn =
        params.bn.empty() ? 1.0f : params.bn.gamma[o] / std::sqrt(params.bn.var[o] + params.bn.eps);
    const int32_t sign = bn < 0 ? -1 : bn > 0 ? 1 : 0;
    ql.weight_scales[o] = std::ldexp(bn == 0 ? 1.0f : std::fabs(bn), g.exponent);
    for (size_t k = o * per; k < (o + 1) * per; ++k) ql.weights[k] = sign * g.entries[g.indices[k]];
  }
  ql.codebook = std::move(g.entries);
  ql.codebook_exponent = g.exponent;
}

}  // namespace

int64_t stored_weight_bits(const QuantizedLayer& l) {
  int64_t bits = int64_t(l.weights.size()) * l.wbits;
  if (l.weight_quantizer == WeightQuantizer::kKMeans) {
    bits += int64_t(l.codebook.size()) * kCodebookEntryBits + kCodebookExponentBits;
  }
  return bits;
}

QuantizedNetwork quantize_network(const FloatModel& model, const CalibrationStats& stats,
                                  const Policy& policy, const WeightQuantization& wq) {
  const Network& net = model.network;
  const int n_layers = int(net.layers.size());
  if (int(policy.layers.size()) != net.quantizable_count()) {
    throw std::invalid_argument(fmt::format("policy has {} layers, {} has {}", policy.layers.size(),
                                            net.name, net.quantizable_count()));
  }
  if (int(stats.outputs.size()) != n_layers) {
    throw std::invalid_argument("calibration statistics belong to another network");
  }
  for (const Layer& l : net.layers) {
    const std::string why = integer_reference_unsupported(l);
    if (!why.empty()) {
      throw std::invalid_argument(net.name + ": the integer reference cannot run " + why);
    }
  }
  QuantizedNetwork q;
  q.network = net;
  q.policy = policy;
  q.normalization = model.normalization;

  // Readers of each tensor; slot 0 is the network input, slot i+1 layer i's output.
  std::vector<std::vector<int>> readers(n_layers + 1);
  for (int i = 0; i < n_layers; ++i) {
    for (int src : net.layers[i].inputs) readers[src + 1].push_back(i);
  }
  // Bits each tensor needs, from its readers (reverse topological order).
  std::vector<int> need(n_layers + 1, kLogitBits);
  for (int t = n_layers; t >= 0; --t) {
    if (readers[t].empty()) continue;
    int bits = 0;
    for (int r : readers[t]) {
      const Layer& l = net.layers[r];
      bits = std::max(bits, l.quantizable() ? policy.layers[l.quant_index].abits : need[r + 1]);
    }
    need[t] = bits;
  }
  auto histogram = [&](int src) -> const AbsHistogram& {
    return src < 0 ? stats.input : stats.outputs[src];
  };
  q.input = make_quant(stats.input, need[0], /*is_signed=*/true);
  q.tensors.resize(n_layers);
  for (int i = 0; i < n_layers; ++i) {
    const Layer& l = net.layers[i];
    if (l.op == LayerOp::kMaxPool) {  // max commutes with a monotonic quantizer
      const int src = l.inputs.front();
      q.tensors[i] = src < 0 ? q.input : q.tensors[src];
    } else {
      q.tensors[i] = make_quant(stats.outputs[i], need[i + 1], !produces_unsigned(net, i));
    }
  }
  auto tensor = [&](int src) -> const ActQuant& { return src < 0 ? q.input : q.tensors[src]; };
  auto clamp_range = [](const Layer& l, const ActQuant& out, int32_t& lo, int32_t& hi) {
    lo = out.qmin();
    hi = out.qmax();
    if (l.activation != Activation::kNone) lo = std::max(lo, 0);
    if (l.activation == Activation::kRelu6) {
      hi = std::min<int64_t>(hi, std::llround(6.0 / out.scale));
    }
  };

  q.ops.resize(n_layers);
  for (int i = 0; i < n_layers; ++i) {
    const Layer& l = net.layers[i];
    q.ops[i].layer_index = i;
    if (l.quantizable()) {
      QuantizedLayer ql;
      ql.quant_index = l.quant_index;
      ql.layer_index = i;
      ql.name = l.name;
      ql.wbits = policy.layers[l.quant_index].wbits;
      ql.abits = policy.layers[l.quant_index].abits;
      const int src = l.inputs.front();
      const ActQuant& stored = tensor(src);
      ql.input_signed = stored.is_signed;
      if (stored.bits == ql.abits) {
        ql.input = stored;
      } else {
        ql.input = make_quant(histogram(src), ql.abits, stored.is_signed);
        ql.needs_input_rescale = true;
        ql.input_rescale = to_fixed_point(double(stored.scale) / ql.input.scale);
      }
      std::vector<float> w, b;
      model.params[i].folded(l.out_channels, w, b);
      ql.weight_quantizer = wq.quantizer;
      if (wq.quantizer == WeightQuantizer::kKMeans) {
        quantize_codebook_layer(model.params[i], l.out_channels, wq.kmeans, ql);
      } else {
        ql.weights = quantize_weights(w, l.out_channels, ql.wbits, ql.weight_scales);
      }
      ql.output = q.tensors[i];
      clamp_range(l, ql.output, ql.output_min, ql.output_max);
      ql.bias.resize(l.out_channels);
      ql.requant.resize(l.out_channels);
      for (int o = 0; o < l.out_channels; ++o) {
        const double acc_scale = double(ql.input.scale) * ql.weight_scales[o];
        ql.bias[o] = saturate_int32(b[o] / acc_scale);
        ql.requant[o] = to_fixed_point(acc_scale / ql.output.scale);
      }
      q.layers.push_back(std::move(ql));
      continue;
    }
    QuantizedOp& op = q.ops[i];
    op.output = q.tensors[i];
    clamp_range(l, op.output, op.output_min, op.output_max);
    if (l.op == LayerOp::kAdd) {
      const double ma = tensor(l.inputs[0]).scale / double(op.output.scale);
      const double mb = tensor(l.inputs[1]).scale / double(op.output.scale);
      // One shift for both inputs, set by the larger multiplier.
      const FixedPoint big = to_fixed_point(std::max(ma, mb));
      for (double m : {ma, mb}) {
        op.requant.push_back({int32_t(std::llround(std::ldexp(m, big.shift))), big.shift});
      }
    } else if (l.op == LayerOp::kConcat) {
      for (int src : l.inputs) {
        op.requant.push_back(to_fixed_point(tensor(src).scale / double(op.output.scale)));
      }
    } else if (l.op == LayerOp::kAvgPool) {
      const double m =
          tensor(l.inputs[0]).scale / (double(op.output.scale) * l.in_height * l.in_width);
      op.requant.push_back(to_fixed_point(m));
    }
  }
  return q;
}

FloatModel make_synthetic_float_model(const Network& network, uint64_t seed) {
  FloatModel model;
  model.network = network;
  model.normalization.mean.assign(network.spec.in_channels, 0.0f);
  model.normalization.std.assign(network.spec.in_channels, 1.0f);
  model.params.resize(network.layers.size());
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (size_t i = 0; i < network.layers.size(); ++i) {
    const Layer& l = network.layers[i];
    if (!l.quantizable()) continue;
    FloatLayerParams& p = model.params[i];
    const int64_t fan_in = l.weight_count() / l.out_channels;
    // He-normal keeps activations in a stable range through ReLU layers; fc and linear
    // projections use 1/fan_in so residual sums do not grow block by block.
    const float gain = l.activation == Activation::kNone ? 1.0f : 2.0f;
    const float std = std::sqrt(gain / float(fan_in));
    p.weight.resize(l.weight_count());
    for (float& v : p.weight) v = normal(rng) * std;
    p.bias.resize(l.out_channels);
    for (float& v : p.bias) v = 0.1f * normal(rng);
  }
  return model;
}

std::vector<float> make_synthetic_images(const NetworkSpec& spec, int batch, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> images(size_t(batch) * spec.input_elements());
  for (float& v : images) v = normal(rng);
  return images;
}

QuantizedNetwork make_synthetic_quantized_network(const Network& network, const Policy& policy,
                                                  uint64_t seed) {
  const FloatModel model = make_synthetic_float_model(network, seed);
  const FloatExecutor executor(model);
  const int calibration_images = 2;
  const CalibrationStats stats =
      calibrate(executor, make_synthetic_images(network.spec, calibration_images, seed ^ 0x5eed),
                calibration_images);
  return quantize_network(model, stats, policy);
}

IntTensor quantize_input(const QuantizedNetwork& qnet, const std::vector<float>& images, int n) {
  const NetworkSpec& s = qnet.network.spec;
  IntTensor t(n, s.in_channels, s.input_height(), s.input_width());
  if (images.size() < t.size()) throw std::invalid_argument("fewer image values than images");
  for (size_t k = 0; k < t.size(); ++k) t.data[k] = qnet.input.quantize(images[k]);
  return t;
}

IntTensor make_synthetic_input(const QuantizedNetwork& qnet, int batch, uint64_t seed) {
  return quantize_input(qnet, make_synthetic_images(qnet.network.spec, batch, seed), batch);
}

}  // namespace haqsim
