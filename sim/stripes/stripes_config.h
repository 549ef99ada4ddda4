// Stripes' part of an arch config (the `stripes:` section, its keys of `energy:` and `device:`),
// and its area model.
//
// The machine (Judd et al., "Stripes: Bit-Serial Deep Neural Network Computing", MICRO 2016) is
// DaDianNao's organisation with its bit-parallel multipliers replaced by Serial Inner-Product
// units (SIPs): `tiles` tiles, each a grid of `filters_per_tile` x `windows` SIPs, each SIP
// `lanes` wide. A SIP multiplies `lanes` bit-parallel weights by one bit of each of `lanes`
// activations per cycle and shift-accumulates, so a brick of `lanes` activations at p bits takes
// p cycles. See sim/stripes/stripes_plan.h for how layers map onto it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/yaml_input.h"
#include "sim/common/arch_config.h"
#include "sim/common/machine_config.h"

namespace haqsim {

struct StripesConfig final : MachineConfig {
  int tiles = 16;
  int filters_per_tile = 16;  // F: SIP rows; each a filter
  int windows = 16;           // W: SIP columns; each an output window (pixel)
  int lanes = 16;             // L: activations (and weights) per SIP per brick
  int weight_bits = 16;       // the SIPs' bit-parallel weight width
  int max_activation_bits = 16;
  int64_t sb_bytes_per_tile = 2 << 20;  // synapse buffer (weights), eDRAM
  int64_t nm_bytes = 4 << 20;           // neuron memory (activations), central eDRAM

  double sip_pj_per_cycle = 0;  // one SIP (all lanes, adder tree, accumulator) per busy cycle
  double sb_read_pj_per_bit = 0, sb_write_pj_per_bit = 0;
  double nm_read_pj_per_bit = 0, nm_write_pj_per_bit = 0;
  double nbout_pj_per_bit = 0;  // output buffer, each accumulator written once and read once

  double sip_area_mm2 = 0;       // one 16-lane SIP
  double edram_mm2_per_mib = 0;  // SB and NM density
  double other_area_mm2 = 0;     // dispatcher, NBout, interconnect, control
  double area_budget_mm2 = 0;    // 0: none

  int sips() const { return tiles * filters_per_tile * windows; }
  double estimated_area_mm2() const;

  std::unique_ptr<MachineConfig> clone() const override;
  std::vector<ResourceUse> resources() const override;
  std::string shape() const override;  // "tiles x FxWxL"
};

std::unique_ptr<StripesConfig> parse_stripes_config(const YamlInput& section,
                                                    const YamlInput& energy,
                                                    const YamlInput& device);

// The Stripes part of `config`; std::logic_error when it is another machine's config.
const StripesConfig& stripes_config(const ArchConfig& config);
StripesConfig& stripes_config(ArchConfig& config);

}  // namespace haqsim
