// The extension point of haqsim's hardware layer: one Accelerator per machine, registered in one
// table (sim/registry.cpp). Everything outside the machine's folder -- the config parser, the
// CLI, sweeps, reports, the search, the contract tests -- reaches a machine only through this
// interface and the MachineConfig it parses, never by its type name.
//
// Adding a machine: a folder sim/<machine>/ with its config, analytic model, SystemC machine and
// cores, and a class implementing Accelerator; one line in sim/registry.cpp. See
// docs/adding-an-accelerator.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/yaml_input.h"
#include "sim/common/arch_config.h"
#include "sim/common/cost_model.h"

namespace haqsim {

class Accelerator {
 public:
  virtual ~Accelerator() = default;

  // The YAML's `type:` and the name of the machine's own section ("bismo").
  virtual std::string type() const = 0;
  // One line for listings and messages: what the machine is and where it comes from.
  virtual std::string summary() const = 0;

  // Reads the machine's section and its keys of `energy:` and `device:` (the keys every machine
  // shares are read by the caller, which rejects unknown keys after this returns).
  virtual std::unique_ptr<MachineConfig> parse(const YamlInput& section, const YamlInput& energy,
                                               const YamlInput& device) const = 0;

  // The model of `config` on `backend`. Throws InputError when this config cannot run there (an
  // array shape that was not verilated, buffers too large to hold in host memory), naming the
  // config file and key; BackendUnavailable when the backend is not built for this machine.
  virtual std::unique_ptr<LayerCostModel> make_model(const ArchConfig& config, Backend backend,
                                                     const ModelOptions& options) const = 0;

  // The largest relative per-layer difference between the analytic and the SystemC cycles that
  // this machine's analytic model promises (the contract suite holds it to that).
  virtual double analytic_tolerance() const = 0;

  // The array shapes this build has verilated for `--backend rtl` (empty: no RTL core).
  virtual std::vector<std::string> verilated_shapes() const = 0;
};

// A fixed list of accelerators, looked up by type.
class AcceleratorRegistry {
 public:
  explicit AcceleratorRegistry(std::vector<const Accelerator*> accelerators);

  const std::vector<const Accelerator*>& all() const { return accelerators_; }
  std::vector<std::string> types() const;
  // nullptr when no accelerator has this type.
  const Accelerator* find(const std::string& type) const;
  // std::invalid_argument when no accelerator has this type.
  const Accelerator& at(const std::string& type) const;

 private:
  std::vector<const Accelerator*> accelerators_;
};

}  // namespace haqsim
