// Linear quantization primitives and the weight file format.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "base/input_error.h"
#include "models/quant/float_model.h"
#include "models/quant/linear_quantizer.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

TEST(FixedPoint, MultiplierIsNormalizedAndAccurate) {
  for (double m : {0.75, 0.001234, 1.0, 3.5, 1e-9, 0.5}) {
    const FixedPoint f = to_fixed_point(m);
    EXPECT_GE(f.multiplier, 1 << 30) << m;
    EXPECT_NEAR(std::ldexp(double(f.multiplier), -f.shift), m, m * 1e-9) << m;
  }
  EXPECT_THROW(to_fixed_point(-1.0), std::invalid_argument);
}

TEST(FixedPoint, RoundsToNearestWithTiesUp) {
  const FixedPoint half = to_fixed_point(0.5);
  EXPECT_EQ(apply_fixed_point(3, half), 2);                    // 1.5 -> 2
  EXPECT_EQ(apply_fixed_point(-3, half), -1);                  // -1.5 -> -1 (ties towards +inf)
  EXPECT_EQ(apply_fixed_point(5, to_fixed_point(0.25)), 1);    // 1.25 -> 1
  EXPECT_EQ(apply_fixed_point(-7, to_fixed_point(0.25)), -2);  // -1.75 -> -2
}

TEST(ActQuant, RangesFollowSignedness) {
  ActQuant u{0.1f, 4, false}, s{0.1f, 4, true};
  EXPECT_EQ(u.qmin(), 0);
  EXPECT_EQ(u.qmax(), 15);
  EXPECT_EQ(s.qmin(), -8);
  EXPECT_EQ(s.qmax(), 7);
  EXPECT_EQ(u.quantize(0.74f), 7);
  EXPECT_EQ(u.quantize(-1.0f), 0);
  EXPECT_EQ(s.quantize(-5.0f), -8);
  EXPECT_EQ(weight_qmax(8), 127);
  EXPECT_EQ(weight_qmin(8), -127);
  EXPECT_EQ(weight_qmin(1), -1);
}

TEST(KlThreshold, ClipsLongTailsAtLowBitsOnly) {
  // Mostly small values plus a few far outliers: KL clips well below the maximum.
  AbsHistogram h;
  h.max_abs = 100.0f;
  h.counts.assign(2048, 0.0);
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0, 2);
  for (int i = 0; i < 200000; ++i) {
    h.counts[std::min(2047, int(std::fabs(normal(rng)) / h.bin_width()))] += 1;
  }
  h.counts[2047] += 3;
  const float clip = kl_threshold(h, 7);
  EXPECT_LT(clip, 20.0f);
  EXPECT_GT(clip, 2.0f);
  EXPECT_EQ(choose_clip(h, 127, 8), 100.0f);
}

TEST(KlThreshold, ZeroSpikeDoesNotCollapseTheRange) {
  // ReLU outputs: most values exactly zero, the rest spread evenly up to 6. Without excluding
  // the zero bin, KL picked a clip of ~0.05 and 4-bit MobileNets fell to chance.
  AbsHistogram h;
  h.max_abs = 6.0f;
  h.counts.assign(2048, 100.0);
  h.counts[0] = 1e7;
  EXPECT_GT(kl_threshold(h, 15), 3.0f);
}

TEST(WeightQuantization, PerChannelScalesCoverEachChannel) {
  std::vector<float> w = {0.5f, -0.25f, 0.125f, -1.0f, 4.0f, 2.0f, -3.0f, 0.0f};
  std::vector<float> scales;
  const auto q = quantize_weights(w, 2, 8, scales);
  EXPECT_FLOAT_EQ(scales[0], 1.0f / 127);
  EXPECT_FLOAT_EQ(scales[1], 4.0f / 127);
  EXPECT_EQ(q[3], -127);
  EXPECT_EQ(q[4], 127);
  EXPECT_EQ(q[0], 64);  // 63.5 rounds to even
  for (int bits = 1; bits <= 8; ++bits) {
    for (int32_t v : quantize_weights(w, 2, bits, scales)) {
      EXPECT_GE(v, weight_qmin(bits));
      EXPECT_LE(v, weight_qmax(bits));
    }
  }
}

TEST(FloatModelFile, RoundTripsHalfAndFloat) {
  NetworkSpec spec;
  spec.resolution = 32;
  spec.in_channels = 1;
  spec.classes = 10;
  spec.width = 0.25;
  spec.first_stride = 1;
  FloatModel m = make_synthetic_float_model(build_mobilenet_v2(spec), 5);
  const int oc = m.network.layers[0].out_channels;
  m.params[0].bn = {std::vector<float>(oc, 1.5f), std::vector<float>(oc, 0.25f),
                    std::vector<float>(oc, 0.1f), std::vector<float>(oc, 2.0f), 1e-5f};
  const std::string path = (haqsim_test_temp_dir() / "haqsim_w.bin").string();
  save_float_model(m, path, false);
  FloatModel back = load_float_model(path);
  EXPECT_EQ(back.network.name, "mobilenet_v2");
  EXPECT_EQ(back.network.spec.width, 0.25);
  EXPECT_EQ(back.params[3].weight, m.params[3].weight);
  EXPECT_EQ(back.params[0].bn.gamma, m.params[0].bn.gamma);
  save_float_model(m, path, true);
  back = load_float_model(path);
  for (size_t k = 0; k < m.params[3].weight.size(); ++k) {
    EXPECT_NEAR(back.params[3].weight[k], m.params[3].weight[k],
                std::fabs(m.params[3].weight[k]) * 1e-3 + 1e-7);
  }
  // Truncation: the error names the file and a byte offset.
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() - 10);
  try {
    load_float_model(path);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, path);
    EXPECT_GT(e.where().byte_offset, 0);
  }
  std::ofstream(path, std::ios::binary) << "HAQSIMX" << bytes.substr(7);
  EXPECT_THROW(load_float_model(path), InputError);
  std::filesystem::remove(path);
}

TEST(HalfFloat, ConvertsExactlyRepresentableValues) {
  for (float v : {0.0f, 1.0f, -2.5f, 65504.0f, 6.103515625e-05f, 5.9604645e-08f}) {
    EXPECT_EQ(half_to_float(float_to_half(v)), v) << v;
  }
  EXPECT_NEAR(half_to_float(float_to_half(0.1f)), 0.1f, 1e-4);
}

}  // namespace
}  // namespace haqsim
