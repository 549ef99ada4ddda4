// The search's accuracy feedback: top-1 (in percent) of the integer path at a policy, on a fixed
// subset of a data split, optionally after HAQ's short quantization-aware fine-tune.
//
// Every measurement is memoized by (policy, split, images, first image): late in a search the
// agent proposes the same policy many times, and a co-design run measures the same 8-bit,
// uniform and sensitivity policies at every array configuration. With a cache file the memo
// also outlives the process, so the shards of a co-design run (and a resumed one) measure a
// policy once between them. The file is keyed by everything a measurement depends on (weights,
// calibration, the evaluated splits' pixels and labels, the fine-tune), so another model or
// dataset never reads it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/data/image_dataset.h"
#include "models/policy.h"
#include "models/quant/quantization_context.h"

namespace haqsim {
struct FinetuneOptions;  // models/training/quant_aware.h (libtorch behind it)
}  // namespace haqsim

namespace haqsim::search {

struct AccuracyOptions {
  Split split = Split::kValidation;
  int images = 1000;        // first N images of the split (<= 0: all)
  int finetune_images = 0;  // > 0: short fine-tune over this many training images first
  uint64_t seed = 1;        // fine-tuning seed
  // Directory of the persistent memo (accuracy-<key>.memo); empty: this process only.
  std::string cache_dir;
};

class AccuracyOracle {
 public:
  AccuracyOracle(const QuantizationContext& context, AccuracyOptions options);

  // The search's metric: the options' subset. Counted in evaluations() when measured.
  double top1_percent(const Policy& policy);
  // Mean cross-entropy in nats of the integer path at the policy on the search's subset, without
  // the reward's fine-tune (post-training, as HAWQ measures a layer's sensitivity): smoother than
  // top-1, which moves in steps of one image. Counted in evaluations() when measured.
  double loss(const Policy& policy);
  // Same measurement on another subset: `images` images of `split` from image `first` on (the
  // held-out ranking of the finalists, the test-set figure of a found policy).
  double top1_percent(const Policy& policy, Split split, int images, int first = 0);
  // Top-1 on `images` images of `split` after a quantization-aware fine-tune at the policy (the
  // search's final fine-tune of every winner and baseline). Memoized like the others, keyed also
  // by the fine-tune's options, thread count and training images: the same 8-bit and uniform-k
  // baselines recur across the searches of a table, and each fine-tune takes minutes.
  double finetuned_top1_percent(const Policy& policy, const FinetuneOptions& finetune, Split split,
                                int images);

  // Measurements of the search's metric this process made (memo hits excluded).
  int evaluations() const { return evaluations_; }
  // Measurements of any subset this process made, and those answered by the memo file.
  int measurements() const { return measurements_; }
  int cached_answers() const { return cached_answers_; }
  const AccuracyOptions& options() const { return options_; }
  const QuantizationContext& context() const { return context_; }

  // Merges this process's measurements into the cache file (under a lock, so concurrent shards
  // keep each other's). No-op without a cache directory.
  void save_cache() const;
  const std::string& cache_path() const { return cache_path_; }

 private:
  double measure(const Policy& policy, Split split, int images, int first) const;

  const QuantizationContext& context_;
  AccuracyOptions options_;
  std::map<std::string, double> memo_;
  std::map<std::string, double> new_entries_;  // measured by this process, not yet saved
  std::string cache_path_;
  std::string train_key_;  // hash of the training split, computed on the first fine-tune
  int evaluations_ = 0;
  int measurements_ = 0;
  int cached_answers_ = 0;
};

}  // namespace haqsim::search
