// The machine-specific half of an accelerator instance's configuration.
//
// Every accelerator (sim/<machine>/) defines its own config struct deriving from MachineConfig,
// parsed from its own section of the YAML (and its own keys of `energy:` and `device:`) by its
// registry entry. Code outside the machine's folder sees it only through this interface: the
// resource estimate that sweeps, reports and fit checks print, and the array shape for labels.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace haqsim {

// One resource an instance uses, against the device's budget for it.
struct ResourceUse {
  std::string name;           // report and CSV column: "luts", "bram36", "area_mm2"
  std::string fraction_name;  // CSV column of used / budget: "lut_fraction"
  std::string unit;           // for axes and tables: "LUTs", "BRAM36", "mm2"
  double used = 0;
  double budget = 0;       // the device's; 0 when the config gives none
  int decimals = 0;        // digits after the point when `used` is printed
  std::string budget_key;  // the config key of the budget, for messages: "device.luts"

  bool has_budget() const { return budget > 0; }
  bool fits() const { return !has_budget() || used <= budget; }
  double fraction() const { return has_budget() ? used / budget : 0.0; }
};

class MachineConfig {
 public:
  virtual ~MachineConfig() = default;
  virtual std::unique_ptr<MachineConfig> clone() const = 0;
  // First-order resource estimate of this instance (LUTs and BRAM on an FPGA, area on an ASIC).
  virtual std::vector<ResourceUse> resources() const = 0;
  // The array's shape as architects write it ("8x256x8", "16x32"), for labels and messages.
  virtual std::string shape() const = 0;
};

// Owns a MachineConfig and copies it deeply, so an ArchConfig is a plain value: sweeps copy and
// patch configs, and two models never share one machine config.
class MachineConfigPtr {
 public:
  MachineConfigPtr() = default;
  template <class T, class = std::enable_if_t<std::is_base_of_v<MachineConfig, T>>>
  MachineConfigPtr(std::unique_ptr<T> config) : config_(std::move(config)) {}
  MachineConfigPtr(const MachineConfigPtr& other)
      : config_(other.config_ ? other.config_->clone() : nullptr) {}
  MachineConfigPtr& operator=(const MachineConfigPtr& other) {
    if (this != &other) config_ = other.config_ ? other.config_->clone() : nullptr;
    return *this;
  }
  MachineConfigPtr(MachineConfigPtr&&) noexcept = default;
  MachineConfigPtr& operator=(MachineConfigPtr&&) noexcept = default;

  MachineConfig* get() const { return config_.get(); }
  MachineConfig* operator->() const { return config_.get(); }
  explicit operator bool() const { return config_ != nullptr; }

 private:
  std::unique_ptr<MachineConfig> config_;
};

}  // namespace haqsim
