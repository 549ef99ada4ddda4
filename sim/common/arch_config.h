// Typed accelerator instance configuration, parsed from arch-configs/*.yaml.
//
// The YAML tree mirrors these structs one to one (top-level keys, then `bismo:` or `bitfusion:`,
// `dram:`, `energy:`, `device:`), and every field is validated where it is read: a value out of
// range, a non-power-of-two where one is required, an unknown or a missing key is an InputError
// naming file, line, key, expected and found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/yaml_input.h"

namespace haqsim {

enum class AcceleratorType { kBismo, kBitFusion };
const char* to_string(AcceleratorType type);

// How a depthwise convolution (one 3x3 filter per channel) is mapped onto a BISMO array, whose
// rows share one RHS operand. See sim/analytic/bismo_analytic.cpp for the cost of each.
enum class BismoDepthwiseMapping {
  kPerChannel,     // one GEMM per channel: M = 1, K = 9; one DPU row busy
  kBlockDiagonal,  // Dm channels per tile, each row's weights in its own K slice
};
const char* to_string(BismoDepthwiseMapping mapping);

// How a depthwise convolution is mapped onto a BitFusion array.
enum class BitFusionDepthwiseMapping {
  kTapsOnRows,  // kernel taps across rows (the reduction), channels across columns
};
const char* to_string(BitFusionDepthwiseMapping mapping);

struct DramConfig {
  int ports = 1;
  int port_width_bits = 64;
  int latency_cycles = 40;   // request to first beat
  int max_burst_beats = 16;  // beats per burst (AXI)
  double energy_pj_per_bit = 20.0;

  int64_t bytes_per_cycle() const { return int64_t(ports) * port_width_bits / 8; }
};

struct BismoConfig {
  int dm = 8, dk = 256, dn = 8;
  int lhs_depth = 1024;  // Dk-bit words per LHS row buffer (one buffer per DPU row)
  int rhs_depth = 1024;  // Dk-bit words per RHS column buffer (one buffer per DPU column)
  int result_depth = 2;  // Dm x Dn result tiles held by the result buffer
  int instruction_overhead_cycles = 4;  // per execute instruction (decode, buffer address setup)
  BismoDepthwiseMapping depthwise_mapping = BismoDepthwiseMapping::kBlockDiagonal;

  double dpu_pj_per_binary_op = 0.0;  // one AND + popcount bit
  double buffer_read_pj_per_bit = 0.0;
  double buffer_write_pj_per_bit = 0.0;

  int64_t device_luts = 0;
  int64_t device_bram36 = 0;

  // Peak binary operations per cycle (AND + add counted as two, as BISMO reports).
  int64_t peak_binary_ops_per_cycle() const { return 2LL * dm * dk * dn; }
  // Resource model of BISMO v2 (TRETS'19).
  double estimated_luts() const;
  int64_t estimated_bram36() const;
};

struct BitFusionConfig {
  int rows = 16;  // Fusion Units per column: input channels reduced per cycle
  int cols = 32;  // columns: output channels per cycle
  int64_t wbuf_bytes = 64 * 1024;
  int64_t ibuf_bytes = 32 * 1024;
  int64_t obuf_bytes = 16 * 1024;
  int accumulator_bits = 32;  // partial sums in the output buffer
  BitFusionDepthwiseMapping depthwise_mapping = BitFusionDepthwiseMapping::kTapsOnRows;

  double core_pj_per_cycle = 0.0;  // whole array, precision independent
  double wbuf_read_pj_per_bit = 0.0, wbuf_write_pj_per_bit = 0.0;
  double ibuf_read_pj_per_bit = 0.0, ibuf_write_pj_per_bit = 0.0;
  double obuf_read_pj_per_bit = 0.0, obuf_write_pj_per_bit = 0.0;

  double core_area_mm2 = 0.0;  // for the reference 16 x 32 array
  double total_area_mm2 = 0.0;
  double device_area_mm2 = 0.0;  // budget for fit checks; 0 means none

  // Area scaled from the reference instance: core with the number of Fusion Units, the rest
  // (buffers, control) held constant. A first-order estimate for sweeps.
  double estimated_area_mm2() const;
};

struct ArchConfig {
  std::string name;
  std::string file;     // where it was loaded from
  std::string content;  // the YAML text, for cache keys
  AcceleratorType type = AcceleratorType::kBismo;
  double clock_mhz = 200.0;
  int batch = 1;
  double static_power_mw = 0.0;
  std::string device_name;
  DramConfig dram;
  std::optional<BismoConfig> bismo;
  std::optional<BitFusionConfig> bitfusion;

  double cycles_to_ms(double cycles) const { return cycles / (clock_mhz * 1e3); }
};

// Parses and validates a config file.
ArchConfig load_arch_config(const std::string& path);
// Parses and validates an already-loaded YAML tree (sweeps patch the tree, then call this).
ArchConfig parse_arch_config(const YamlInput& root, const std::string& content);

}  // namespace haqsim
