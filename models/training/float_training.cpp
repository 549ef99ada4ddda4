#include "models/training/float_training.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "models/training/batches.h"

namespace haqsim {

double one_cycle_lr(double max_lr, int64_t step, int64_t total) {
  const double warmup = 0.3 * total;
  const double start = max_lr / 25, end = max_lr / 1e4;
  if (step < warmup) return start + (max_lr - start) * step / warmup;
  const double t = (step - warmup) / std::max(1.0, total - warmup);
  return end + (max_lr - end) * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t)));
}

std::vector<EpochResult> train_float(TorchNetwork& net, const DataSplits& data,
                                     const TrainOptions& o) {
  torch::manual_seed(o.seed);
  std::mt19937_64 rng(o.seed);
  const int n = o.train_limit > 0 ? std::min(o.train_limit, data.train.size()) : data.train.size();
  const int per_epoch = o.images_per_epoch > 0 ? std::min(o.images_per_epoch, n) : n;
  const int64_t steps_per_epoch = (per_epoch + o.batch_size - 1) / o.batch_size;
  const int64_t total_steps = steps_per_epoch * o.epochs;
  torch::optim::AdamW optimizer(net->parameters(),
                                torch::optim::AdamWOptions(o.max_lr).weight_decay(o.weight_decay));
  auto log = [&](const std::string& line) {
    if (o.log) o.log(line);
  };
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<EpochResult> results;
  int64_t step = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto started = std::chrono::steady_clock::now();
    net->train();
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0;
    int64_t correct = 0, seen = 0;
    for (int64_t s = 0; s < steps_per_epoch; ++s, ++step) {
      const int first = int(s * o.batch_size);
      std::vector<int> idx(order.begin() + first,
                           order.begin() + std::min<int64_t>(per_epoch, first + o.batch_size));
      Batch b = make_batch(data.train, data.normalization, idx, &rng);
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options())
            .lr(one_cycle_lr(o.max_lr, step, total_steps));
      }
      optimizer.zero_grad();
      torch::Tensor logits = net->forward(b.images);
      torch::Tensor loss = torch::nn::functional::cross_entropy(
          logits, b.labels,
          torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(o.label_smoothing));
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>() * idx.size();
      correct += logits.argmax(1).eq(b.labels).sum().item<int64_t>();
      seen += int64_t(idx.size());
      if ((s + 1) % 50 == 0) {
        log(fmt::format("epoch {} step {}/{} loss {:.4f} train_top1 {:.4f} lr {:.2e}", epoch, s + 1,
                        steps_per_epoch, loss_sum / seen, double(correct) / seen,
                        one_cycle_lr(o.max_lr, step, total_steps)));
      }
    }
    EpochResult r;
    r.epoch = epoch;
    r.loss = loss_sum / std::max<int64_t>(1, seen);
    r.train_top1 = double(correct) / std::max<int64_t>(1, seen);
    r.val_top1 = evaluate_top1(
        *net, [&](const torch::Tensor& x) { return net->forward(x); }, data.validation,
        data.normalization, o.eval_limit);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    results.push_back(r);
    log(fmt::format("epoch {} done: loss {:.4f} train_top1 {:.4f} val_top1 {:.4f} ({:.0f} s)",
                    epoch, r.loss, r.train_top1, r.val_top1, r.seconds));
    if (!o.checkpoint.empty()) {
      save_float_model(net->to_float_model(data.normalization), o.checkpoint, /*half=*/false);
      log(fmt::format("checkpoint written to {}", o.checkpoint));
    }
  }
  return results;
}

}  // namespace haqsim
