// `haqsim train`: trains a zoo network (float) on an image dataset with libtorch and writes the
// weight file (float16, models/quant/float_model.h) plus a YAML card recording how it was
// trained and its float top-1 on the validation and test splits.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/data/image_dataset.h"
#include "models/quant/pretrained.h"
#include "models/training/batches.h"
#include "models/training/float_training.h"
#include "models/zoo.h"
#include "tools/haqsim/cli_main.h"
#include "tools/haqsim/commands.h"

namespace haqsim::cli {

namespace {

struct TrainCliOptions {
  std::string model;
  std::string dataset = "fashion-mnist";
  std::string out;
  std::string init;  // continue from these weights
  int epochs = 12;
  int resolution = 32;
  int channels = 1;
  int first_stride = 1;
  double width = 1.0;
  int threads = 2;
  int train_images = 0;
  int eval_images = 0;
  TrainOptions train;
};

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// The card next to the weights: <out without extension>.yaml.
std::string card_path(const std::string& weights) {
  return std::filesystem::path(weights).replace_extension(".yaml").string();
}

int run_train(TrainCliOptions o) {
  // Checked first: the weights are written only after the whole training.
  if (!o.out.empty()) require_usable_output(o.out, OutputKind::kFile, "--out");
  torch::set_num_threads(o.threads);
  const DataSplits data = load_dataset(o.dataset, o.resolution, o.channels);
  NetworkSpec spec;
  spec.resolution = o.resolution;
  spec.in_channels = o.channels;
  spec.classes = data.classes;
  spec.width = o.width;
  spec.first_stride = o.first_stride;
  const Network network = build_model(o.model, spec);
  if (o.out.empty()) o.out = pretrained_weights_path(o.model);
  TorchNetwork net(network);
  if (!o.init.empty()) {
    const FloatModel start = load_float_model(o.init);
    if (start.network.name != network.name || start.network.spec.resolution != spec.resolution ||
        start.network.spec.first_stride != spec.first_stride ||
        start.network.spec.in_channels != spec.in_channels) {
      throw InputError(
          InputLocation{o.init, 0, "model", -1},
          fmt::format("weights of {} at {}x{}x{}, first stride {}", network.name, spec.resolution,
                      spec.resolution, spec.in_channels, spec.first_stride),
          fmt::format("{} at {}x{}x{}, first stride {}", start.network.name,
                      start.network.spec.resolution, start.network.spec.resolution,
                      start.network.spec.in_channels, start.network.spec.first_stride));
    }
    net->load_float_model(start);
  }
  o.train.epochs = o.epochs;
  o.train.train_limit = o.train_images;
  o.train.eval_limit = o.eval_images;
  o.train.checkpoint = o.out + ".ckpt";
  o.train.log = [](const std::string& line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  fmt::print(
      "training {} ({}x{}x{}, first stride {}) on {}: {} train / {} val / {} test images, "
      "{} epochs, {} threads\n",
      o.model, o.resolution, o.resolution, o.channels, o.first_stride, data.name, data.train.size(),
      data.validation.size(), data.test.size(), o.epochs, o.threads);
  const auto started = std::chrono::steady_clock::now();
  const std::vector<EpochResult> epochs = train_float(net, data, o.train);
  const double test_top1 = evaluate_top1(
      *net, [&](const torch::Tensor& x) { return net->forward(x); }, data.test, data.normalization,
      o.eval_images);
  const double minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() / 60;
  fmt::print("test top-1 {:.4f} after {} epochs ({:.1f} min)\n", test_top1, o.epochs, minutes);

  save_float_model(net->to_float_model(data.normalization), o.out, /*half=*/true);
  YAML::Emitter card;
  card << YAML::BeginMap;
  card << YAML::Key << "model" << YAML::Value << o.model;
  card << YAML::Key << "dataset" << YAML::Value << data.name;
  card << YAML::Key << "weights" << YAML::Value << std::filesystem::path(o.out).filename().string();
  card << YAML::Key << "resolution" << YAML::Value << o.resolution;
  card << YAML::Key << "in_channels" << YAML::Value << o.channels;
  card << YAML::Key << "classes" << YAML::Value << data.classes;
  card << YAML::Key << "width" << YAML::Value << o.width;
  card << YAML::Key << "first_stride" << YAML::Value << o.first_stride;
  card << YAML::Key << "input" << YAML::Value
       << "28x28 grayscale zero-padded to the resolution, (pixel/255 - mean) / std";
  card << YAML::Key << "normalization" << YAML::Value << YAML::BeginMap << YAML::Key << "mean"
       << YAML::Value << YAML::Flow << data.normalization.mean << YAML::Key << "std" << YAML::Value
       << YAML::Flow << data.normalization.std << YAML::EndMap;
  card << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
  card << YAML::Key << "epochs" << YAML::Value << o.epochs;
  if (!o.init.empty()) card << YAML::Key << "initialized_from" << YAML::Value << o.init;
  card << YAML::Key << "train_images" << YAML::Value
       << (o.train_images > 0 ? std::min(o.train_images, data.train.size()) : data.train.size());
  card << YAML::Key << "images_per_epoch" << YAML::Value
       << (o.train.images_per_epoch > 0 ? o.train.images_per_epoch : data.train.size());
  card << YAML::Key << "batch_size" << YAML::Value << o.train.batch_size;
  card << YAML::Key << "optimizer" << YAML::Value
       << fmt::format("AdamW, one-cycle lr max {} (30% warm-up, cosine), weight decay {}",
                      o.train.max_lr, o.train.weight_decay);
  card << YAML::Key << "label_smoothing" << YAML::Value << o.train.label_smoothing;
  card << YAML::Key << "augmentation" << YAML::Value << "random shift +-2 px, horizontal flip";
  card << YAML::Key << "seed" << YAML::Value << o.train.seed;
  card << YAML::Key << "threads" << YAML::Value << o.threads;
  card << YAML::Key << "minutes" << YAML::Value << std::round(minutes * 10) / 10;
  card << YAML::EndMap;
  card << YAML::Key << "val_top1_per_epoch" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& e : epochs) card << std::round(e.val_top1 * 1e4) / 1e4;
  card << YAML::EndSeq;
  card << YAML::Key << "float_top1" << YAML::Value << YAML::BeginMap << YAML::Key << "val"
       << YAML::Value << (epochs.empty() ? 0.0 : std::round(epochs.back().val_top1 * 1e4) / 1e4)
       << YAML::Key << "test" << YAML::Value << std::round(test_top1 * 1e4) / 1e4 << YAML::EndMap;
  card << YAML::Key << "weights_precision" << YAML::Value
       << "float16 (float top-1 measured with the float32 weights before rounding)";
  card << YAML::Key << "date" << YAML::Value << utc_now();
  card << YAML::EndMap;
  write_file_atomically(card_path(o.out), std::string(card.c_str()) + "\n");
  fmt::print("wrote {} and {}\n", o.out, card_path(o.out));
  return 0;
}

}  // namespace

Command add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainCliOptions>();
  auto* cmd = app.add_subcommand("train", learning_command_description("train"));
  cmd->add_option("--model", o->model, "Network from the zoo (mobilenet_v1, mobilenet_v2, ...)")
      ->required();
  cmd->add_option("--dataset", o->dataset,
                  "fashion-mnist, or a directory of IDX files (see README)")
      ->default_val("fashion-mnist");
  cmd->add_option("--epochs", o->epochs, "Training epochs")
      ->default_val(12)
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--out", o->out,
                  "Weight file (default: models/pretrained/<model>_fmnist.bin); a card "
                  "<out>.yaml is written next to it and <out>.ckpt after every epoch");
  cmd->add_option("--init", o->init, "Start from these weights (a weight file) instead of random")
      ->check(CLI::ExistingFile);
  cmd->add_option("--resolution", o->resolution, "Input resolution")
      ->default_val(32)
      ->check(CLI::Range(8, 1024));
  cmd->add_option("--channels", o->channels, "Input channels (1, or 3 to replicate grayscale)")
      ->default_val(1)
      ->check(CLI::IsMember({1, 3}));
  cmd->add_option("--first-stride", o->first_stride, "Stride of the first convolution")
      ->default_val(1)
      ->check(CLI::Range(1, 4));
  cmd->add_option("--width", o->width, "Width multiplier")
      ->default_val(1.0)
      ->check(CLI::Range(0.01, 4.0));
  add_threads_option(cmd, o->threads, 2, "");
  cmd->add_option("--batch-size", o->train.batch_size, "Mini-batch size")
      ->default_val(128)
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--lr", o->train.max_lr, "Peak learning rate of the one-cycle schedule")
      ->default_val(2e-3)
      ->check(CLI::Range(1e-9, 10.0));
  cmd->add_option("--seed", o->train.seed, "Random seed")->default_val(1);
  cmd->add_option("--train-images", o->train_images, "Use only the first N training images")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--images-per-epoch", o->train.images_per_epoch,
                  "Images per epoch, drawn afresh from the whole train split each epoch "
                  "(default: the whole split)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--eval-images", o->eval_images,
                  "Evaluate on only the first N validation/test images")
      ->check(CLI::Range(1, 100000000));
  return [o] { return run_train(*o); };
}

}  // namespace haqsim::cli
