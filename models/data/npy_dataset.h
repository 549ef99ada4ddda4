// Labelled images as NumPy .npy arrays (read with xtensor's npy reader): a directory holding
//   train_images.npy  uint8, N x H x W (grayscale) or N x H x W x C (interleaved channels)
//   train_labels.npy  integers (uint8, int32 or int64), N labels 0..classes-1
//   test_images.npy, test_labels.npy   the same for the test split
// as numpy.save writes them (C order). Sizes are checked against the file before anything is
// allocated; a malformed or truncated file is an InputError naming it.
#pragma once

#include <string>

#include "models/data/image_dataset.h"

namespace haqsim {

ImageDataset load_npy_dataset(const std::string& images_path, const std::string& labels_path);

}  // namespace haqsim
