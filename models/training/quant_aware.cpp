#include "models/training/quant_aware.h"

#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <optional>
#include <random>

#include "models/quant/integer_executor.h"
#include "models/training/batches.h"
#include "models/training/codebook_finetune.h"

namespace haqsim {

namespace {

// x + (quantize(x) - x).detach(): quantized forward, identity gradient.
torch::Tensor straight_through(const torch::Tensor& x, const torch::Tensor& quantized) {
  return x + (quantized - x).detach();
}

torch::Tensor fake_quantize_activation(const torch::Tensor& x, const ActQuant& q) {
  torch::Tensor levels = torch::clamp(torch::round(x / q.scale), q.qmin(), q.qmax());
  return straight_through(x, levels * q.scale);
}

// Per-output-channel weight scales ([out, 1]) as quantize_weights() sets them.
torch::Tensor weight_scales(const torch::Tensor& w, int bits, float clip_ratio) {
  torch::Tensor flat = w.detach().reshape({w.size(0), -1});
  torch::Tensor channel_max = std::get<0>(flat.abs().max(1, /*keepdim=*/true));
  torch::Tensor scale = channel_max * clip_ratio / weight_levels(bits);
  return torch::where(scale > 0, scale, torch::ones_like(scale));
}

torch::Tensor fake_quantize_weight(const torch::Tensor& w, int bits, float clip_ratio) {
  const torch::Tensor scale = weight_scales(w, bits, clip_ratio);
  torch::Tensor flat = w.reshape({w.size(0), -1});
  torch::Tensor q =
      torch::clamp(torch::round(flat / scale), weight_qmin(bits), weight_qmax(bits)) * scale;
  return straight_through(w, q.reshape(w.sizes()));
}

// The int32 bias of the integer path: round(b / (input scale x weight scale)), back in real units.
// Its rounding moves a pre-activation by up to half an accumulator unit, which at 4 bits is a
// good fraction of an output level, so fine-tuning must see it.
torch::Tensor fake_quantize_bias(const torch::Tensor& b, const torch::Tensor& w, int bits,
                                 float clip_ratio, float input_scale) {
  const torch::Tensor scale = weight_scales(w, bits, clip_ratio).reshape({-1}) * input_scale;
  const double limit = 2147483647.0;
  torch::Tensor q = torch::clamp(torch::round(b / scale), -limit, limit) * scale;
  return straight_through(b, q);
}

// The clip ratio quantize_weights() uses for a layer: derived from its scales, since
// scale * levels = ratio * channel max.
float clip_ratio(const std::vector<float>& folded_weights, int out_channels, int bits) {
  std::vector<float> scales;
  quantize_weights(folded_weights, out_channels, bits, scales);
  const size_t per = folded_weights.size() / out_channels;
  for (int o = 0; o < out_channels; ++o) {
    float m = 0;
    for (size_t k = 0; k < per; ++k) m = std::max(m, std::fabs(folded_weights[o * per + k]));
    if (m > 0) return scales[o] * weight_levels(bits) / m;
  }
  return 1.0f;
}

}  // namespace

FakeQuantizer::FakeQuantizer(const QuantizationContext& ctx, const Policy& policy)
    : reference_(ctx.quantize(policy)) {
  const Network& network = ctx.model.network;
  clip_ratios_.assign(network.quantizable_count(), 1.0f);
  for (int i = 0; i < network.quantizable_count(); ++i) {
    const Layer& l = network.quantizable(i);
    std::vector<float> w, b;
    ctx.model.params[reference_.layers[i].layer_index].folded(l.out_channels, w, b);
    clip_ratios_[i] = clip_ratio(w, l.out_channels, policy.layers[i].wbits);
  }
  hooks_.fold_bn = true;
  hooks_.input = [this](int index, const torch::Tensor& x) {
    return fake_quantize_activation(x, reference_.layers[index].input);
  };
  if (ctx.weight_quantization.quantizer == WeightQuantizer::kKMeans) {
    // The weights hold their centroids already (CodebookTrainer); the integer bias is in units
    // of input scale x the codebook layer's channel weight scale.
    hooks_.bias = [this](int index, const torch::Tensor& b, const torch::Tensor&) {
      const QuantizedLayer& ql = reference_.layers[index];
      const torch::Tensor scale =
          from_vector(ql.weight_scales, {int64_t(ql.weight_scales.size())}) * ql.input.scale;
      const double limit = 2147483647.0;
      return straight_through(b, torch::clamp(torch::round(b / scale), -limit, limit) * scale);
    };
  } else {
    hooks_.weight = [this](int index, const torch::Tensor& w) {
      return fake_quantize_weight(w, reference_.layers[index].wbits, clip_ratios_[index]);
    };
    hooks_.bias = [this](int index, const torch::Tensor& b, const torch::Tensor& w) {
      const QuantizedLayer& ql = reference_.layers[index];
      return fake_quantize_bias(b, w, ql.wbits, clip_ratios_[index], ql.input.scale);
    };
  }
  hooks_.output = [this](int index, const torch::Tensor& y) {
    // A max pool passes its input's levels through unchanged (reference_.tensors shares them).
    if (reference_.network.layers[index].op == LayerOp::kMaxPool) return y;
    return fake_quantize_activation(y, reference_.tensors[index]);
  };
}

FloatModel finetune_quantized(TorchNetwork& net, const QuantizationContext& ctx,
                              const Policy& policy, const FinetuneOptions& o) {
  const FakeQuantizer quantizer(ctx, policy);
  const TorchNetworkImpl::QuantHooks& hooks = quantizer.hooks();

  torch::manual_seed(o.seed);
  std::mt19937_64 rng(o.seed);
  const ImageDataset& train = ctx.data.train;
  const int per_epoch =
      o.images_per_epoch > 0 ? std::min(o.images_per_epoch, train.size()) : train.size();
  const int64_t steps_per_epoch = (per_epoch + o.batch_size - 1) / o.batch_size;
  const int64_t total = steps_per_epoch * o.epochs;
  // BatchNorm parameters are folded with frozen statistics; only conv/fc weights, BN affine and
  // fc bias train. With k-means weights the codebooks' centroids train instead of the weights.
  std::optional<CodebookTrainer> codebooks;
  if (ctx.weight_quantization.quantizer == WeightQuantizer::kKMeans) {
    codebooks.emplace(net, ctx, policy);
  }
  std::vector<torch::Tensor> trained;
  for (const torch::Tensor& p : net->parameters()) {
    if (!codebooks || !codebooks->owns(p)) trained.push_back(p);
  }
  if (codebooks)
    trained.insert(trained.end(), codebooks->centroids().begin(), codebooks->centroids().end());
  torch::optim::AdamW optimizer(trained, torch::optim::AdamWOptions(o.lr).weight_decay(0.0));
  net->eval();  // BN running statistics stay as calibrated
  std::vector<int> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  int64_t step = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0;
    int64_t seen = 0, correct = 0;
    for (int64_t s = 0; s < steps_per_epoch; ++s, ++step) {
      const int first = int(s * o.batch_size);
      std::vector<int> idx(order.begin() + first,
                           order.begin() + std::min<int64_t>(per_epoch, first + o.batch_size));
      Batch b = make_batch(train, ctx.data.normalization, idx, &rng);
      const double lr =
          0.5 * o.lr * (1 + std::cos(M_PI * double(step) / std::max<int64_t>(1, total)));
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
      }
      optimizer.zero_grad();
      torch::Tensor logits = net->run(b.images, &hooks);
      torch::Tensor loss = torch::nn::functional::cross_entropy(logits, b.labels);
      loss.backward();
      if (codebooks) codebooks->gather_gradients();
      optimizer.step();
      if (codebooks) codebooks->write_weights();
      loss_sum += loss.item<double>() * idx.size();
      correct += logits.argmax(1).eq(b.labels).sum().item<int64_t>();
      seen += int64_t(idx.size());
      if (o.log && (s + 1) % 50 == 0) {
        o.log(fmt::format("finetune epoch {} step {}/{} loss {:.4f} train_top1 {:.4f}", epoch,
                          s + 1, steps_per_epoch, loss_sum / seen, double(correct) / seen));
      }
    }
    if (o.log) {
      o.log(fmt::format("finetune epoch {} done: loss {:.4f} train_top1 {:.4f}", epoch,
                        loss_sum / std::max<int64_t>(1, seen),
                        double(correct) / std::max<int64_t>(1, seen)));
    }
    if (!o.checkpoint.empty()) {
      save_float_model(net->to_float_model(ctx.model.normalization), o.checkpoint, false);
    }
  }
  return net->to_float_model(ctx.model.normalization);
}

QuantizedNetwork quantize_finetuned(const FloatModel& finetuned, const QuantizationContext& ctx,
                                    const Policy& policy) {
  return quantize_network(finetuned, ctx.stats, policy, ctx.weight_quantization);
}

double finetuned_integer_top1(const QuantizationContext& ctx, const Policy& policy,
                              const FinetuneOptions& options, Split split, int eval_images,
                              int first_image) {
  TorchNetwork net(ctx.model.network);
  net->load_float_model(ctx.model);
  const FloatModel tuned = finetune_quantized(net, ctx, policy, options);
  return integer_top1(quantize_finetuned(tuned, ctx, policy), ctx.data.get(split), eval_images,
                      first_image);
}

int finetune_threads() {
  return torch::get_num_threads();
}

}  // namespace haqsim
