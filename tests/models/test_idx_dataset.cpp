// IDX reading, dataset fitting and the Fashion-MNIST splits.
#include <gtest/gtest.h>
#include <zlib.h>

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
  EXPECT_NEAR(s.normalization.mean[0], 0.2188, 2e-3);
  std::vector<float> img(32 * 32);
  s.test.normalized(0, s.normalization, img.data());
  EXPECT_FLOAT_EQ(img[0], -s.normalization.mean[0] / s.normalization.std[0]);
}

TEST(Dataset, UnknownDatasetIsInputError) {
  EXPECT_THROW(load_dataset("/nonexistent/dir", 32, 1), InputError);
}

}  // namespace
}  // namespace haqsim
