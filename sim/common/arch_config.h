// Typed accelerator instance configuration, parsed from arch-configs/*.yaml.
//
// The YAML tree mirrors the objects: the keys every accelerator has (name, type, clock, batch,
// `dram:`, the static power in `energy:`, the device's name in `device:`) are read here; `type`
// names a registered accelerator (sim/registry.h), which reads its own section (`bismo:`,
// `bitfusion:`, ...) and its own keys of `energy:` and `device:` into its MachineConfig. Every
// field is validated where it is read: a value out of range, an unknown or a missing key is an
// InputError naming file, line, key, expected and found.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/yaml_input.h"
#include "sim/common/host_config.h"
#include "sim/common/machine_config.h"

namespace haqsim {

class AcceleratorRegistry;

// How a request uses the DRAM ports (sim/common/dram_channel.h).
enum class DramPortMapping { kInterleaved, kPerRequest };

struct DramConfig {
  int ports = 1;
  int port_width_bits = 64;
  int latency_cycles = 40;   // request to first beat
  int max_burst_beats = 16;  // beats per burst (AXI)
  double energy_pj_per_bit = 20.0;
  DramPortMapping port_mapping = DramPortMapping::kInterleaved;

  int64_t bytes_per_cycle() const { return int64_t(ports) * port_width_bits / 8; }
  int64_t bits_per_cycle() const { return int64_t(ports) * port_width_bits; }
};

struct ArchConfig {
  std::string name;
  std::string file;     // where it was loaded from
  std::string content;  // the YAML text, for cache keys
  std::string type;     // the registered accelerator ("bismo", "bitfusion", ...)
  double clock_mhz = 200.0;
  int batch = 1;
  double static_power_mw = 0.0;
  std::string device_name;
  DramConfig dram;
  HostConfig host;           // what runs the layers the array does not (optional `host:`)
  MachineConfigPtr machine;  // the accelerator's own part; see its folder

  double cycles_to_ms(double cycles) const { return cycles / (clock_mhz * 1e3); }
  std::vector<ResourceUse> resources() const;
  // Every resource within the device's budget.
  bool fits() const;
};

// Parses and validates an already-loaded YAML tree against the accelerators of `registry`
// (sweeps patch the tree, then call this; sim/registry.h has the variant with haqsim's table).
ArchConfig parse_arch_config(const YamlInput& root, const std::string& content,
                             const AcceleratorRegistry& registry);

}  // namespace haqsim
