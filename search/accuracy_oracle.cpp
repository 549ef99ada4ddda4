#include "search/accuracy_oracle.h"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "base/checksummed_file.h"
#include "base/file_lock.h"
#include "base/fnv1a.h"
#include "models/quant/calibration_cache.h"
#include "models/quant/integer_executor.h"
#include "models/training/quant_aware.h"

namespace haqsim::search {

namespace {

constexpr const char* kMagic = "haqsim-accuracy-memo";
// Bump when the integer path's arithmetic changes what a policy measures.
constexpr int kVersion = 1;

std::string policy_key(const Policy& policy) {
  std::string key;
  for (const LayerBits& b : policy.layers) {
    key += fmt::format("{}{}/{}", key.empty() ? "" : " ", b.wbits, b.abits);
  }
  return key;
}

// "" for the linear quantizer (the keys memo files written before k-means existed hold), so
// they keep answering; the quantizer and its options otherwise.
std::string quantizer_key(const WeightQuantization& w) {
  if (w.quantizer == WeightQuantizer::kLinear) return "";
  return fmt::format("{} init={} iterations={} seed={} ", to_string(w.quantizer),
                     w.kmeans.init == CentroidInit::kLinear ? "linear" : "kmeans++",
                     w.kmeans.max_iterations, w.kmeans.seed);
}

std::string memo_key(const WeightQuantization& w, const Policy& policy, Split split, int images,
                     int first) {
  return fmt::format("{}{} {} {} {}", quantizer_key(w), to_string(split), images, first,
                     policy_key(policy));
}

void hash_split(Fnv1a& h, const ImageDataset& d) {
  h.values(d.pixels);
  h.values(d.labels);
}

// What every measurement depends on besides the policy and the subset.
std::string memo_file_key(const QuantizationContext& c, const AccuracyOptions& o) {
  Fnv1a h;
  h.text(calibration_key(c.model, c.data.calibration, c.data.normalization, c.calibration_images));
  h.text(fmt::format("v{} classes {} finetune {} seed {}", kVersion, c.data.classes,
                     o.finetune_images, o.finetune_images > 0 ? o.seed : 0));
  hash_split(h, c.data.validation);
  hash_split(h, c.data.test);
  if (o.finetune_images > 0) hash_split(h, c.data.train);
  return fmt::format("{:016x}", h.digest());
}

std::map<std::string, double> parse_memo(const std::string& body) {
  std::map<std::string, double> entries;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    entries[line.substr(0, tab)] = std::stod(line.substr(tab + 1));
  }
  return entries;
}

std::map<std::string, double> read_memo(const std::string& path) {
  if (!std::filesystem::exists(path)) return {};
  try {
    return parse_memo(read_checksummed(path, kMagic, kVersion));
  } catch (const UntrustedFile& e) {
    fmt::print(stderr, "haqsim: warning: accuracy memo not trusted, ignoring it: {}\n", e.what());
    return {};
  }
}

}  // namespace

AccuracyOracle::AccuracyOracle(const QuantizationContext& context, AccuracyOptions options)
    : context_(context), options_(std::move(options)) {
  if (!options_.cache_dir.empty()) {
    cache_path_ =
        fmt::format("{}/accuracy-{}.memo", options_.cache_dir, memo_file_key(context_, options_));
    memo_ = read_memo(cache_path_);
  }
}

double AccuracyOracle::top1_percent(const Policy& policy) {
  const std::string key =
      memo_key(context_.weight_quantization, policy, options_.split, options_.images, 0);
  const bool known = memo_.count(key) > 0;
  const double top1 = top1_percent(policy, options_.split, options_.images, 0);
  // Only new measurements count: a policy answered by the memo cost nothing.
  if (!known) ++evaluations_;
  return top1;
}

double AccuracyOracle::loss(const Policy& policy) {
  const std::string key = "loss " + memo_key(context_.weight_quantization, policy, options_.split,
                                             options_.images, /*first=*/0);
  if (auto it = memo_.find(key); it != memo_.end()) {
    if (!new_entries_.count(key)) ++cached_answers_;
    return it->second;
  }
  const IntegerScore score =
      integer_score(context_.quantize(policy), context_.data.get(options_.split), options_.images);
  ++measurements_;
  ++evaluations_;
  memo_[key] = new_entries_[key] = score.loss;
  if (options_.finetune_images == 0) {  // the same run measured the post-training top-1 too
    const std::string top1 =
        memo_key(context_.weight_quantization, policy, options_.split, options_.images, 0);
    memo_[top1] = new_entries_[top1] = 100.0 * score.top1;
  }
  return score.loss;
}

double AccuracyOracle::top1_percent(const Policy& policy, Split split, int images, int first) {
  const std::string key = memo_key(context_.weight_quantization, policy, split, images, first);
  if (auto it = memo_.find(key); it != memo_.end()) {
    if (!new_entries_.count(key)) ++cached_answers_;
    return it->second;
  }
  const double top1 = measure(policy, split, images, first);
  ++measurements_;
  memo_[key] = top1;
  new_entries_[key] = top1;
  return top1;
}

double AccuracyOracle::measure(const Policy& policy, Split split, int images, int first) const {
  if (options_.finetune_images > 0) {
    FinetuneOptions ft;
    ft.epochs = 1;
    ft.images_per_epoch = options_.finetune_images;
    ft.seed = options_.seed;
    return 100.0 * finetuned_integer_top1(context_, policy, ft, split, images, first);
  }
  const QuantizedNetwork q = context_.quantize(policy);
  return 100.0 * integer_top1(q, context_.data.get(split), images, first);
}

double AccuracyOracle::finetuned_top1_percent(const Policy& policy, const FinetuneOptions& ft,
                                              Split split, int images) {
  if (train_key_.empty()) {
    Fnv1a h;
    hash_split(h, context_.data.train);
    train_key_ = fmt::format("{:016x}", h.digest());
  }
  const std::string key = fmt::format(
      "tuned train {} epochs {} images {} batch {} lr {:.17g} seed {} threads {} {}", train_key_,
      ft.epochs, ft.images_per_epoch, ft.batch_size, ft.lr, ft.seed, finetune_threads(),
      memo_key(context_.weight_quantization, policy, split, images, 0));
  if (auto it = memo_.find(key); it != memo_.end()) {
    if (!new_entries_.count(key)) ++cached_answers_;
    return it->second;
  }
  const double top1 = 100.0 * finetuned_integer_top1(context_, policy, ft, split, images);
  ++measurements_;
  memo_[key] = new_entries_[key] = top1;
  return top1;
}

void AccuracyOracle::save_cache() const {
  if (cache_path_.empty() || new_entries_.empty()) return;
  std::filesystem::create_directories(options_.cache_dir);
  FileLock lock(cache_path_ + ".lock");
  std::map<std::string, double> merged = read_memo(cache_path_);
  for (const auto& [key, value] : new_entries_) merged[key] = value;
  std::string body;
  for (const auto& [key, value] : merged) body += fmt::format("{}\t{:.17g}\n", key, value);
  write_checksummed(cache_path_, kMagic, kVersion, body);
}

}  // namespace haqsim::search
