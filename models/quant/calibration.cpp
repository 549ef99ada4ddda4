#include "models/quant/calibration.h"

#include <algorithm>
#include <cmath>

namespace haqsim {

CalibrationStats calibrate(const FloatExecutor& executor, const std::vector<float>& images, int n) {
  const Network& net = executor.network();
  const size_t image_size = size_t(net.spec.input_elements());
  CalibrationStats stats;
  stats.images = n;
  stats.outputs.resize(net.layers.size());
  auto slot = [&](int layer) -> AbsHistogram& {
    return layer < 0 ? stats.input : stats.outputs[layer];
  };
  for (int i = 0; i < n; ++i) {
    executor.run_image(&images[i * image_size], [&](int layer, const float* v, size_t count) {
      AbsHistogram& h = slot(layer);
      for (size_t k = 0; k < count; ++k) h.max_abs = std::max(h.max_abs, std::fabs(v[k]));
    });
  }
  for (int layer = -1; layer < int(net.layers.size()); ++layer) {
    slot(layer).counts.assign(kHistogramBins, 0.0);
  }
  for (int i = 0; i < n; ++i) {
    executor.run_image(&images[i * image_size], [&](int layer, const float* v, size_t count) {
      AbsHistogram& h = slot(layer);
      if (h.max_abs <= 0) return;
      const float per_bin = kHistogramBins / h.max_abs;
      for (size_t k = 0; k < count; ++k) {
        const size_t bin = std::min<size_t>(kHistogramBins - 1, size_t(std::fabs(v[k]) * per_bin));
        h.counts[bin] += 1;
      }
    });
  }
  return stats;
}

CalibrationStats calibrate(const FloatExecutor& executor, const ImageDataset& data,
                           const Normalization& norm, int limit) {
  const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
  std::vector<int> idx(n);
  for (int i = 0; i < n; ++i) idx[i] = i;
  return calibrate(executor, data.normalized_batch(idx, norm), n);
}

}  // namespace haqsim
