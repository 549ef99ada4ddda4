#include "models/training/batches.h"

#include <algorithm>

namespace haqsim {

Batch make_batch(const ImageDataset& data, const Normalization& norm,
                 const std::vector<int>& indices, std::mt19937_64* rng, int shift) {
  const int n = int(indices.size()), c = data.channels, h = data.height, w = data.width;
  torch::Tensor images = torch::empty({n, c, h, w}, torch::kFloat);
  torch::Tensor labels = torch::empty({n}, torch::kLong);
  float* dst = images.data_ptr<float>();
  int64_t* lab = labels.data_ptr<int64_t>();
  std::vector<float> plain(data.image_bytes());
  // The value a zero (background) pixel normalizes to, used to fill shifted-in borders.
  std::vector<float> background(c);
  for (int ch = 0; ch < c; ++ch) background[ch] = -norm.mean[ch] / norm.std[ch];
  for (int i = 0; i < n; ++i) {
    lab[i] = data.labels[indices[i]];
    float* out = dst + size_t(i) * data.image_bytes();
    if (!rng) {
      data.normalized(indices[i], norm, out);
      continue;
    }
    data.normalized(indices[i], norm, plain.data());
    std::uniform_int_distribution<int> offset(-shift, shift);
    const int dy = offset(*rng), dx = offset(*rng);
    const bool flip = std::uniform_int_distribution<int>(0, 1)(*rng) == 1;
    for (int ch = 0; ch < c; ++ch) {
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          const int sy = y + dy, sx0 = x + dx;
          const int sx = flip ? w - 1 - sx0 : sx0;
          const bool inside = sy >= 0 && sy < h && sx0 >= 0 && sx0 < w;
          out[(ch * h + y) * w + x] = inside ? plain[(ch * h + sy) * w + sx] : background[ch];
        }
      }
    }
  }
  return {images, labels};
}

double evaluate_top1(torch::nn::Module& module,
                     const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                     const ImageDataset& data, const Normalization& norm, int limit,
                     int batch_size) {
  const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
  if (n == 0) return 0.0;
  const bool was_training = module.is_training();
  module.eval();
  torch::NoGradGuard no_grad;
  int64_t correct = 0;
  for (int first = 0; first < n; first += batch_size) {
    std::vector<int> idx;
    for (int i = first; i < std::min(n, first + batch_size); ++i) idx.push_back(i);
    Batch b = make_batch(data, norm, idx);
    correct += forward(b.images).argmax(1).eq(b.labels).sum().item<int64_t>();
  }
  module.train(was_training);
  return double(correct) / n;
}

}  // namespace haqsim
