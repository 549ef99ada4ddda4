// Mini-batches as torch tensors from an ImageDataset, with the light augmentation used for
// training (random shift by up to `shift` pixels with zero fill, random horizontal flip).
#pragma once

#include <torch/torch.h>

#include <random>
#include <vector>

#include "models/data/image_dataset.h"

namespace haqsim {

struct Batch {
  torch::Tensor images;  // N x C x H x W, normalized float
  torch::Tensor labels;  // N, int64
};

// Images `indices` of `data`; augmentation is applied when `rng` is given.
Batch make_batch(const ImageDataset& data, const Normalization& norm,
                 const std::vector<int>& indices, std::mt19937_64* rng = nullptr, int shift = 2);

// Float top-1 (fraction) of the network's logits over the first `limit` images (all if <= 0).
double evaluate_top1(torch::nn::Module& module,
                     const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                     const ImageDataset& data, const Normalization& norm, int limit = 0,
                     int batch_size = 250);

}  // namespace haqsim
