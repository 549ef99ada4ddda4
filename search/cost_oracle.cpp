#include "search/cost_oracle.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

#include "base/cache_dir.h"
#include "base/checksummed_file.h"
#include "base/file_lock.h"
#include "base/fnv1a.h"
#include "base/process_pool.h"
#include "base/progress.h"
#include "sim/registry.h"

namespace haqsim::search {

namespace {

constexpr const char* kCacheMagic = "haqsim-cost-cache";
constexpr int kCacheVersion = 1;
// Bump when any model's timing or energy accounting changes, so caches from before are not
// trusted (the file name carries it, so old files are simply not found).
// 2: BitFusion fill/drain rows + cols (was rows + cols - 2); 3: BISMO's per-request memory port,
// instruction overhead and depthwise mappings, BitFusion's row-shared depthwise (the fidelity
// changes: a config file whose text did not change would otherwise keep its old costs).
constexpr int kTimingModelVersion = 3;

std::string shape_key(const LayerWorkload& w) {
  return fmt::format("{}:b{}:i{}x{}x{}:o{}x{}x{}:k{}x{}:{}:g{}:{}", to_string(w.kind), w.batch,
                     w.in_channels, w.in_height, w.in_width, w.out_channels, w.out_height,
                     w.out_width, w.kernel_h, w.kernel_w, w.geometry_key(), w.groups,
                     w.input_signed ? "s" : "u");
}

// The search needs costs only; the cycle-accurate models' outputs are checked elsewhere.
ModelOptions unverified() {
  ModelOptions options;
  options.verify = false;
  return options;
}

}  // namespace

CostOracle::CostOracle(const ArchConfig& config, Backend backend, const Network& network,
                       CostCacheOptions cache)
    : model_(make_cost_model(config, backend, unverified())), backend_(backend) {
  init(network, config.content, std::move(cache));
}

CostOracle::CostOracle(std::unique_ptr<LayerCostModel> model, Backend backend,
                       const Network& network, CostCacheOptions cache)
    : model_(std::move(model)), backend_(backend) {
  init(network, model_->config().content, std::move(cache));
}

CostOracle::~CostOracle() {
  try {
    save();
  } catch (const std::exception& e) {
    fmt::print(stderr, "haqsim: warning: cost cache not saved: {}\n", e.what());
  }
}

void CostOracle::init(const Network& network, const std::string& arch_content,
                      CostCacheOptions cache) {
  workloads_ = lower_network(network);
  for (const auto& w : workloads_) shape_keys_.push_back(shape_key(w));
  memo_.assign(workloads_.size() * 64, LayerCost{});
  known_.assign(workloads_.size() * 64, 0);
  arch_hash_ = fmt::format("{:016x}", Fnv1a().text(arch_content).digest());
  cache_enabled_ = cache.enabled;
  if (!cache_enabled_) return;
  const std::string dir = cache.dir.empty() ? default_cache_dir() : cache.dir;
  cache_path_ = fmt::format("{}/costs-{}-{}-t{}.cache", dir, arch_hash_, to_string(backend_),
                            kTimingModelVersion);
  load_disk_cache();
}

std::map<std::string, LayerCost> CostOracle::parse_cache(const std::string& body) const {
  std::map<std::string, LayerCost> entries;
  std::istringstream in(body);
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    throw UntrustedFile(fmt::format("{}: line {}: {}", cache_path_, line_no + 1, why));
  };
  std::string word, value;
  ++line_no;
  if (!std::getline(in, line) || line != "arch " + arch_hash_) {
    fail(fmt::format("made for another accelerator instance ('{}', expected 'arch {}')", line,
                     arch_hash_));
  }
  ++line_no;
  if (!std::getline(in, line) || line != std::string("backend ") + to_string(backend_)) {
    fail(fmt::format("made by another backend ('{}')", line));
  }
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream fields(line);
    std::string key;
    LayerCost c;
    if (!(fields >> key >> c.cycles >> c.latency_ms >> c.energy_mj) || c.cycles < 0) {
      fail(fmt::format("expected '<layer shape>|<w>|<a> <cycles> <ms> <mJ>', found '{}'", line));
    }
    entries[key] = c;
  }
  return entries;
}

void CostOracle::merge_newer_disk_entries() {
  if (!cache_enabled_ || !cache_problem_.empty()) return;
  std::error_code ec;
  const auto stamp = std::filesystem::last_write_time(cache_path_, ec);
  if (ec || stamp == disk_stamp_) return;
  try {
    for (auto& [k, v] : parse_cache(read_checksummed(cache_path_, kCacheMagic, kCacheVersion))) {
      disk_.emplace(k, v);
    }
    disk_stamp_ = stamp;
  } catch (const UntrustedFile&) {
    // Being rewritten or damaged: the next save replaces it; nothing is lost by not merging.
  }
}

void CostOracle::load_disk_cache() {
  if (!std::filesystem::exists(cache_path_)) return;
  try {
    disk_ = parse_cache(read_checksummed(cache_path_, kCacheMagic, kCacheVersion));
    std::error_code ec;
    disk_stamp_ = std::filesystem::last_write_time(cache_path_, ec);
  } catch (const UntrustedFile& e) {
    cache_problem_ = e.what();
    disk_.clear();
    dirty_ = true;  // rewrite it whole at the next save
    fmt::print(stderr, "haqsim: warning: cost cache not trusted, rebuilding it: {}\n", e.what());
  }
}

std::string CostOracle::entry_key(int quant_index, LayerBits bits) const {
  return fmt::format("{}|{}|{}", shape_keys_[quant_index], bits.wbits, bits.abits);
}

void CostOracle::throw_out_of_range(int quant_index, LayerBits bits) {
  throw std::out_of_range(fmt::format("cost query for layer {} at w{}a{} is out of range",
                                      quant_index, bits.wbits, bits.abits));
}

void CostOracle::compute(int quant_index, LayerBits bits) {
  const size_t slot = slot_of(quant_index, bits);
  const std::string key = entry_key(quant_index, bits);
  if (auto it = disk_.find(key); it != disk_.end()) {
    memo_[slot] = it->second;
  } else {
    const LayerStats stats = model_->evaluate(workloads_[quant_index], bits);
    LayerCost c;
    c.cycles = stats.cycles;
    c.latency_ms = model_->config().cycles_to_ms(double(stats.cycles));
    c.energy_mj = stats.energy.total_pj() * 1e-9;
    memo_[slot] = c;
    disk_[key] = c;
    dirty_ = true;
    ++simulations_;
  }
  known_[slot] = 1;
}

PolicyCost CostOracle::cost(const Policy& policy) {
  PolicyCost total;
  for (int i = 0; i < layers(); ++i) {
    const LayerCost& c = layer(i, policy.layers.at(i));
    total.latency_ms += c.latency_ms;
    total.energy_mj += c.energy_mj;
  }
  total.size_mb = size_mb(policy);
  return total;
}

double CostOracle::layer_size_mb(int quant_index, int wbits) const {
  const int64_t bits =
      weight_storage_bits(workloads_.at(quant_index).weight_elements(), wbits, weight_quantizer_);
  return double(bits) / 8.0 / 1e6;
}

double CostOracle::size_mb(const Policy& policy) const {
  double total = 0;
  for (int i = 0; i < layers(); ++i) total += layer_size_mb(i, policy.layers.at(i).wbits);
  return total;
}

void CostOracle::fill(int min_bits, int max_bits, bool show_progress, int jobs) {
  std::vector<std::pair<int, LayerBits>> missing;
  std::map<std::string, bool> queued;  // identical layers are simulated once
  for (int i = 0; i < layers(); ++i) {
    for (int w = min_bits; w <= max_bits; ++w) {
      for (int a = min_bits; a <= max_bits; ++a) {
        const LayerBits bits{w, a};
        const std::string key = entry_key(i, bits);
        if (disk_.count(key) || queued.count(key)) continue;
        queued[key] = true;
        missing.push_back({i, bits});
      }
    }
  }
  // Start at a place of this process's own (every entry is independent, so the order does not
  // change a result): two runs filling one cache at once then mostly work on different entries
  // and pick up each other's saved ones, instead of racing through the same ones.
  if (!missing.empty()) {
    // Whole (layer, weight bits) rows stay together for the workers below.
    size_t start = size_t(std::random_device{}()) % missing.size();
    while (start > 0 && missing[start].first == missing[start - 1].first &&
           missing[start].second.wbits == missing[start - 1].second.wbits) {
      --start;
    }
    std::rotate(missing.begin(), missing.begin() + std::ptrdiff_t(start), missing.end());
  }
  Progress progress(fmt::format("cost cache ({} backend{})", to_string(backend_),
                                jobs > 1 ? fmt::format(", {} workers", jobs) : ""),
                    int64_t(missing.size()), show_progress && !missing.empty(), 15);
  auto last_save = std::chrono::steady_clock::now();
  // Keep what was simulated if the run is killed half-way, and let concurrent runs see it.
  auto save_now_and_then = [&] {
    if (std::chrono::steady_clock::now() - last_save > std::chrono::seconds(5)) {
      save();
      last_save = std::chrono::steady_clock::now();
    }
  };
  if (jobs <= 1) {
    for (const auto& [i, bits] : missing) {
      merge_newer_disk_entries();  // a concurrent run may have simulated it meanwhile
      const int64_t before = simulations_;
      layer(i, bits);
      if (simulations_ == before) ++shared_;
      progress.advance(1, fmt::format("{} w{}a{}", workloads_[i].name, bits.wbits, bits.abits));
      save_now_and_then();
    }
  } else {
    // One work item per (layer, weight bits): a few simulations each, so a forked worker's
    // start-up is amortized and the slowest layer does not hold back the others for long.
    std::vector<std::vector<std::pair<int, LayerBits>>> groups;
    for (const auto& entry : missing) {
      if (groups.empty() || groups.back().front().first != entry.first ||
          groups.back().front().second.wbits != entry.second.wbits) {
        groups.emplace_back();
      }
      groups.back().push_back(entry);
    }
    std::vector<int64_t> items(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) items[g] = int64_t(g);
    run_in_processes(
        items, jobs,
        [&](int64_t g) {
          merge_newer_disk_entries();  // a concurrent run may have simulated some meanwhile
          std::string lines;
          for (const auto& [i, bits] : groups[size_t(g)]) {
            const int64_t before = simulations_;
            const LayerCost& c = layer(i, bits);
            lines +=
                fmt::format("{} {} {} {} {:.17g} {:.17g} {}\n", i, bits.wbits, bits.abits, c.cycles,
                            c.latency_ms, c.energy_mj, simulations_ > before ? 1 : 0);
          }
          return lines;
        },
        [&](int64_t g, const std::string& lines) {
          std::istringstream in(lines);
          int i = 0;
          LayerBits bits;
          LayerCost c;
          int simulated = 0;
          while (in >> i >> bits.wbits >> bits.abits >> c.cycles >> c.latency_ms >> c.energy_mj >>
                 simulated) {
            memo_[slot_of(i, bits)] = c;
            known_[slot_of(i, bits)] = 1;
            disk_[entry_key(i, bits)] = c;
            dirty_ = true;
            if (simulated) {
              ++simulations_;
            } else {
              ++shared_;
            }
          }
          const auto& [i0, bits0] = groups[size_t(g)].front();
          progress.advance(int64_t(groups[size_t(g)].size()),
                           fmt::format("{} w{}", workloads_[i0].name, bits0.wbits));
          save_now_and_then();
        });
  }
  if (!missing.empty()) progress.finish();
  save();
}

void CostOracle::save() {
  if (!cache_enabled_ || !dirty_) return;
  // Merge with entries another run may have added since we loaded (never trust a bad file),
  // under a lock: two runs reading, merging and writing at once would each drop the other's new
  // entries (the write itself is atomic, the read-merge-write is not).
  const FileLock lock(cache_path_ + ".lock");
  std::map<std::string, LayerCost> merged = disk_;
  if (cache_problem_.empty() && std::filesystem::exists(cache_path_)) {
    try {
      for (auto& [k, v] : parse_cache(read_checksummed(cache_path_, kCacheMagic, kCacheVersion))) {
        merged.emplace(k, v);
      }
    } catch (const UntrustedFile&) {
    }
  }
  std::string body = fmt::format("arch {}\nbackend {}\n", arch_hash_, to_string(backend_));
  for (const auto& [k, c] : merged) {
    body += fmt::format("{} {} {:.17g} {:.17g}\n", k, c.cycles, c.latency_ms, c.energy_mj);
  }
  write_checksummed(cache_path_, kCacheMagic, kCacheVersion, body);
  disk_ = std::move(merged);
  std::error_code ec;
  disk_stamp_ = std::filesystem::last_write_time(cache_path_, ec);
  cache_problem_.clear();
  dirty_ = false;
}

}  // namespace haqsim::search
