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
#include "tests/models/small_models.h"

namespace haqsim {
namespace {

using test::model_with_batchnorm;
using test::random_splits;
using test::small_spec;

QuantizationContext kmeans_context(int images) {
  QuantizationContext ctx =
      prepare_quantization(model_with_batchnorm("mobilenet_v2"), random_splits(images), 16);
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
