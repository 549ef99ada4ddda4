// The integer reference: accumulators against an independent direct convolution, requantization
// against real arithmetic, the simulator hook, and agreement with float inference.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "models/quant/float_executor.h"
#include "models/quant/integer_executor.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

NetworkSpec small_spec(int first_stride = 1) {
  NetworkSpec spec;
  spec.resolution = 32;
  spec.in_channels = 1;
  spec.classes = 10;
  spec.width = 0.25;
  spec.first_stride = first_stride;
  return spec;
}

// Seven nested loops, written independently of conv_kernels.h.
IntTensor direct_accumulate(const QuantizedLayer& q, const Layer& l, const IntTensor& in) {
  IntTensor out(in.n, l.out_channels, l.out_height, l.out_width);
  const int cin_g = l.in_channels / l.groups, cout_g = l.out_channels / l.groups;
  for (int n = 0; n < in.n; ++n)
    for (int o = 0; o < l.out_channels; ++o)
      for (int oy = 0; oy < l.out_height; ++oy)
        for (int ox = 0; ox < l.out_width; ++ox) {
          int64_t acc = 0;
          const int g = o / cout_g;
          for (int ci = 0; ci < cin_g; ++ci)
            for (int ky = 0; ky < l.kernel_h; ++ky)
              for (int kx = 0; kx < l.kernel_w; ++kx) {
                const int y = oy * l.stride_h - l.pad_top + ky * l.dilation_h;
                const int x = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
                if (y < 0 || y >= l.in_height || x < 0 || x >= l.in_width) continue;
                const int c = g * cin_g + ci;
                const int32_t w = q.weights[((o * cin_g + ci) * l.kernel_h + ky) * l.kernel_w + kx];
                acc += int64_t(w) * in.data[((size_t(n) * in.c + c) * in.h + y) * in.w + x];
              }
          out.at(n, o, oy, ox) = int32_t(acc);
        }
  return out;
}

TEST(IntegerExecutor, AccumulatorsMatchDirectConvolution) {
  for (const char* model : {"mobilenet_v1", "mobilenet_v2"}) {
    const Network net = build_model(model, small_spec(2));
    Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
    for (int i = 0; i < net.quantizable_count(); ++i) policy.layers[i] = {2 + i % 7, 2 + i % 5};
    const QuantizedNetwork q = make_synthetic_quantized_network(net, policy, 11);
    const QuantizedRun run = run_quantized_network(q, make_synthetic_input(q, 2, 12));
    for (int i = 0; i < net.quantizable_count(); ++i) {
      const Layer& l = net.quantizable(i);
      const QuantizedLayerTrace& t = run.layers[i];
      if (l.op == LayerOp::kConv) {
        EXPECT_EQ(t.accumulators, direct_accumulate(q.layers[i], l, t.input))
            << model << " " << l.name;
      }
      // Inputs stay within the policy's activation range.
      for (int32_t v : t.input.data) {
        ASSERT_GE(v, q.layers[i].input.qmin()) << l.name;
        ASSERT_LE(v, q.layers[i].input.qmax()) << l.name;
      }
      EXPECT_EQ(q.layers[i].input.bits, policy.layers[i].abits);
      EXPECT_EQ(q.layers[i].input_signed, !l.input_unsigned) << l.name;
    }
  }
}

// The batched GEMM runs in double precision; at the extremes of the 8-bit ranges (|w| = 127,
// a = 255, the widest layers of MobileNet at width 1) every sum must still be exact.
TEST(IntegerExecutor, BatchedAccumulationIsExactAtExtremeValues) {
  NetworkSpec spec = small_spec(2);
  spec.width = 1.0;
  const Network net = build_model("mobilenet_v1", spec);
  QuantizedNetwork q =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 8, 8), 3);
  for (int i = 0; i < net.quantizable_count(); ++i) {
    const Layer& l = net.quantizable(i);
    if (l.op != LayerOp::kConv) continue;
    QuantizedLayer& ql = q.layers[i];
    for (size_t k = 0; k < ql.weights.size(); ++k) ql.weights[k] = k % 3 == 0 ? -127 : 127;
    IntTensor in(3, l.in_channels, l.in_height, l.in_width);
    for (size_t k = 0; k < in.size(); ++k) in.data[k] = k % 5 == 0 ? 0 : 255;
    EXPECT_EQ(accumulate_layer(ql, l, in), direct_accumulate(ql, l, in)) << l.name;
  }
}

// Float GEMMs are used only when no partial sum can exceed 2^24: inputs chosen so the bound sits
// just below (float path) and just above (double path) that limit give exact accumulators both
// times, with the extreme weights making the partial sums nearly as large as the bound allows.
TEST(IntegerExecutor, FloatAndDoubleGemmsAreExactAtTheirLimit) {
  NetworkSpec spec = small_spec(2);
  spec.width = 1.0;
  const Network net = build_model("mobilenet_v1", spec);
  QuantizedNetwork q =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 8, 8), 3);
  for (int i = 0; i < net.quantizable_count(); ++i) {
    const Layer& l = net.quantizable(i);
    if (l.kind() == LayerKind::kDepthwise) continue;
    QuantizedLayer& ql = q.layers[i];
    for (size_t k = 0; k < ql.weights.size(); ++k) ql.weights[k] = 127;
    const int64_t weight_sum = 127 * int64_t(ql.weights.size() / l.out_channels);
    const int64_t below = ((int64_t(1) << 24) - 1) / weight_sum;
    for (int64_t max_input : {below, below + 1}) {
      if (max_input > 255) continue;
      IntTensor in(2, l.in_channels, l.in_height, l.in_width);
      // Mostly the maximum, with odd values sprinkled in so that sums are odd numbers (a float
      // above 2^24 can only hold even ones).
      for (size_t k = 0; k < in.size(); ++k) in.data[k] = int32_t(max_input - (k % 7 == 0));
      EXPECT_EQ(accumulate_layer(ql, l, in), direct_accumulate(ql, l, in))
          << l.name << " max input " << max_input;
    }
  }
}

TEST(IntegerExecutor, RequantizationMatchesRealArithmetic) {
  const Network net = build_model("mobilenet_v1", small_spec());
  const QuantizedNetwork q =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 6, 5), 3);
  const QuantizedRun run = run_quantized_network(q, make_synthetic_input(q, 1, 4));
  for (int i = 0; i < 4; ++i) {
    const QuantizedLayer& ql = q.layers[i];
    const QuantizedLayerTrace& t = run.layers[i];
    const int plane = t.accumulators.h * t.accumulators.w;
    for (int c = 0; c < t.accumulators.c; ++c) {
      const double m = double(ql.input.scale) * ql.weight_scales[c] / ql.output.scale;
      for (int p = 0; p < plane; ++p) {
        const double real = (t.accumulators.data[c * plane + p] + double(ql.bias[c])) * m;
        const double expected =
            std::clamp(std::floor(real + 0.5), double(ql.output_min), double(ql.output_max));
        // The fixed-point multiplier is exact to 2^-30 relative; only near-ties may differ.
        ASSERT_NEAR(t.output.data[c * plane + p], expected, 1.0) << ql.name;
      }
    }
  }
}

TEST(IntegerExecutor, SimulatorHookReplacesAccumulation) {
  const Network net = build_model("mobilenet_v2", small_spec());
  const QuantizedNetwork q =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 4, 4), 9);
  const IntTensor input = make_synthetic_input(q, 1, 10);
  const QuantizedRun reference = run_quantized_network(q, input);
  int calls = 0;
  const QuantizedRun hooked = run_quantized_network(
      q, input, [&](int index, const QuantizedLayer& ql, const Layer& l, const IntTensor& in) {
        ++calls;
        EXPECT_EQ(index, ql.quant_index);
        return direct_accumulate(ql, l, in);
      });
  EXPECT_EQ(calls, net.quantizable_count());
  EXPECT_EQ(hooked.logits, reference.logits);
  // A hook that corrupts one layer changes the result downstream.
  const QuantizedRun broken = run_quantized_network(
      q, input, [&](int index, const QuantizedLayer& ql, const Layer& l, const IntTensor& in) {
        IntTensor acc = accumulate_layer(ql, l, in);
        if (index == 3)
          for (int32_t& v : acc.data) v += 1000;
        return acc;
      });
  EXPECT_NE(broken.layers[3].output, reference.layers[3].output);
  EXPECT_EQ(broken.layers[2].output, reference.layers[2].output);
}

TEST(IntegerExecutor, EightBitLogitsTrackFloatInference) {
  for (const char* model : {"mobilenet_v1", "mobilenet_v2"}) {
    const Network net = build_model(model, small_spec());
    const FloatModel fm = make_synthetic_float_model(net, 21);
    const FloatExecutor fx(fm);
    const std::vector<float> images = make_synthetic_images(net.spec, 6, 22);
    const CalibrationStats stats = calibrate(fx, images, 6);
    const QuantizedNetwork q =
        quantize_network(fm, stats, Policy::uniform(net.quantizable_count(), 8, 8));
    const QuantizedRun run = run_quantized_network(q, quantize_input(q, images, 6), nullptr, false);
    const size_t image_size = size_t(net.spec.resolution) * net.spec.resolution;
    double err = 0, norm = 0;
    for (int i = 0; i < 6; ++i) {
      const std::vector<float> logits = fx.run_image(&images[i * image_size]);
      for (size_t k = 0; k < logits.size(); ++k) {
        const double ql = run.logits.data[i * logits.size() + k] * double(q.tensors.back().scale);
        err += (ql - logits[k]) * (ql - logits[k]);
        norm += double(logits[k]) * logits[k];
      }
    }
    EXPECT_LT(std::sqrt(err / norm), 0.1) << model;  // relative RMS error of the logits
  }
}

TEST(IntegerExecutor, ScoreIsTopOneAndTheCrossEntropyOfTheDequantizedLogits) {
  const Network net = build_model("mobilenet_v1", small_spec());
  const FloatModel fm = make_synthetic_float_model(net, 31);
  ImageDataset data;
  data.height = data.width = net.spec.resolution;
  std::mt19937 rng(7);
  for (int i = 0; i < 70; ++i) {  // more than one batch of 64
    for (int p = 0; p < data.height * data.width; ++p) data.pixels.push_back(uint8_t(rng()));
    data.labels.push_back(int32_t(rng() % 10));
  }
  Normalization norm;
  norm.mean = {120.0f / 255};
  norm.std = {0.3f};
  std::vector<int> all(70);
  std::iota(all.begin(), all.end(), 0);
  const std::vector<float> images = data.normalized_batch(all, norm);
  const FloatExecutor fx(fm);
  const CalibrationStats stats = calibrate(fx, images, 70);
  QuantizedNetwork q = quantize_network(fm, stats, Policy::uniform(net.quantizable_count(), 6, 6));
  q.normalization = norm;
  const IntegerScore score = integer_score(q, data, 0, 3);
  EXPECT_EQ(score.images, 67);
  EXPECT_DOUBLE_EQ(score.top1, integer_top1(q, data, 0, 3));
  // -log softmax of each image's logits, from the probabilities this time.
  const QuantizedRun run = run_quantized_network(q, quantize_input(q, images, 70), nullptr, false);
  const double scale = q.tensors.back().scale;
  double loss = 0;
  for (int i = 3; i < 70; ++i) {
    double z = 0;
    for (int k = 0; k < 10; ++k) z += std::exp(run.logits.data[size_t(i) * 10 + k] * scale);
    loss -=
        std::log(std::exp(run.logits.data[size_t(i) * 10 + size_t(data.labels[i])] * scale) / z);
  }
  EXPECT_NEAR(score.loss, loss / 67, 1e-9);
  EXPECT_GT(score.loss, 0);
}

TEST(IntegerExecutor, SyntheticImageNetShapes) {
  NetworkSpec spec;  // 224x224x3, 1000 classes
  spec.width = 0.25;
  const Network net = build_model("mobilenet_v1", spec);
  const QuantizedNetwork q =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 8, 8), 1);
  const QuantizedRun run = run_quantized_network(q, make_synthetic_input(q, 1, 2));
  EXPECT_EQ(run.layers[0].accumulators.h, 112);
  EXPECT_EQ(run.logits.c, 1000);
  // Deterministic in the seed.
  const QuantizedNetwork again =
      make_synthetic_quantized_network(net, Policy::uniform(net.quantizable_count(), 8, 8), 1);
  EXPECT_EQ(again.layers[5].weights, q.layers[5].weights);
  EXPECT_EQ(again.layers[5].requant[0].multiplier, q.layers[5].requant[0].multiplier);
}

}  // namespace
}  // namespace haqsim
