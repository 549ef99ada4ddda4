// BISMO's part of an arch config (the `bismo:` section, its keys of `energy:` and `device:`),
// and its resource model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/yaml_input.h"
#include "sim/common/arch_config.h"
#include "sim/common/machine_config.h"

namespace haqsim {

// How a depthwise convolution (one 3x3 filter per channel) is mapped onto a BISMO array, whose
// rows share one RHS operand. See sim/bismo/gemm_mapping.h for each.
enum class BismoDepthwiseMapping {
  kAuto,           // the cheapest of the others for each layer and precision (the default)
  kPerChannel,     // one GEMM per channel: M = 1, K = 9; one DPU row busy
  kBlockDiagonal,  // Dm channels per tile, each row's weights in its own K slice
  kWeightPlanes,   // a channel's weight bit planes on separate rows; the host shift-adds them
};
const char* to_string(BismoDepthwiseMapping mapping);

struct BismoConfig final : MachineConfig {
  int dm = 8, dk = 256, dn = 8;
  int lhs_depth = 1024;  // Dk-bit words per LHS row buffer (one buffer per DPU row)
  int rhs_depth = 1024;  // Dk-bit words per RHS column buffer (one buffer per DPU column)
  int result_depth = 2;  // Dm x Dn result tiles held by the result buffer
  int instruction_overhead_cycles = 4;  // per execute instruction (decode, buffer address setup)
  BismoDepthwiseMapping depthwise_mapping = BismoDepthwiseMapping::kAuto;

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

  std::unique_ptr<MachineConfig> clone() const override;
  std::vector<ResourceUse> resources() const override;
  std::string shape() const override;  // "DmxDkxDn"
};

// Reads the `bismo:` section and BISMO's keys of `energy:` and `device:`.
std::unique_ptr<BismoConfig> parse_bismo_config(const YamlInput& section, const YamlInput& energy,
                                                const YamlInput& device);

// The BISMO part of `config`; std::logic_error when it is another machine's config.
const BismoConfig& bismo_config(const ArchConfig& config);
BismoConfig& bismo_config(ArchConfig& config);

}  // namespace haqsim
