// Fine-tuning k-means codebooks: each centroid's gradient is the sum of its weights' gradients
// (Deep Compression's rule), the weights stay on their codebook, and fine-tuning lowers the loss
// of a fixed batch in the fake-quantized network and in the integer path.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "models/quant/integer_executor.h"
#include "models/training/batches.h"
#include "models/training/codebook_finetune.h"
#include "models/training/quant_aware.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

NetworkSpec small_spec() {
  NetworkSpec spec;
  spec.resolution = 32;
  spec.in_channels = 1;
  spec.classes = 10;
  spec.width = 0.25;
  spec.first_stride = 2;
  return spec;
}

FloatModel model_with_batchnorm() {
  FloatModel m = make_synthetic_float_model(build_model("mobilenet_v2", small_spec()), 2);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0.5f, 1.5f);
  for (size_t i = 0; i < m.params.size(); ++i) {
    const Layer& l = m.network.layers[i];
    if (l.op != LayerOp::kConv) continue;
    m.params[i].bias.clear();  // the torch module's convs have no bias; BN carries it
    BatchNormParams& bn = m.params[i].bn;
    for (int c = 0; c < l.out_channels; ++c) {
      bn.gamma.push_back(u(rng));
      bn.beta.push_back(u(rng) - 1.0f);
      bn.mean.push_back(0.1f * (u(rng) - 1.0f));
      bn.var.push_back(u(rng));
    }
  }
  return m;
}

// Random images with random labels: a fixed batch to fit, nothing to generalize.
DataSplits random_splits(int n) {
  DataSplits d;
  d.name = "random";
  ImageDataset set;
  set.channels = 1;
  set.height = set.width = 32;
  std::mt19937 rng(5);
  for (int i = 0; i < n * 32 * 32; ++i) set.pixels.push_back(uint8_t(rng() & 0xff));
  for (int i = 0; i < n; ++i) set.labels.push_back(int(rng() % 10));
  d.train = d.calibration = d.validation = d.test = set;
  d.normalization = compute_normalization(set);
  return d;
}

QuantizationContext kmeans_context(int images) {
  QuantizationContext ctx = prepare_quantization(model_with_batchnorm(), random_splits(images), 16);
  ctx.weight_quantization.quantizer = WeightQuantizer::kKMeans;
  return ctx;
}

double fake_quantized_loss(TorchNetwork& net, const FakeQuantizer& fq, const Batch& b) {
  torch::NoGradGuard no_grad;
  return torch::nn::functional::cross_entropy(net->run(b.images, &fq.hooks()), b.labels)
      .item<double>();
}

TEST(CodebookFinetune, CentroidGradientIsTheSumOfItsWeightsGradients) {
  torch::set_num_threads(1);
  const QuantizationContext ctx = kmeans_context(16);
  const Policy policy = Policy::uniform(ctx.model.network.quantizable_count(), 3, 8);
  TorchNetwork net(ctx.model.network);
  net->load_float_model(ctx.model);
  net->eval();
  CodebookTrainer codebooks(net, ctx, policy);
  const FakeQuantizer fq(ctx, policy);
  std::vector<int> idx(16);
  for (int i = 0; i < 16; ++i) idx[i] = i;
  const Batch b = make_batch(ctx.data.train, ctx.data.normalization, idx);
  torch::nn::functional::cross_entropy(net->run(b.images, &fq.hooks()), b.labels).backward();
  const auto parameters = net->named_parameters();
  std::vector<std::vector<double>> expected;
  for (int i = 0; i < ctx.model.network.quantizable_count(); ++i) {
    std::string name = ctx.model.network.quantizable(i).name;
    const torch::Tensor grad = parameters[name + ".weight"].grad().reshape({-1}).contiguous();
    const torch::Tensor index = codebooks.indices(i);
    std::vector<double> sum(codebooks.centroids()[i].numel(), 0.0);
    for (int64_t k = 0; k < grad.numel(); ++k) {
      sum[index[k].item<int64_t>()] += grad[k].item<float>();
    }
    expected.push_back(sum);
  }
  codebooks.gather_gradients();
  for (size_t i = 0; i < expected.size(); ++i) {
    const torch::Tensor g = codebooks.centroids()[i].grad();
    ASSERT_TRUE(g.defined());
    double scale = 1e-12;
    for (double v : expected[i]) scale = std::max(scale, std::fabs(v));
    for (size_t j = 0; j < expected[i].size(); ++j) {
      EXPECT_NEAR(g[j].item<float>(), expected[i][j], 1e-5 * scale) << "layer " << i;
    }
  }
  // The weights' own gradients were consumed.
  for (int i = 0; i < ctx.model.network.quantizable_count(); ++i) {
    const torch::Tensor grad = parameters[ctx.model.network.quantizable(i).name + ".weight"].grad();
    EXPECT_EQ(grad.abs().sum().item<float>(), 0.0f);
  }
}

TEST(CodebookFinetune, LowersTheLossOfAFixedBatch) {
  torch::set_num_threads(1);
  const int images = 32;
  const QuantizationContext ctx = kmeans_context(images);
  const int layers = ctx.model.network.quantizable_count();
  const Policy policy = Policy::uniform(layers, 3, 8);
  std::vector<int> idx(images);
  for (int i = 0; i < images; ++i) idx[i] = i;
  const Batch batch = make_batch(ctx.data.train, ctx.data.normalization, idx);

  const IntegerScore integer_before = integer_score(ctx.quantize(policy), ctx.data.train, images);
  double fake_before = 0;
  {
    TorchNetwork net(ctx.model.network);
    net->load_float_model(ctx.model);
    net->eval();
    CodebookTrainer codebooks(net, ctx, policy);  // the weights on their codebooks
    fake_before = fake_quantized_loss(net, FakeQuantizer(ctx, policy), batch);
  }

  FinetuneOptions o;
  o.epochs = 15;
  o.images_per_epoch = images;
  o.batch_size = images;
  o.lr = 3e-3;
  TorchNetwork net(ctx.model.network);
  net->load_float_model(ctx.model);
  const FloatModel tuned = finetune_quantized(net, ctx, policy, o);
  const double fake_after = fake_quantized_loss(net, FakeQuantizer(ctx, policy), batch);
  EXPECT_LT(fake_after, fake_before);

  // Every layer still holds at most 2^3 distinct weights, which the integer path's k-means
  // recovers exactly as its codebook.
  const QuantizedNetwork q = quantize_finetuned(tuned, ctx, policy);
  for (int i = 0; i < layers; ++i) {
    const std::vector<float>& w = tuned.params[q.layers[i].layer_index].weight;
    EXPECT_LE(std::set<float>(w.begin(), w.end()).size(), 8u) << q.layers[i].name;
    EXPECT_EQ(quantization_error(w, kmeans_centroids(w, 3)), 0.0) << q.layers[i].name;
  }
  const IntegerScore integer_after = integer_score(q, ctx.data.train, images);
  EXPECT_LT(integer_after.loss, integer_before.loss);
  std::printf("fixed batch of %d: fake-quantized loss %.4f -> %.4f, integer %.4f -> %.4f\n", images,
              fake_before, fake_after, integer_before.loss, integer_after.loss);
}

}  // namespace
}  // namespace haqsim
