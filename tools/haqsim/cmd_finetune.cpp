// `haqsim finetune`: quantization-aware fine-tuning of a trained model at a policy (the long
// fine-tune HAQ gives the chosen policy); writes the fine-tuned float32 weights and reports the
// integer top-1 before and after.
#include <fmt/format.h>

#include <cstdio>

#include "base/atomic_file.h"
#include "models/quant/integer_executor.h"
#include "models/quant/quantization_context.h"
#include "models/training/quant_aware.h"
#include "tools/haqsim/cli_main.h"
#include "tools/haqsim/commands.h"
#include "tools/haqsim/policy_options.h"
#include "tools/haqsim/weight_quantizer_options.h"

namespace haqsim::cli {

namespace {

struct FinetuneCliOptions {
  std::string model;
  std::string weights;
  std::string dataset = "fashion-mnist";
  PolicyOptions policy;
  WeightQuantizerOptions weight_quantizer;
  std::string out;
  std::string split = "val";
  int images = 0;
  int threads = 2;
  FinetuneOptions finetune;
  CacheOptions cache;
};

int run_finetune(FinetuneCliOptions o) {
  // Checked first: the weights are written only after the whole fine-tune.
  require_usable_output(o.out, OutputKind::kFile, "--out");
  torch::set_num_threads(o.threads);
  const std::string weights = resolve_weights(o.model, o.weights);
  const Split split = parse_split(o.split);
  QuantizationContext ctx =
      prepare_quantization(weights, o.dataset, kDefaultCalibrationImages, o.cache.calibration());
  ctx.weight_quantization = o.weight_quantizer.resolve();
  const Network& net = ctx.model.network;
  const Policy policy = o.policy.resolve(net);
  const ImageDataset& data = ctx.data.get(split);
  const double before = integer_top1(ctx.quantize(policy), data, o.images);
  fmt::print("{} at policy {} ({} weights): integer top-1 {:.2f}% on {} before fine-tuning\n",
             net.name, policy.source, o.weight_quantizer.quantizer, 100 * before, to_string(split));
  TorchNetwork torch_net(net);
  torch_net->load_float_model(ctx.model);
  o.finetune.checkpoint = o.out + ".ckpt";
  o.finetune.log = [](const std::string& line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  const FloatModel tuned = finetune_quantized(torch_net, ctx, policy, o.finetune);
  const double after = integer_top1(quantize_finetuned(tuned, ctx, policy), data, o.images);
  save_float_model(tuned, o.out, /*half=*/false);
  fmt::print("integer top-1 {:.2f}% -> {:.2f}% on {} after {} epoch(s); wrote {}\n", 100 * before,
             100 * after, to_string(split), o.finetune.epochs, o.out);
  return 0;
}

}  // namespace

Command add_finetune_command(CLI::App& app) {
  auto o = std::make_shared<FinetuneCliOptions>();
  auto* cmd = app.add_subcommand("finetune", learning_command_description("finetune"));
  cmd->add_option("--model", o->model, "Model with shipped weights (models/pretrained/)");
  cmd->add_option("--weights", o->weights, "Weight file instead of the shipped one")
      ->check(CLI::ExistingFile);
  cmd->add_option("--dataset", o->dataset, "fashion-mnist, or a directory of IDX files")
      ->default_val("fashion-mnist");
  o->policy.add_to(*cmd);
  o->weight_quantizer.add_to(*cmd);
  cmd->add_option("--epochs", o->finetune.epochs, "Fine-tuning epochs")
      ->default_val(1)
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--images-per-epoch", o->finetune.images_per_epoch,
                  "Training images per epoch (default: the whole train split)")
      ->default_val(0)
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--lr", o->finetune.lr, "Peak learning rate (AdamW, cosine decay)")
      ->default_val(1e-4)
      ->check(CLI::Range(1e-9, 10.0));
  cmd->add_option("--out", o->out, "Fine-tuned weight file (float32)")->required();
  o->cache.add_to(*cmd);
  cmd->add_option("--split", o->split, "Split for the before/after top-1")->default_val("val");
  cmd->add_option("--images", o->images, "Evaluate on the first N images of the split")
      ->check(CLI::Range(1, 100000000));
  add_threads_option(cmd, o->threads, 2, "");
  return [o] { return run_finetune(*o); };
}

}  // namespace haqsim::cli
