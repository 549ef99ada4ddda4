// Quantization-aware fine-tuning at a Policy with the integer path's own quantizers and a
// straight-through estimator (HAQ's fine-tuning):
//   - BatchNorm folded into the conv with its running statistics (frozen), as in the integer
//     path, so the weight quantizer sees the weights that will be quantized;
//   - weights: per-output-channel symmetric at wbits, clip = channel max times the layer's clip
//     ratio (1 for >= 5 bits, the KL-divergence ratio below, fixed at the start);
//   - every tensor the integer path stores (each layer's output, after its activation) and each
//     quantizable layer's input: the QuantizedNetwork's ActQuants at this policy (calibrated
//     scale, bits, signedness), kept fixed during fine-tuning. Quantizing the stored tensors too,
//     not only the layers' inputs, matters where a tensor reaches a layer through a pool or an
//     add: the integer path rounds the pool's or the add's inputs as well as its output.
// Afterwards the model is quantized again with the same activation scales, so the integer path
// sees exactly the ranges fine-tuning adapted to.
// With k-means weights (ctx.weight_quantization) the codebooks' centroids are trained instead
// of the weights, by Deep Compression's rule (codebook_finetune.h); the activations, bias and
// BatchNorm are handled as above, and the fine-tuned weights, holding at most 2^wbits distinct
// values per layer, cluster back to exactly the trained centroids.
#pragma once

#include <functional>
#include <string>

#include "models/quant/quantization_context.h"
#include "models/training/float_training.h"
#include "models/training/torch_network.h"

namespace haqsim {

struct FinetuneOptions {
  int epochs = 1;
  int images_per_epoch = 20000;  // HAQ's short fine-tune: one pass over a 20k-image subset
  int batch_size = 64;
  double lr = 1e-4;  // AdamW, cosine decay to zero, no weight decay
  uint64_t seed = 1;
  std::string checkpoint;  // float32 weight file rewritten after every epoch (empty: none)
  std::function<void(const std::string&)> log;
};

// The fake quantizers of one policy, as TorchNetwork hooks (input and weight quantization with a
// straight-through gradient, BatchNorm folded).
class FakeQuantizer {
 public:
  FakeQuantizer(const QuantizationContext& ctx, const Policy& policy);
  FakeQuantizer(const FakeQuantizer&) = delete;  // the hooks point into this object
  FakeQuantizer& operator=(const FakeQuantizer&) = delete;
  const TorchNetworkImpl::QuantHooks& hooks() const { return hooks_; }
  const QuantizedNetwork& reference() const { return reference_; }

 private:
  QuantizedNetwork reference_;  // the integer network at this policy (activation scales)
  std::vector<float> clip_ratios_;
  TorchNetworkImpl::QuantHooks hooks_;
};

// Fine-tunes `net` in place; returns the fine-tuned float model.
FloatModel finetune_quantized(TorchNetwork& net, const QuantizationContext& ctx,
                              const Policy& policy, const FinetuneOptions& options);

// The fine-tuned model quantized with the activation scales fine-tuning used.
QuantizedNetwork quantize_finetuned(const FloatModel& finetuned, const QuantizationContext& ctx,
                                    const Policy& policy);

// Accuracy oracle helper: short fine-tune from the context's model, then integer top-1 on
// `eval_images` images of `split` from image `first_image` on.
double finetuned_integer_top1(const QuantizationContext& ctx, const Policy& policy,
                              const FinetuneOptions& options, Split split, int eval_images,
                              int first_image = 0);

// The intra-op threads a fine-tune runs on (libtorch's setting): part of what its result may
// depend on, so memos of fine-tuned accuracies record it.
int finetune_threads();

}  // namespace haqsim
