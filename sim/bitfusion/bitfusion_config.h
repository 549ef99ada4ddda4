// BitFusion's part of an arch config (the `bitfusion:` section, its keys of `energy:` and
// `device:`), and its area model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/yaml_input.h"
#include "sim/common/arch_config.h"
#include "sim/common/machine_config.h"

namespace haqsim {

// How a depthwise convolution is mapped onto a BitFusion array.
enum class BitFusionDepthwiseMapping {
  // The published array: one activation word per row, shared along it. A vector's reduction
  // lanes hold the taps of floor(N * pf / taps) channels side by side, and column j sums the
  // lanes of channel j (the WBUF banks of the other columns hold zeros there): block-diagonal.
  kRowShared,
  // Extension (`act_per_unit: true`): the IBUF delivers one word per Fusion Unit, so the taps
  // of M different channels go down the M columns at once.
  kTapsOnRows,
};
const char* to_string(BitFusionDepthwiseMapping mapping);

// The precision at which results leave the array for DRAM.
enum class BitFusionOutputPrecision {
  kRequantized,  // rounded to the activation precision the next layer reads (the paper's flow)
  kPartialSums,  // the 32-bit accumulators, as the authors' simulator writes them
};

struct BitFusionConfig final : MachineConfig {
  int rows = 16;  // Fusion Units per column: input channels reduced per cycle
  int cols = 32;  // columns: output channels per cycle
  int64_t wbuf_bytes = 64 * 1024;
  int64_t ibuf_bytes = 32 * 1024;
  int64_t obuf_bytes = 16 * 1024;
  int accumulator_bits = 32;  // partial sums in the output buffer
  BitFusionDepthwiseMapping depthwise_mapping = BitFusionDepthwiseMapping::kRowShared;
  // Extension beyond the paper: an IBUF port per Fusion Unit (needed by dw:taps_on_rows),
  // charged in area (act_per_unit_area_mm2) and energy (act_per_unit_pj_per_bit per
  // activation bit delivered to a unit).
  bool act_per_unit = false;
  BitFusionOutputPrecision output_precision = BitFusionOutputPrecision::kRequantized;

  double core_pj_per_cycle = 0.0;  // whole array, precision independent
  double wbuf_read_pj_per_bit = 0.0, wbuf_write_pj_per_bit = 0.0;
  double ibuf_read_pj_per_bit = 0.0, ibuf_write_pj_per_bit = 0.0;
  double obuf_read_pj_per_bit = 0.0, obuf_write_pj_per_bit = 0.0;
  double act_per_unit_pj_per_bit = 0.0;

  double core_area_mm2 = 0.0;  // for the reference 16 x 32 array
  double total_area_mm2 = 0.0;
  double device_area_mm2 = 0.0;        // budget for fit checks; 0 means none
  double act_per_unit_area_mm2 = 0.0;  // the per-unit IBUF ports, when act_per_unit

  // Area scaled from the reference instance: core with the number of Fusion Units, the rest
  // (buffers, control) held constant, plus the per-unit IBUF ports (scaled with the units)
  // when act_per_unit. A first-order estimate for sweeps.
  double estimated_area_mm2() const;

  std::unique_ptr<MachineConfig> clone() const override;
  std::vector<ResourceUse> resources() const override;
  std::string shape() const override;  // "rowsxcols"
};

// Reads the `bitfusion:` section and BitFusion's keys of `energy:` and `device:`.
std::unique_ptr<BitFusionConfig> parse_bitfusion_config(const YamlInput& section,
                                                        const YamlInput& energy,
                                                        const YamlInput& device);

// The BitFusion part of `config`; std::logic_error when it is another machine's config.
const BitFusionConfig& bitfusion_config(const ArchConfig& config);
BitFusionConfig& bitfusion_config(ArchConfig& config);

}  // namespace haqsim
