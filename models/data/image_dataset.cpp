#include "models/data/image_dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "base/input_error.h"
#include "models/data/idx_file.h"
#include "models/data/npy_dataset.h"

namespace haqsim {

void ImageDataset::normalized(int index, const Normalization& norm, float* out) const {
  const uint8_t* src = &pixels[size_t(index) * image_bytes()];
  const int plane = height * width;
  for (int c = 0; c < channels; ++c) {
    const float scale = 1.0f / (255.0f * norm.std[c]);
    const float shift = norm.mean[c] / norm.std[c];
    for (int i = 0; i < plane; ++i) out[c * plane + i] = src[c * plane + i] * scale - shift;
  }
}

std::vector<float> ImageDataset::normalized_batch(const std::vector<int>& indices,
                                                  const Normalization& norm) const {
  std::vector<float> out(indices.size() * image_bytes());
  for (size_t i = 0; i < indices.size(); ++i) {
    normalized(indices[i], norm, &out[i * image_bytes()]);
  }
  return out;
}

ImageDataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
  IdxArray images = read_idx_file(images_path);
  IdxArray labels = read_idx_file(labels_path);
  if (images.dims.size() != 3 && images.dims.size() != 4) {
    throw InputError(InputLocation{images_path, 0, "", 3},
                     "3 (N x H x W) or 4 (N x H x W x C) dims", std::to_string(images.dims.size()));
  }
  if (labels.dims.size() != 1) {
    throw InputError(InputLocation{labels_path, 0, "", 3}, "1 dimension (N labels)",
                     std::to_string(labels.dims.size()));
  }
  if (labels.dims[0] != images.dims[0]) {
    throw InputError(
        InputLocation{labels_path, 0, "", 4},
        fmt::format("{} labels (as many as images in {})", images.dims[0], images_path),
        std::to_string(labels.dims[0]));
  }
  ImageDataset out;
  out.source = images_path;
  const int64_t n = images.dims[0];
  out.height = int(images.dims[1]);
  out.width = int(images.dims[2]);
  out.channels = images.dims.size() == 4 ? int(images.dims[3]) : 1;
  if (out.channels == 1) {
    out.pixels = std::move(images.values);
  } else {
    // Interleaved (H x W x C) on disk; planar (C x H x W) in memory, as the networks read it.
    out.pixels.resize(images.values.size());
    const int64_t plane = int64_t(out.height) * out.width;
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t p = 0; p < plane; ++p) {
        for (int c = 0; c < out.channels; ++c) {
          out.pixels[(i * out.channels + c) * plane + p] =
              images.values[(i * plane + p) * out.channels + c];
        }
      }
    }
  }
  out.labels.assign(labels.values.begin(), labels.values.end());
  return out;
}

ImageDataset fit_to_input(const ImageDataset& data, int resolution, int channels) {
  if (channels != data.channels && !(data.channels == 1 && channels == 3)) {
    throw InputError(InputLocation{data.source, 0, "", -1},
                     fmt::format("images with {} channel(s) (or grayscale)", channels),
                     fmt::format("{} channels", data.channels));
  }
  ImageDataset out;
  out.source = data.source;
  out.channels = channels;
  out.height = out.width = resolution;
  out.labels = data.labels;
  out.pixels.resize(size_t(data.size()) * out.image_bytes());
  const bool pad = resolution >= data.height && resolution >= data.width;
  const int top = (resolution - data.height) / 2, left = (resolution - data.width) / 2;
  const int src_plane = data.height * data.width;
  for (int i = 0; i < data.size(); ++i) {
    for (int c = 0; c < channels; ++c) {
      const uint8_t* src = &data.pixels[size_t(i) * data.image_bytes() +
                                        size_t(data.channels == 1 ? 0 : c) * src_plane];
      uint8_t* dst = &out.pixels[(size_t(i) * channels + c) * resolution * resolution];
      if (pad) {
        // Rows copied into the zeroed plane (the buffer is value-initialized): this runs over
        // all 70,000 Fashion-MNIST images on every command that loads the dataset.
        for (int y = 0; y < data.height; ++y) {
          std::copy_n(src + y * data.width, data.width, dst + (y + top) * resolution + left);
        }
        continue;
      }
      for (int y = 0; y < resolution; ++y) {
        for (int x = 0; x < resolution; ++x) {
          // Bilinear sampling at pixel centres (align_corners = false).
          const float fy = std::clamp((y + 0.5f) * data.height / resolution - 0.5f, 0.0f,
                                      float(data.height - 1));
          const float fx =
              std::clamp((x + 0.5f) * data.width / resolution - 0.5f, 0.0f, float(data.width - 1));
          const int y0 = int(fy), x0 = int(fx);
          const int y1 = std::min(y0 + 1, data.height - 1), x1 = std::min(x0 + 1, data.width - 1);
          const float wy = fy - y0, wx = fx - x0;
          const float v =
              (1 - wy) * ((1 - wx) * src[y0 * data.width + x0] + wx * src[y0 * data.width + x1]) +
              wy * ((1 - wx) * src[y1 * data.width + x0] + wx * src[y1 * data.width + x1]);
          dst[y * resolution + x] = uint8_t(std::lround(v));
        }
      }
    }
  }
  return out;
}

ImageDataset subset(const ImageDataset& data, const std::vector<int>& indices) {
  ImageDataset out;
  out.source = data.source;
  out.channels = data.channels;
  out.height = data.height;
  out.width = data.width;
  out.pixels.resize(indices.size() * data.image_bytes());
  out.labels.resize(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    std::copy_n(&data.pixels[size_t(indices[i]) * data.image_bytes()], data.image_bytes(),
                &out.pixels[i * data.image_bytes()]);
    out.labels[i] = data.labels[indices[i]];
  }
  return out;
}

Normalization compute_normalization(const ImageDataset& data) {
  Normalization norm;
  const int64_t plane = int64_t(data.height) * data.width;
  for (int c = 0; c < data.channels; ++c) {
    // Exact integer sums of the bytes (and their squares): no rounding before the division, and
    // a loop the compiler vectorizes over the 55,000 training images.
    uint64_t sum = 0, sum_sq = 0;
    for (int i = 0; i < data.size(); ++i) {
      const uint8_t* p = &data.pixels[(size_t(i) * data.channels + c) * plane];
      for (int64_t k = 0; k < plane; ++k) {
        sum += p[k];
        sum_sq += uint32_t(p[k]) * p[k];
      }
    }
    const double count = double(data.size()) * plane;
    const double mean = double(sum) / 255.0 / count;
    const double mean_sq = double(sum_sq) / (255.0 * 255.0) / count;
    const double var = std::max(mean_sq - mean * mean, 1e-12);
    norm.mean.push_back(float(mean));
    norm.std.push_back(float(std::sqrt(var)));
  }
  return norm;
}

const char* to_string(Split split) {
  switch (split) {
    case Split::kTrain:
      return "train";
    case Split::kCalibration:
      return "calibration";
    case Split::kValidation:
      return "val";
    case Split::kTest:
      return "test";
  }
  return "?";
}

Split parse_split(const std::string& text) {
  for (Split s : {Split::kTrain, Split::kCalibration, Split::kValidation, Split::kTest}) {
    if (text == to_string(s)) return s;
  }
  throw InputError(InputLocation{"", 0, "--split", -1}, "one of train|calibration|val|test",
                   fmt::format("'{}'", text));
}

const ImageDataset& DataSplits::get(Split split) const {
  switch (split) {
    case Split::kTrain:
      return train;
    case Split::kCalibration:
      return calibration;
    case Split::kValidation:
      return validation;
    case Split::kTest:
      return test;
  }
  return test;
}

namespace {

std::string find_file(const std::string& dir, const std::string& stem) {
  namespace fs = std::filesystem;
  for (const std::string& name : {stem + ".gz", stem}) {
    if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  }
  throw InputError(InputLocation{dir, 0, "", -1},
                   fmt::format("a file {0}.gz or {0} in the dataset directory", stem), "none");
}

}  // namespace

DataSplits load_dataset(const std::string& dataset, int resolution, int channels) {
  const std::string dir = dataset == "fashion-mnist" ? kFashionMnistDir : dataset;
  if (!std::filesystem::is_directory(dir)) {
    throw InputError(InputLocation{"", 0, "--dataset", -1},
                     "'fashion-mnist' or a directory of IDX or .npy files",
                     fmt::format("'{}'", dataset));
  }
  // NumPy arrays when the directory has them, else the IDX files.
  const bool npy = std::filesystem::exists(dir + "/train_images.npy");
  auto load = [&](const char* split, const char* idx_images, const char* idx_labels) {
    return fit_to_input(
        npy ? load_npy_dataset(fmt::format("{}/{}_images.npy", dir, split),
                               fmt::format("{}/{}_labels.npy", dir, split))
            : load_idx_dataset(find_file(dir, idx_images), find_file(dir, idx_labels)),
        resolution, channels);
  };
  ImageDataset full_train = load("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
  const ImageDataset test = load("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
  DataSplits out;
  out.name = dataset;
  const int n = full_train.size();
  const int n_val = n / 12;
  const int n_train = n - n_val;
  if (n_train < 1 || n_val < 1) {
    throw InputError(InputLocation{full_train.source, 0, "", 4}, "at least 12 training images",
                     std::to_string(n));
  }
  std::vector<int> val_idx(n_val), calib_idx;
  for (int i = 0; i < n_val; ++i) val_idx[i] = n_train + i;
  const int step = std::max(1, n_train / kCalibrationImages);
  for (int i = 0; i < n_train && int(calib_idx.size()) < kCalibrationImages; i += step) {
    calib_idx.push_back(i);
  }
  out.validation = subset(full_train, val_idx);
  out.calibration = subset(full_train, calib_idx);
  // The training split is the prefix: keep the loaded images rather than copy 55,000 of them.
  out.train = std::move(full_train);
  out.train.pixels.resize(size_t(n_train) * size_t(out.train.image_bytes()));
  out.train.labels.resize(size_t(n_train));
  out.test = test;
  out.normalization = compute_normalization(out.train);
  int max_label = 0;
  for (const ImageDataset* d : {&out.train, &out.validation, &out.test}) {
    for (int i = 0; i < d->size(); ++i) {
      if (d->labels[i] < 0 || d->labels[i] > 255) {
        throw InputError(InputLocation{d->source, 0, "", -1}, "labels 0..255",
                         std::to_string(d->labels[i]));
      }
      max_label = std::max(max_label, int(d->labels[i]));
    }
  }
  out.classes = max_label + 1;
  return out;
}

}  // namespace haqsim
