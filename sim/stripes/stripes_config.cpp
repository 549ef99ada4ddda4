#include "sim/stripes/stripes_config.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

double StripesConfig::estimated_area_mm2() const {
  // SIP area scales with its lanes; the SIPs, the eDRAM (SB per tile + NM) and the rest.
  const double mib = double(sb_bytes_per_tile * tiles + nm_bytes) / double(1 << 20);
  return double(sips()) * sip_area_mm2 * lanes / 16.0 + mib * edram_mm2_per_mib + other_area_mm2;
}

std::unique_ptr<MachineConfig> StripesConfig::clone() const {
  return std::make_unique<StripesConfig>(*this);
}

std::vector<ResourceUse> StripesConfig::resources() const {
  return {{"area_mm2", "area_fraction", "mm2", estimated_area_mm2(), area_budget_mm2, 4,
           "device.area_budget_mm2"}};
}

std::string StripesConfig::shape() const {
  return fmt::format("{}x{}x{}x{}", tiles, filters_per_tile, windows, lanes);
}

std::unique_ptr<StripesConfig> parse_stripes_config(const YamlInput& in, const YamlInput& energy,
                                                    const YamlInput& device) {
  auto c = std::make_unique<StripesConfig>();
  c->tiles = static_cast<int>(in.integer("tiles", 1, 1024));
  c->filters_per_tile = static_cast<int>(in.integer("filters_per_tile", 1, 1024));
  c->windows = static_cast<int>(in.integer("windows", 1, 1024));
  c->lanes = static_cast<int>(in.integer("lanes", 1, 1024));
  // 8-bit operands are haqsim's range; the SIP datapath may be wider (the paper's is 16 bits).
  c->weight_bits = static_cast<int>(in.integer("weight_bits", 8, 16));
  c->max_activation_bits = static_cast<int>(in.integer("max_activation_bits", 8, 16));
  const int64_t max_buffer = int64_t(1) << 34;
  c->sb_bytes_per_tile = in.integer("sb_bytes_per_tile", 1024, max_buffer);
  c->nm_bytes = in.integer("nm_bytes", 1024, max_buffer);
  in.reject_unknown_keys();

  c->sip_pj_per_cycle = energy.number("sip_pj_per_cycle", 0, 1e6);
  c->sb_read_pj_per_bit = energy.number("sb_read_pj_per_bit", 0, 1e6);
  c->sb_write_pj_per_bit = energy.number("sb_write_pj_per_bit", 0, 1e6);
  c->nm_read_pj_per_bit = energy.number("nm_read_pj_per_bit", 0, 1e6);
  c->nm_write_pj_per_bit = energy.number("nm_write_pj_per_bit", 0, 1e6);
  c->nbout_pj_per_bit = energy.number("nbout_pj_per_bit", 0, 1e6);

  c->sip_area_mm2 = device.number("sip_area_mm2", 0, 1e3, true);
  c->edram_mm2_per_mib = device.number("edram_mm2_per_mib", 0, 1e3);
  c->other_area_mm2 = device.number("other_area_mm2", 0, 1e6);
  c->area_budget_mm2 = device.number_or("area_budget_mm2", 0, 0, 1e6);
  return c;
}

const StripesConfig& stripes_config(const ArchConfig& config) {
  const auto* c = dynamic_cast<const StripesConfig*>(config.machine.get());
  if (c == nullptr) {
    throw std::logic_error(fmt::format("{}: a '{}' config where a Stripes one was needed",
                                       config.file.empty() ? config.name : config.file,
                                       config.type));
  }
  return *c;
}

StripesConfig& stripes_config(ArchConfig& config) {
  return const_cast<StripesConfig&>(stripes_config(static_cast<const ArchConfig&>(config)));
}

}  // namespace haqsim
