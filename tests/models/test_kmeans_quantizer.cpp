// k-means weight quantization: determinism under a seed, k-means++ against Deep Compression's
// linear initialisation on the quantization error, exact storage (indices + codebook) on a
// hand-checkable layer, and the integer reference's codebook layers against the dequantized
// float layers bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "models/quant/conv_kernels.h"
#include "models/quant/float_executor.h"
#include "models/quant/integer_executor.h"
#include "models/quant/kmeans_quantizer.h"
#include "models/quant/pretrained.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"
#include "tests/models/small_models.h"

namespace haqsim {
namespace {

using test::small_spec;

// Weight-like values: Laplace-distributed (a peak at zero, long tails) with a few outliers.
std::vector<float> laplace_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<float> magnitude(20.0f);
  std::vector<float> v(n);
  for (float& x : v) x = (rng() & 1 ? 1.0f : -1.0f) * magnitude(rng);
  return v;
}

TEST(KMeansQuantizer, DeterministicUnderASeedAndIndependentOfOrder) {
  const std::vector<float> values = laplace_values(5000, 3);
  std::vector<float> shuffled = values;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(9));
  for (int bits : {2, 3, 4, 8}) {
    KMeansOptions o;
    o.seed = 7;
    const std::vector<float> a = kmeans_centroids(values, bits, o);
    // A permutation hashes differently, so this is a second, independent clustering.
    const std::vector<float> b = kmeans_centroids(shuffled, bits, o);
    ASSERT_EQ(a.size(), size_t(1) << bits);
    EXPECT_EQ(a, b) << bits << " bits";
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
    // The seed matters to the k-means++ seeding (Lloyd may still reach the same optimum).
    KMeansOptions seeds_only = o;
    seeds_only.max_iterations = 0;
    const std::vector<float> seeds7 = kmeans_centroids(values, bits, seeds_only);
    seeds_only.seed = 8;
    EXPECT_NE(kmeans_centroids(values, bits, seeds_only), seeds7) << bits << " bits";
  }
}

// On the shipped MobileNet-V2's weights (what its codebooks cluster: BatchNorm not folded in),
// the squared quantization error summed over its layers is lower from k-means++ seeding than from
// Deep Compression's linear initialisation at 2, 3, 4 and 8 bits (layer by layer linear
// initialisation sometimes ends lower: 1-D Lloyd from evenly spaced centroids is a strong start
// for small codebooks).
TEST(KMeansQuantizer, PlusPlusBeatsOrEqualsLinearInitialisation) {
  const FloatModel model = load_float_model(pretrained_weights_path("mobilenet_v2"));
  for (int bits : {2, 3, 4, 8}) {
    double plus_plus_error = 0, linear_error = 0;
    for (size_t i = 0; i < model.network.layers.size(); ++i) {
      const Layer& l = model.network.layers[i];
      if (!l.quantizable()) continue;
      const std::vector<float>& w = model.params[i].weight;
      KMeansOptions plus_plus, linear;
      linear.init = CentroidInit::kLinear;
      plus_plus_error += quantization_error(w, kmeans_centroids(w, bits, plus_plus));
      linear_error += quantization_error(w, kmeans_centroids(w, bits, linear));
    }
    EXPECT_LE(plus_plus_error, linear_error) << bits << " bits";
  }
}

TEST(KMeansQuantizer, LloydNeverIncreasesTheSeedsError) {
  const std::vector<float> values = laplace_values(20000, 1);
  for (CentroidInit init : {CentroidInit::kKMeansPlusPlus, CentroidInit::kLinear}) {
    for (int bits : {2, 3, 4, 5}) {
      KMeansOptions converged, seeds_only;
      converged.init = seeds_only.init = init;
      seeds_only.max_iterations = 0;
      EXPECT_LE(quantization_error(values, kmeans_centroids(values, bits, converged)),
                quantization_error(values, kmeans_centroids(values, bits, seeds_only)));
    }
  }
}

TEST(KMeansQuantizer, FewDistinctValuesAreReproducedExactly) {
  const std::vector<float> values = {-0.5f, 0.25f, 0.25f, 1.0f, -0.5f, 1.0f, 0.25f};
  const std::vector<float> c = kmeans_centroids(values, 2);
  EXPECT_EQ(quantization_error(values, c), 0.0);
  for (int32_t i : assign_to_centroids(values, c)) EXPECT_LT(i, 4);
}

TEST(KMeansQuantizer, StorageIsIndicesPlusCodebook) {
  const Network net = build_model("mobilenet_v2", small_spec());
  Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
  policy.layers[0].wbits = 3;
  FloatModel model = make_synthetic_float_model(net, 5);
  const FloatExecutor executor(model);
  const CalibrationStats stats = calibrate(executor, make_synthetic_images(net.spec, 2, 6), 2);
  WeightQuantization kmeans;
  kmeans.quantizer = WeightQuantizer::kKMeans;
  const QuantizedNetwork q = quantize_network(model, stats, policy, kmeans);
  const QuantizedLayer& first = q.layers[0];
  // The first layer: 8 output channels (32 x 0.25) of 3 x 3 taps over 1 input channel.
  ASSERT_EQ(first.weights.size(), 72u);
  ASSERT_EQ(first.codebook.size(), 8u);
  // 72 indices of 3 bits + 8 entries of 16 bits + an 8-bit grid exponent.
  EXPECT_EQ(stored_weight_bits(first), 72 * 3 + 8 * 16 + 8);
  EXPECT_EQ(weight_storage_bits(72, 3, WeightQuantizer::kKMeans), 352);
  EXPECT_EQ(weight_storage_bits(72, 3, WeightQuantizer::kLinear), 216);
  for (int32_t w : first.weights) {  // a negative BatchNorm multiplier negates its channel's
    const auto& c = first.codebook;
    EXPECT_TRUE(std::find(c.begin(), c.end(), w) != c.end() ||
                std::find(c.begin(), c.end(), -w) != c.end());
  }
  for (const QuantizedLayer& l : q.layers) {
    const int64_t n = int64_t(l.weights.size());
    EXPECT_EQ(stored_weight_bits(l), weight_storage_bits(n, l.wbits, WeightQuantizer::kKMeans));
    EXPECT_EQ(l.codebook.size(), size_t(1) << l.wbits);
    for (int32_t e : l.codebook) EXPECT_LE(std::abs(e), 32767);
  }
}

// Every codebook layer of a small MobileNet-V2 (conv, depthwise, fc; 2 to 8 bits): the integer
// reference's raw accumulators, scaled by input scale x 2^exponent, equal the same layer computed
// on the dequantized float operands -- the dequantized inputs (input integer x input scale) and
// the dequantized codebook weights (+-entry x 2^exponent, exact in float; the channel's BatchNorm
// multiplier, checked to be its weight scale's other factor, is applied afterwards by
// requantization on both paths alike) -- with the float executor's own
// kernel (conv_kernels.h), in long double (a 64-bit significand on Debian's x86-64 and arm64).
// Both sides are exact, no rounding anywhere: a product has at most 8 + 24 + 16 significant
// bits, and every partial sum is an integer multiple of (input scale's ulp x 2^exponent) below
// 2^31 x 2^24 of them, since the grid keeps sum |entry| x max |input| below 2^31 (checked). So
// equality is bit for bit, not approximate.
TEST(KMeansQuantizer, IntegerReferenceEqualsDequantizedFloatLayerBitForBit) {
  const Network net = build_model("mobilenet_v2", small_spec());
  Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
  for (int i = 0; i < net.quantizable_count(); ++i) policy.layers[i].wbits = 2 + i % 7;
  FloatModel model = make_synthetic_float_model(net, 21);
  // BatchNorm after every conv, some multipliers negative, so that the channel signs and the
  // multipliers in the weight scales are exercised.
  std::mt19937_64 rng(24);
  std::uniform_real_distribution<float> gamma(-1.5f, 1.5f), var(0.2f, 2.0f);
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (l.op != LayerOp::kConv) continue;
    BatchNormParams& bn = model.params[i].bn;
    for (int o = 0; o < l.out_channels; ++o) {
      bn.gamma.push_back(gamma(rng));
      bn.beta.push_back(0.1f * gamma(rng));
      bn.mean.push_back(0.1f * gamma(rng));
      bn.var.push_back(var(rng));
    }
  }
  const FloatExecutor executor(model);
  const CalibrationStats stats = calibrate(executor, make_synthetic_images(net.spec, 2, 22), 2);
  WeightQuantization kmeans;
  kmeans.quantizer = WeightQuantizer::kKMeans;
  const QuantizedNetwork q = quantize_network(model, stats, policy, kmeans);
  const QuantizedRun run = run_quantized_network(q, make_synthetic_input(q, 2, 23));
  for (int i = 0; i < net.quantizable_count(); ++i) {
    const Layer& l = net.quantizable(i);
    const QuantizedLayer& ql = q.layers[i];
    const QuantizedLayerTrace& t = run.layers[i];
    const double scale_in = ql.input.scale, scale_w = std::ldexp(1.0, ql.codebook_exponent);
    const BatchNormParams& bn = model.params[ql.layer_index].bn;
    for (int o = 0; o < l.out_channels; ++o) {
      const float g = bn.empty() ? 1.0f : bn.gamma[o] / std::sqrt(bn.var[o] + bn.eps);
      ASSERT_EQ(ql.weight_scales[o], std::ldexp(std::fabs(g), ql.codebook_exponent)) << l.name;
    }
    static_assert(std::numeric_limits<long double>::digits >= 64);
    std::vector<long double> weights(ql.weights.size());
    for (size_t k = 0; k < weights.size(); ++k) {
      const float dequantized = std::ldexp(float(ql.weights[k]), ql.codebook_exponent);
      weights[k] = dequantized;
      ASSERT_EQ(double(dequantized), double(ql.weights[k]) * scale_w);  // exact in float
    }
    int64_t max_input = 0;
    for (int32_t v : t.input.data) max_input = std::max<int64_t>(max_input, std::abs(v));
    const size_t per = ql.weights.size() / l.out_channels;
    for (int o = 0; o < l.out_channels; ++o) {
      int64_t sum = 0;
      for (size_t k = 0; k < per; ++k) sum += std::abs(ql.weights[o * per + k]);
      ASSERT_LT(sum * max_input, int64_t(1) << 31) << l.name;
    }
    std::vector<long double> scratch, out(t.accumulators.image_size());
    for (int n = 0; n < t.input.n; ++n) {
      std::vector<long double> x(t.input.image_size());
      for (size_t k = 0; k < x.size(); ++k) {
        x[k] = (long double)(t.input.data[n * x.size() + k]) * scale_in;
      }
      conv_image<long double>(l, x.data(), weights.data(), out.data(), scratch);
      for (size_t k = 0; k < out.size(); ++k) {
        const long double integer =
            (long double)(t.accumulators.data[n * out.size() + k]) * scale_in * scale_w;
        ASSERT_EQ(integer, out[k]) << l.name << " image " << n << " output " << k;
      }
    }
  }
}

}  // namespace
}  // namespace haqsim
