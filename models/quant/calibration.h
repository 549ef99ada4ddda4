// Activation statistics for choosing quantization ranges: a histogram of |x| for the network
// input and every layer's output, gathered by float inference over calibration images. Computed
// once per model; quantize_network() then picks clip values for any policy from them.
#pragma once

#include <vector>

#include "models/quant/float_executor.h"
#include "models/quant/linear_quantizer.h"

namespace haqsim {

struct CalibrationStats {
  AbsHistogram input;                 // the network input
  std::vector<AbsHistogram> outputs;  // per layer index
  int images = 0;
};

constexpr int kHistogramBins = 2048;

// Two passes over `n` images (C x H x W each, back to back): maxima, then histograms.
CalibrationStats calibrate(const FloatExecutor& executor, const std::vector<float>& images, int n);
// The first `limit` images of `data` (all when <= 0).
CalibrationStats calibrate(const FloatExecutor& executor, const ImageDataset& data,
                           const Normalization& norm, int limit = 0);

}  // namespace haqsim
