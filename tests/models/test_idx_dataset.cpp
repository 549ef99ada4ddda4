// IDX reading, dataset fitting and the Fashion-MNIST splits.
#include <gtest/gtest.h>

#include <zlib.h>
#include <cmath>

#include <filesystem>
#include <fstream>

#include "base/input_error.h"
#include "models/data/idx_file.h"
#include "models/data/image_dataset.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

std::vector<uint8_t> idx_bytes(std::vector<uint32_t> dims, int fill_count) {
  std::vector<uint8_t> b = {0, 0, 0x08, uint8_t(dims.size())};
  for (uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(d >> s));
  }
  for (int i = 0; i < fill_count; ++i) b.push_back(uint8_t(i * 7));
  return b;
}

std::string temp_path(const std::string& name) {
  return (haqsim_test_temp_dir() / ("haqsim_test_" + name)).string();
}

void write_gz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
}

TEST(Idx, ParsesDimsAndValues) {
  const IdxArray a = parse_idx(idx_bytes({2, 3, 4}, 24), "mem");
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 3, 4}));
  ASSERT_EQ(a.values.size(), 24u);
  EXPECT_EQ(a.values[5], 35);
}

TEST(Idx, TruncatedDataNamesFileAndOffset) {
  try {
    parse_idx(idx_bytes({2, 3, 4}, 20), "images.idx");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "images.idx");
    EXPECT_EQ(e.where().byte_offset, 16 + 20);
    EXPECT_NE(std::string(e.what()).find("24 data bytes"), std::string::npos);
  }
}

TEST(Idx, BadMagicAndTypeAreRefused) {
  auto bytes = idx_bytes({4}, 4);
  bytes[1] = 1;
  EXPECT_THROW(parse_idx(bytes, "x"), InputError);
  bytes = idx_bytes({4}, 4);
  bytes[2] = 0x0d;  // float IDX
  try {
    parse_idx(bytes, "x");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().byte_offset, 2);
  }
}

TEST(Idx, ReadsGzipAndRejectsTruncatedGzip) {
  const auto bytes = idx_bytes({10, 28, 28}, 10 * 28 * 28);
  const std::string path = temp_path("ok.idx.gz");
  write_gz(path, bytes);
  EXPECT_EQ(read_idx_file(path).values.size(), 7840u);
  // Chop the compressed file in half: zlib reports a truncated stream.
  std::ifstream in(path, std::ios::binary);
  std::string compressed((std::istreambuf_iterator<char>(in)), {});
  const std::string cut = temp_path("cut.idx.gz");
  std::ofstream(cut, std::ios::binary) << compressed.substr(0, compressed.size() / 2);
  try {
    read_idx_file(cut);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, cut);
    EXPECT_GE(e.where().byte_offset, 0);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(cut);
}

TEST(Dataset, PadsGrayscaleAndReplicatesChannels) {
  ImageDataset d;
  d.channels = 1;
  d.height = d.width = 2;
  d.pixels = {1, 2, 3, 4};
  d.labels = {7};
  const ImageDataset padded = fit_to_input(d, 4, 3);
  ASSERT_EQ(padded.pixels.size(), 48u);
  EXPECT_EQ(padded.pixels[0], 0);        // border
  EXPECT_EQ(padded.pixels[5], 1);        // (1,1) of channel 0
  EXPECT_EQ(padded.pixels[16 + 10], 4);  // (2,2) of channel 1
  const ImageDataset down = fit_to_input(padded, 2, 3);
  EXPECT_EQ(down.height, 2);
}

// An odd margin (2 x 3 into 5 x 5: one row above, two below; one column left, one right),
// every byte of both images checked.
TEST(Dataset, PaddingPlacesEveryPixel) {
  ImageDataset d;
  d.channels = 1;
  d.height = 2;
  d.width = 3;
  d.pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  d.labels = {0, 1};
  const ImageDataset padded = fit_to_input(d, 5, 1);
  std::vector<uint8_t> expected(50, 0);
  for (int i = 0; i < 2; ++i) {
    for (int y = 0; y < 2; ++y) {
      for (int x = 0; x < 3; ++x)
        expected[i * 25 + (y + 1) * 5 + x + 1] = d.pixels[i * 6 + y * 3 + x];
    }
  }
  EXPECT_EQ(padded.pixels, expected);
  EXPECT_EQ(padded.labels, d.labels);
}

TEST(Dataset, NormalizationIsTheMeanAndStdOfPixelsOver255) {
  ImageDataset d;
  d.channels = 2;
  d.height = 1;
  d.width = 2;
  d.pixels = {0, 255, 10, 20, 51, 102, 30, 40};  // image 0: c0 {0,255} c1 {10,20}; image 1 ...
  d.labels = {0, 0};
  const Normalization n = compute_normalization(d);
  const double c0[] = {0, 255, 51, 102}, c1[] = {10, 20, 30, 40};
  for (int c = 0; c < 2; ++c) {
    const double* v = c == 0 ? c0 : c1;
    double mean = 0, sq = 0;
    for (int k = 0; k < 4; ++k) mean += v[k] / 255 / 4;
    for (int k = 0; k < 4; ++k) sq += (v[k] / 255 - mean) * (v[k] / 255 - mean) / 4;
    EXPECT_FLOAT_EQ(n.mean[c], float(mean));
    EXPECT_FLOAT_EQ(n.std[c], float(std::sqrt(sq)));
  }
}

TEST(Dataset, FashionMnistSplitsAreDeterministic) {
  if (!std::filesystem::exists(kFashionMnistDir)) GTEST_SKIP() << "dataset-fashion-mnist missing";
  const DataSplits s = load_dataset("fashion-mnist", 32, 1);
  EXPECT_EQ(s.train.size(), 55000);
  EXPECT_EQ(s.validation.size(), 5000);
  EXPECT_EQ(s.test.size(), 10000);
  EXPECT_EQ(s.calibration.size(), kCalibrationImages);
  EXPECT_EQ(s.classes, 10);
  EXPECT_EQ(s.train.height, 32);
  // Calibration images come from the train split, so they never overlap validation or test.
  EXPECT_EQ(s.calibration.labels[1], s.train.labels[55]);
  // The values the shipped models were trained with (models/pretrained/*.yaml).
  EXPECT_FLOAT_EQ(s.normalization.mean[0], 0.218828872f);
  EXPECT_FLOAT_EQ(s.normalization.std[0], 0.331705928f);
  std::vector<float> img(32 * 32);
  s.test.normalized(0, s.normalization, img.data());
  EXPECT_FLOAT_EQ(img[0], -s.normalization.mean[0] / s.normalization.std[0]);
}

TEST(Dataset, UnknownDatasetIsInputError) {
  EXPECT_THROW(load_dataset("/nonexistent/dir", 32, 1), InputError);
}

}  // namespace
}  // namespace haqsim
