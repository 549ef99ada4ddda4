// The search's accuracy feedback: top-1 (in percent) of the integer path at a policy, on a fixed
// subset of a data split, optionally after HAQ's short quantization-aware fine-tune. Results are
// memoized per policy: late in a search the agent proposes the same policy many times.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/data/image_dataset.h"
#include "models/policy.h"
#include "models/quant/quantization_context.h"

namespace haqsim::search {

struct AccuracyOptions {
  Split split = Split::kValidation;
  int images = 1000;        // first N images of the split (<= 0: all)
  int finetune_images = 0;  // > 0: short fine-tune over this many training images first
  uint64_t seed = 1;        // fine-tuning seed
};

class AccuracyOracle {
 public:
  AccuracyOracle(const QuantizationContext& context, AccuracyOptions options);

  double top1_percent(const Policy& policy);
  // Same measurement on another subset: `images` images of `split` from image `first` on (the
  // held-out ranking of the finalists, the test-set figure of a found policy). Not memoized.
  double top1_percent(const Policy& policy, Split split, int images, int first = 0) const;

  int evaluations() const { return evaluations_; }
  const AccuracyOptions& options() const { return options_; }

 private:
  const QuantizationContext& context_;
  AccuracyOptions options_;
  std::map<std::vector<int>, double> memo_;
  int evaluations_ = 0;
};

}  // namespace haqsim::search
