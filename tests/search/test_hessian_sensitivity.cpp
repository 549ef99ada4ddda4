// HAWQ's Hessian-trace sensitivity (search/hessian_sensitivity.h) against what can be computed
// without Hutchinson's estimator: for the last (fully connected) layer the Hessian of the mean
// cross-entropy with respect to its weights has a closed-form trace, and the quantization errors
// are the integer path's own quantizers applied directly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/quant/pretrained.h"
#include "models/training/batches.h"
#include "models/training/quant_aware.h"
#include "models/training/torch_network.h"
#include "search/hessian_sensitivity.h"
#include "tests/test_temp_dir.h"

namespace haqsim::search {
namespace {

class HessianSensitivity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    context_ = new QuantizationContext(
        prepare_quantization(pretrained_weights_path("mobilenet_v1"), "fashion-mnist", 64));
    options_.images = 128;
    options_.batch_size = 64;
    options_.samples = 2;
    // A depthwise, a pointwise and the fc layer: probes of the later layers are the cheap ones,
    // their double backward stops where the tensor is made.
    options_.layers = {kDepthwise, kPointwise, kFc};
    traces_ = new HessianTraces(hessian_traces(*context_, options_));
  }
  static void TearDownTestSuite() {
    delete traces_;
    delete context_;
  }
  static constexpr int kDepthwise = 23, kPointwise = 24, kFc = 27;
  static QuantizationContext* context_;
  static HessianTraces* traces_;
  static HessianOptions options_;
};

QuantizationContext* HessianSensitivity::context_ = nullptr;
HessianTraces* HessianSensitivity::traces_ = nullptr;
HessianOptions HessianSensitivity::options_;

TEST_F(HessianSensitivity, FullyConnectedTraceMatchesTheClosedForm) {
  // loss = 1/N sum_n CE(W x_n + b, y_n): H_W = 1/N sum_n (diag(p_n) - p_n p_n^T) (x) x_n x_n^T,
  // so Tr(H_W) = 1/N sum_n (1 - |p_n|^2) |x_n|^2, averaged over the batches like the estimator.
  const Network& network = context_->model.network;
  const int fc = kFc;
  ASSERT_EQ(fc, network.quantizable_count() - 1);
  TorchNetwork net(network);
  net->load_float_model(context_->model);
  net->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor features;
  TorchNetworkImpl::QuantHooks capture;
  capture.input = [&](int i, const torch::Tensor& x) {
    if (i == fc) features = x.flatten(1);
    return x;
  };
  double exact = 0;
  int batches = 0;
  for (int first = 0; first < options_.images; first += options_.batch_size, ++batches) {
    std::vector<int> idx;
    for (int i = first; i < first + options_.batch_size; ++i) idx.push_back(i);
    const Batch batch = make_batch(context_->data.train, context_->data.normalization, idx);
    const torch::Tensor p = torch::softmax(net->run(batch.images, &capture), 1);
    exact += ((1 - p.pow(2).sum(1)) * features.pow(2).sum(1)).mean().item<double>();
  }
  exact /= double(batches) * double(network.quantizable(fc).weight_count());
  // 4 Rademacher vectors over a Hessian of rank ~9 x 128: a few percent of noise.
  EXPECT_GT(exact, 0);
  EXPECT_NEAR(traces_->weight[size_t(fc)], exact, 0.2 * exact);
}

TEST_F(HessianSensitivity, WeightErrorsAreTheIntegerQuantizersOwn) {
  // ||Q_b(W) - W||^2 of the first layer's folded weights at 3 and 8 bits, recomputed through a
  // FakeQuantizer's weight hook on a separately folded copy.
  const Network& network = context_->model.network;
  TorchNetwork net(network);
  net->load_float_model(context_->model);
  net->eval();
  torch::NoGradGuard no_grad;
  for (int bits : {3, 8}) {
    FakeQuantizer q(*context_, Policy::uniform(network.quantizable_count(), bits, bits));
    double error = -1;
    TorchNetworkImpl::QuantHooks hooks;
    hooks.fold_bn = true;
    hooks.weight = [&](int i, const torch::Tensor& w) {
      if (i == 0) error = (q.hooks().weight(0, w) - w).pow(2).sum().item<double>();
      return w;
    };
    std::vector<int> idx = {0};
    net->run(make_batch(context_->data.train, context_->data.normalization, idx).images, &hooks);
    ASSERT_GE(error, 0);
    EXPECT_NEAR(traces_->weight_error[0][size_t(bits - 1)], error, 1e-9 * (1 + error)) << bits;
  }
}

TEST_F(HessianSensitivity, SensitivityIsPositiveOnProbedLayersAndFallsWithBits) {
  const BitSensitivity s = hessian_sensitivity(*traces_);
  ASSERT_EQ(s.weight.size(), traces_->weight.size());
  for (size_t l = 0; l < s.weight.size(); ++l) {
    const bool probed = l == kDepthwise || l == kPointwise || l == kFc;
    if (!probed) {
      EXPECT_EQ(traces_->weight[l], 0) << l;
      continue;
    }
    // A trained ReLU network is curved along every layer's weights and inputs (its Hessian
    // along an input is J^T H_loss J, positive semi-definite).
    EXPECT_GT(traces_->weight[l], 0) << "layer " << l;
    EXPECT_GT(traces_->activation[l], 0) << "layer " << l;
    for (int b = 2; b <= 8; ++b) {
      EXPECT_GE(s.weight[l][size_t(b - 1)], 0);
      EXPECT_GE(s.activation[l][size_t(b - 1)], 0);
    }
    // Fewer bits perturb a layer more, for weights and for inputs.
    EXPECT_GT(s.weight[l][1], s.weight[l][3]) << "layer " << l;
    EXPECT_GT(s.weight[l][3], s.weight[l][7]) << "layer " << l;
    EXPECT_GT(s.activation[l][1], s.activation[l][3]) << "layer " << l;
    EXPECT_GT(s.activation[l][3], s.activation[l][7]) << "layer " << l;
  }
}

TEST_F(HessianSensitivity, CachedTracesAreReadBackExactlyAndADamagedFileIsRecomputed) {
  namespace fs = std::filesystem;
  const fs::path dir = haqsim_test_temp_dir() / "haqsim_hessian_cache_test";
  fs::remove_all(dir);
  HessianOptions o;
  o.images = 64;
  o.layers = {kFc};  // the cheap probe
  const HessianTraces first = cached_hessian_traces(*context_, o, dir.string());
  ASSERT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  const fs::path file = fs::directory_iterator(dir)->path();
  const auto written = fs::last_write_time(file);
  const HessianTraces again = cached_hessian_traces(*context_, o, dir.string());
  EXPECT_EQ(fs::last_write_time(file), written);  // read, not recomputed
  EXPECT_EQ(again.weight, first.weight);
  EXPECT_EQ(again.activation, first.activation);
  EXPECT_EQ(again.weight_error, first.weight_error);
  EXPECT_EQ(again.activation_error, first.activation_error);
  // Other options are another file.
  o.samples = 2;
  (void)cached_hessian_traces(*context_, o, dir.string());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
  o.samples = 1;
  // A damaged file is not believed: recomputed (same seed, same values) and rewritten.
  std::string body;
  {
    std::ifstream in(file, std::ios::binary);
    body.assign(std::istreambuf_iterator<char>(in), {});
  }
  body[body.size() / 2] ^= 1;
  std::ofstream(file, std::ios::binary) << body;
  const HessianTraces recomputed = cached_hessian_traces(*context_, o, dir.string());
  EXPECT_EQ(recomputed.weight, first.weight);
  EXPECT_EQ(cached_hessian_traces(*context_, o, dir.string()).weight, first.weight);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace haqsim::search
