// The calibration cache: a second identical calibration is read back bit for bit instead of
// recomputed; another model, other images or another image count miss; a damaged file is
// recomputed (and rewritten), never believed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "models/quant/calibration_cache.h"
#include "models/quant/float_accuracy_cache.h"
#include "models/quant/float_executor.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;

void expect_same(const AbsHistogram& a, const AbsHistogram& b) {
  EXPECT_EQ(a.max_abs, b.max_abs);
  EXPECT_EQ(a.counts, b.counts);
}

void expect_same(const CalibrationStats& a, const CalibrationStats& b) {
  EXPECT_EQ(a.images, b.images);
  expect_same(a.input, b.input);
  ASSERT_EQ(a.outputs.size(), b.outputs.size());
  for (size_t i = 0; i < a.outputs.size(); ++i) expect_same(a.outputs[i], b.outputs[i]);
}

class CalibrationCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_calibration_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    NetworkSpec spec;
    spec.resolution = 16;
    spec.in_channels = 1;
    spec.classes = 10;
    spec.width = 0.25;
    spec.first_stride = 1;
    model_ = make_synthetic_float_model(build_model("mobilenet_v1", spec), 3);
    data_.channels = 1;
    data_.height = data_.width = 16;
    std::mt19937 rng(4);
    data_.pixels.resize(12 * 16 * 16);
    for (auto& p : data_.pixels) p = uint8_t(rng());
    data_.labels.assign(12, 0);
    norm_ = {{0.5f}, {0.25f}};
  }
  void TearDown() override { fs::remove_all(dir_); }
  CalibrationCacheOptions cache() const { return {true, dir_.string()}; }

  fs::path dir_;
  FloatModel model_;
  ImageDataset data_;
  Normalization norm_;
};

TEST_F(CalibrationCacheTest, SecondCallReadsWhatTheFirstComputed) {
  bool cached = true;
  const CalibrationStats first = calibrate_cached(model_, data_, norm_, 8, cache(), &cached);
  EXPECT_FALSE(cached);
  const CalibrationStats second = calibrate_cached(model_, data_, norm_, 8, cache(), &cached);
  EXPECT_TRUE(cached);
  expect_same(first, second);
  expect_same(first, calibrate(FloatExecutor(model_), data_, norm_, 8));
}

TEST_F(CalibrationCacheTest, AnythingTheStatisticsDependOnChangesTheKey) {
  const std::string key = calibration_key(model_, data_, norm_, 8);
  EXPECT_EQ(key, calibration_key(model_, data_, norm_, 8));
  EXPECT_NE(key, calibration_key(model_, data_, norm_, 9));
  Normalization other_norm = norm_;
  other_norm.std[0] = 0.3f;
  EXPECT_NE(key, calibration_key(model_, data_, other_norm, 8));
  ImageDataset other_data = data_;
  other_data.pixels[3 * 256 + 7] ^= 1;  // one pixel of an image that is used
  EXPECT_NE(key, calibration_key(model_, other_data, norm_, 8));
  other_data = data_;
  other_data.pixels[10 * 256] ^= 1;  // an image past the first 8 is not used
  EXPECT_EQ(key, calibration_key(model_, other_data, norm_, 8));
  FloatModel other_model = model_;
  other_model.params[1].weight[0] += 1e-3f;
  EXPECT_NE(key, calibration_key(other_model, data_, norm_, 8));
}

TEST_F(CalibrationCacheTest, DamagedFileIsRecomputedNotBelieved) {
  const CalibrationStats first = calibrate_cached(model_, data_, norm_, 8, cache());
  const fs::path file =
      dir_ / ("calibration-" + calibration_key(model_, data_, norm_, 8) + ".stats");
  ASSERT_TRUE(fs::exists(file));
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x7f');
  }
  bool cached = true;
  testing::internal::CaptureStderr();
  const CalibrationStats again = calibrate_cached(model_, data_, norm_, 8, cache(), &cached);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("not trusted"), std::string::npos);
  EXPECT_FALSE(cached);
  expect_same(first, again);
  calibrate_cached(model_, data_, norm_, 8, cache(), &cached);
  EXPECT_TRUE(cached) << "the recomputed statistics were written back";
}

TEST_F(CalibrationCacheTest, DisabledWritesNothing) {
  calibrate_cached(model_, data_, norm_, 8, {false, dir_.string()});
  EXPECT_FALSE(fs::exists(dir_));
}

// The float top-1 cache (eval's float column): read back equal to the computation; labels are
// part of the key; a damaged record is recomputed.
TEST_F(CalibrationCacheTest, FloatTop1IsCachedByModelImagesAndLabels) {
  for (int i = 0; i < data_.size(); ++i) data_.labels[i] = i % 10;
  const double computed = float_top1(FloatExecutor(model_), data_, norm_, 10);
  bool cached = true;
  EXPECT_EQ(float_top1_cached(model_, data_, norm_, 10, cache(), &cached), computed);
  EXPECT_FALSE(cached);
  EXPECT_EQ(float_top1_cached(model_, data_, norm_, 10, cache(), &cached), computed);
  EXPECT_TRUE(cached);
  ImageDataset relabelled = data_;
  relabelled.labels[2] = (relabelled.labels[2] + 1) % 10;
  EXPECT_EQ(float_top1_cached(model_, relabelled, norm_, 10, cache(), &cached),
            float_top1(FloatExecutor(model_), relabelled, norm_, 10));
  EXPECT_FALSE(cached);
  float_top1_cached(model_, data_, norm_, 7, cache(), &cached);
  EXPECT_FALSE(cached) << "another image count is another key";
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().filename().string().rfind("float-top1-", 0) != 0) continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-40, std::ios::end);  // inside the record or its checksum trailer
    f.put('\x7f');
  }
  testing::internal::CaptureStderr();
  EXPECT_EQ(float_top1_cached(model_, data_, norm_, 10, cache(), &cached), computed);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("not trusted"), std::string::npos);
  EXPECT_FALSE(cached);
  float_top1_cached(model_, data_, norm_, 10, {false, (dir_ / "off").string()});
  EXPECT_FALSE(fs::exists(dir_ / "off"));
}

}  // namespace
}  // namespace haqsim
