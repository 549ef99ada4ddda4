#include "sim/common/arch_config.h"

#include <fmt/format.h>

#include "sim/common/accelerator.h"

namespace haqsim {

std::vector<ResourceUse> ArchConfig::resources() const {
  return machine ? machine->resources() : std::vector<ResourceUse>{};
}

bool ArchConfig::fits() const {
  for (const ResourceUse& r : resources()) {
    if (!r.fits()) return false;
  }
  return true;
}

namespace {

DramConfig parse_dram(const YamlInput& in) {
  DramConfig d;
  d.ports = static_cast<int>(in.integer("ports", 1, 64));
  d.port_width_bits = static_cast<int>(in.integer("port_width_bits", 8, 4096));
  if (d.port_width_bits % 8 != 0) {
    in.fail("port_width_bits", "a multiple of 8", std::to_string(d.port_width_bits));
  }
  d.latency_cycles = static_cast<int>(in.integer("latency_cycles", 0, 100000));
  d.max_burst_beats = static_cast<int>(in.integer("max_burst_beats", 1, 256));
  d.energy_pj_per_bit = in.number("energy_pj_per_bit", 0, 1e6);
  d.port_mapping =
      in.choice_or("port_mapping", "interleaved", {"interleaved", "per_request"}) == "per_request"
          ? DramPortMapping::kPerRequest
          : DramPortMapping::kInterleaved;
  in.reject_unknown_keys();
  return d;
}

}  // namespace

ArchConfig parse_arch_config(const YamlInput& root, const std::string& content,
                             const AcceleratorRegistry& registry) {
  ArchConfig c;
  c.file = root.file();
  c.content = content;
  c.name = root.string("name");
  c.type = root.choice("type", registry.types());
  const Accelerator& accelerator = registry.at(c.type);
  c.clock_mhz = root.number("clock_mhz", 0, 1e5, /*min_exclusive=*/true);
  c.batch = static_cast<int>(root.integer("batch", 1, 4096));
  c.dram = parse_dram(root.map("dram"));
  c.host = parse_host_config(root.optional_map("host"));

  YamlInput energy = root.map("energy");
  YamlInput device = root.map("device");
  c.device_name = device.string("name");
  c.static_power_mw = energy.number("static_mw", 0, 1e9);
  // Another machine's section is a mistake (a type changed without its section), not an
  // unknown key: say which section this type reads.
  for (const std::string& other : registry.types()) {
    if (other != c.type && root.has(other)) {
      root.fail(other,
                fmt::format("no '{}' section in a {} config (its section is '{}')", other, c.type,
                            c.type),
                "one");
    }
  }
  c.machine = accelerator.parse(root.map(c.type), energy, device);
  energy.reject_unknown_keys();
  device.reject_unknown_keys();
  root.reject_unknown_keys();
  return c;
}

}  // namespace haqsim
