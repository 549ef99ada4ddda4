// What every accelerator model (analytic, SystemC, RTL) reports for one layer. These fields fill
// the per-layer report columns; names follow what architects expect to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace haqsim {

// Cycles one pipeline stage spent doing work, and waiting (for a token from another stage, or
// for memory). busy + waits <= total cycles; the rest is idle.
struct StageStats {
  std::string name;
  int64_t busy = 0;
  int64_t wait_token = 0;
  int64_t wait_memory = 0;
};

// One named on-chip buffer's traffic (bits).
struct BufferTraffic {
  std::string name;
  int64_t read_bits = 0;
  int64_t write_bits = 0;
};

struct EnergyBreakdown {
  double compute_pj = 0;
  double buffer_pj = 0;  // all on-chip buffers
  double dram_pj = 0;
  double static_pj = 0;
  std::vector<std::pair<std::string, double>> buffer_detail_pj;  // per buffer
  double total_pj() const { return compute_pj + buffer_pj + dram_pj + static_pj; }
};

struct LayerStats {
  int64_t cycles = 0;          // first fetch to last result in DRAM
  int64_t compute_cycles = 0;  // cycles the array was computing
  int64_t stall_cycles = 0;    // cycles - compute_cycles: waiting on memory or pipeline fill
  std::vector<StageStats> stages;
  int64_t dram_read_bytes = 0;
  int64_t dram_write_bytes = 0;
  std::vector<BufferTraffic> buffers;
  double utilization = 0;          // useful operations / (cycles x peak operations per cycle)
  double mapping_utilization = 0;  // fraction of the array the mapping keeps busy when computing
  // Cycles the DRAM interface moved this layer's data: the data phases of its reads or of its
  // writes (AXI's two directions run side by side), whichever took longer, as simulated.
  int64_t transfer_cycles = 0;
  bool memory_bound = false;  // transfer_cycles > compute_cycles; set by classify_bound()
  std::string mapping;             // how the layer was mapped (e.g. "gemm", "dw:block_diagonal")
  EnergyBreakdown energy;
  std::vector<std::pair<std::string, std::string>> details;  // tiling and other notes
  // Set by models that execute real operands: whether the outputs matched the reference.
  std::optional<bool> bit_exact;

  const char* bound() const { return memory_bound ? "memory" : "compute"; }
  // Share of the layer's cycles the array did not compute.
  double stall_fraction() const { return cycles > 0 ? double(stall_cycles) / double(cycles) : 0; }
};

// The one definition of `bound` every model uses: a layer is memory-bound when moving its data
// through the DRAM interface takes longer than computing it (both as the model timed them).
// Stalls can have other causes (pipeline fill, latency, buffer hand-overs), which the stall
// fraction shows next to it.
inline void classify_bound(LayerStats& stats) {
  stats.memory_bound = stats.transfer_cycles > stats.compute_cycles;
}

}  // namespace haqsim
