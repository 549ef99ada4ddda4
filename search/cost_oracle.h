// The search's hardware feedback: latency, energy and model size of each quantizable layer at
// each (wbits, abits), from one accelerator instance and backend (analytic, systemc, rtl).
//
// Three levels, fastest first:
//   - an in-process table indexed by (layer, wbits, abits): a query is an array lookup;
//   - an on-disk cache shared by every run on the same hardware, keyed by the arch config's text,
//     the backend and each layer's shape (so MobileNet-V1's five identical 14x14 blocks share
//     entries, and other networks reuse them too), framed with a version and checksum
//     (base/checksummed_file.h): a corrupt or foreign file is reported and rebuilt;
//   - the cost model itself, on a miss.
// Cycles never depend on operand values (tests: CyclesDoNotDependOnData), so simulations run
// seeded operands without re-checking them against the reference.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/network.h"
#include "models/policy.h"
#include "models/quant/weight_storage.h"
#include "models/workload.h"
#include "search/constraint.h"
#include "sim/common/cost_model.h"

namespace haqsim::search {

struct LayerCost {
  int64_t cycles = 0;
  double latency_ms = 0;
  double energy_mj = 0;
};

struct CostCacheOptions {
  bool enabled = true;
  std::string dir;  // empty: default_cache_dir() (base/cache_dir.h)
};

class CostOracle {
 public:
  // `network` is the instance the hardware runs (shape and batch); its quantizable layers are the
  // policy's layers.
  CostOracle(const ArchConfig& config, Backend backend, const Network& network,
             CostCacheOptions cache = {});
  // For tests and benchmarks: an already-built cost model.
  CostOracle(std::unique_ptr<LayerCostModel> model, Backend backend, const Network& network,
             CostCacheOptions cache = {});
  ~CostOracle();
  CostOracle(const CostOracle&) = delete;
  CostOracle& operator=(const CostOracle&) = delete;

  const LayerCost& layer(int quant_index, LayerBits bits) {
    if (unsigned(quant_index) >= unsigned(layers()) || unsigned(bits.wbits - 1) >= 8u ||
        unsigned(bits.abits - 1) >= 8u) {
      throw_out_of_range(quant_index, bits);
    }
    const size_t slot = slot_of(quant_index, bits);
    if (!known_[slot]) compute(quant_index, bits);
    return memo_[slot];
  }
  PolicyCost cost(const Policy& policy);
  // Storage of the layer's weights in 10^6 bytes (models/quant/weight_storage.h): wbits per
  // weight, plus the codebook with the k-means quantizer.
  double layer_size_mb(int quant_index, int wbits) const;
  double size_mb(const Policy& policy) const;
  // The quantizer whose storage size_mb counts (linear unless set).
  void set_weight_quantizer(WeightQuantizer quantizer) { weight_quantizer_ = quantizer; }
  WeightQuantizer weight_quantizer() const { return weight_quantizer_; }

  // Simulates every layer at every pair in [min_bits, max_bits]^2 that is not cached yet, in
  // `jobs` forked worker processes (base/process_pool.h; SystemC allows one simulation per
  // process). Results are identical for any `jobs`: each entry is one independent simulation.
  void fill(int min_bits, int max_bits, bool show_progress, int jobs = 1);
  // Writes new entries to the disk cache, merged under a file lock with what other runs wrote
  // meanwhile, so concurrent searches on the same hardware share one cache without losing
  // entries.
  void save();

  int layers() const { return int(workloads_.size()); }
  const std::vector<LayerWorkload>& workloads() const { return workloads_; }
  const std::string& cache_path() const { return cache_path_; }
  // What loading the disk cache found ("", or why the file was not trusted).
  const std::string& cache_problem() const { return cache_problem_; }
  int64_t simulations() const { return simulations_; }
  // Entries a fill found simulated by a concurrent run after this one loaded the cache.
  int64_t shared_entries() const { return shared_; }
  int64_t disk_entries() const { return int64_t(disk_.size()); }

 private:
  static size_t slot_of(int quant_index, LayerBits bits) {
    return size_t(quant_index) * 64 + size_t(bits.wbits - 1) * 8 + size_t(bits.abits - 1);
  }
  void init(const Network& network, const std::string& arch_content, CostCacheOptions cache);
  void compute(int quant_index, LayerBits bits);
  [[noreturn]] static void throw_out_of_range(int quant_index, LayerBits bits);
  std::string entry_key(int quant_index, LayerBits bits) const;
  void load_disk_cache();
  // Adds entries other runs saved since the file was last read (its mtime changed), so
  // concurrent fills of one cache mostly split the work instead of repeating it.
  void merge_newer_disk_entries();
  std::map<std::string, LayerCost> parse_cache(const std::string& body) const;

  std::unique_ptr<LayerCostModel> model_;
  Backend backend_;
  WeightQuantizer weight_quantizer_ = WeightQuantizer::kLinear;
  std::vector<LayerWorkload> workloads_;
  std::vector<std::string> shape_keys_;
  std::vector<LayerCost> memo_;
  std::vector<uint8_t> known_;
  std::map<std::string, LayerCost> disk_;
  bool dirty_ = false;
  bool cache_enabled_ = true;
  std::string cache_path_;
  std::string cache_problem_;
  std::string arch_hash_;
  int64_t simulations_ = 0;
  int64_t shared_ = 0;
  std::filesystem::file_time_type disk_stamp_{};
};

}  // namespace haqsim::search
