// Labelled image datasets at a model's input resolution, and the splits training, calibration
// and evaluation use.
//
// Images are kept as bytes (N x C x H x W, already padded/resized to the model's resolution) and
// normalized on the way out, so a whole Fashion-MNIST copy costs ~70 MB instead of ~280 MB.
//
// Data format for users' own datasets: a directory holding the four IDX files that MNIST-style
// datasets use (each may be gzip-compressed with a ".gz" suffix, or raw):
//   train-images-idx3-ubyte  N x H x W (grayscale) or N x H x W x C (interleaved channels), uint8
//   train-labels-idx1-ubyte  N labels, uint8, 0..classes-1
//   t10k-images-idx3-ubyte   test images, same layout
//   t10k-labels-idx1-ubyte   test labels
// Splits are deterministic: validation = the last 1/12 of the training file (5,000 of
// Fashion-MNIST's 60,000), train = the rest, calibration = every k-th training image
// (1,000 images), test = the t10k files. Normalization (per-channel mean/std of the train split,
// pixel/255) is computed from the data, so no constants are hidden in code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace haqsim {

struct Normalization {
  std::vector<float> mean;  // per channel, of pixel / 255
  std::vector<float> std;
};

struct ImageDataset {
  std::string source;  // file the images came from, for messages and reports
  int channels = 1, height = 0, width = 0;
  std::vector<uint8_t> pixels;  // N x C x H x W
  std::vector<int32_t> labels;

  int size() const { return static_cast<int>(labels.size()); }
  int64_t image_bytes() const { return int64_t(channels) * height * width; }
  // Writes image `index` normalized into `out` (C x H x W floats).
  void normalized(int index, const Normalization& norm, float* out) const;
  // Images [first, first+count) (or `indices`) normalized into one N x C x H x W buffer.
  std::vector<float> normalized_batch(const std::vector<int>& indices,
                                      const Normalization& norm) const;
};

// Reads an images file and a labels file; shapes and label ranges are checked.
ImageDataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);

// Brings images to `resolution` x `resolution` with `channels` channels: centred zero padding
// when the source is smaller (28 -> 32 pads 2 pixels each side), bilinear resizing otherwise;
// grayscale is replicated when 3 channels are asked for.
ImageDataset fit_to_input(const ImageDataset& data, int resolution, int channels);

ImageDataset subset(const ImageDataset& data, const std::vector<int>& indices);
Normalization compute_normalization(const ImageDataset& data);

enum class Split { kTrain, kCalibration, kValidation, kTest };
const char* to_string(Split split);
Split parse_split(const std::string& text);  // train|calibration|val|test, InputError otherwise

struct DataSplits {
  std::string name;  // "fashion-mnist" or the directory
  ImageDataset train, calibration, validation, test;
  Normalization normalization;
  int classes = 10;
  const ImageDataset& get(Split split) const;
};

// `dataset` is "fashion-mnist" (Debian's dataset-fashion-mnist) or a directory in the format
// above. Throws InputError for missing or malformed files.
DataSplits load_dataset(const std::string& dataset, int resolution, int channels);

constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
constexpr int kCalibrationImages = 1000;

}  // namespace haqsim
