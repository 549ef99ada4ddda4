#include "search/accuracy_oracle.h"

#include "models/quant/integer_executor.h"
#include "models/training/quant_aware.h"

namespace haqsim::search {

namespace {

std::vector<int> key_of(const Policy& policy) {
  std::vector<int> key;
  key.reserve(policy.layers.size() * 2);
  for (const LayerBits& b : policy.layers) {
    key.push_back(b.wbits);
    key.push_back(b.abits);
  }
  return key;
}

}  // namespace

AccuracyOracle::AccuracyOracle(const QuantizationContext& context, AccuracyOptions options)
    : context_(context), options_(options) {}

double AccuracyOracle::top1_percent(const Policy& policy) {
  const std::vector<int> key = key_of(policy);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const double top1 = top1_percent(policy, options_.split, options_.images);
  ++evaluations_;
  memo_[key] = top1;
  return top1;
}

double AccuracyOracle::top1_percent(const Policy& policy, Split split, int images,
                                    int first) const {
  if (options_.finetune_images > 0) {
    FinetuneOptions ft;
    ft.epochs = 1;
    ft.images_per_epoch = options_.finetune_images;
    ft.seed = options_.seed;
    return 100.0 * finetuned_integer_top1(context_, policy, ft, split, images, first);
  }
  const QuantizedNetwork q = context_.quantize(policy);
  return 100.0 * integer_top1(q, context_.data.get(split), images, first);
}

}  // namespace haqsim::search
