// Float training of a zoo network (TorchNetwork) on an image dataset: AdamW with a one-cycle
// learning-rate schedule (linear warm-up for 30% of the steps, cosine decay), label smoothing,
// random shift/flip augmentation. A checkpoint is written after every epoch so a long run's
// progress survives an interruption.
#pragma once

#include <functional>
#include <string>

#include "models/data/image_dataset.h"
#include "models/training/torch_network.h"

namespace haqsim {

struct TrainOptions {
  int epochs = 12;
  int batch_size = 128;
  double max_lr = 2e-3;
  double weight_decay = 0.01;
  double label_smoothing = 0.1;
  uint64_t seed = 1;
  int train_limit = 0;  // use only the first N training images (0: all); for quick checks
  // Images per epoch, drawn from a fresh shuffle of the whole train split (0: the whole split).
  // Shorter epochs give more frequent checkpoints on a slow machine.
  int images_per_epoch = 0;
  int eval_limit = 0;      // validation images per epoch (0: all)
  std::string checkpoint;  // weight file rewritten after each epoch (empty: none)
  std::function<void(const std::string&)> log;  // progress lines
};

struct EpochResult {
  int epoch = 0;
  double loss = 0, train_top1 = 0, val_top1 = 0, seconds = 0;
};

// One-cycle learning rate at `step` of `total` steps.
double one_cycle_lr(double max_lr, int64_t step, int64_t total);

std::vector<EpochResult> train_float(TorchNetwork& net, const DataSplits& data,
                                     const TrainOptions& options);

}  // namespace haqsim
