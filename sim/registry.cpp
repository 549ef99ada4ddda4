// The registry: one line per accelerator. A new machine is its own folder under sim/ (and rtl/)
// plus one line here and its library in sim/CMakeLists.txt (docs/adding-an-accelerator.md).
#include "sim/registry.h"

#include "base/atomic_file.h"
#include "sim/bismo/bismo_accelerator.h"
#include "sim/bitfusion/bitfusion_accelerator.h"
#include "sim/stripes/stripes_accelerator.h"

namespace haqsim {

const AcceleratorRegistry& accelerators() {
  static const AcceleratorRegistry registry({
      &bismo::accelerator(),
      &bitfusion::accelerator(),
      &stripes::accelerator(),
  });
  return registry;
}

ArchConfig parse_arch_config(const YamlInput& root, const std::string& content) {
  return parse_arch_config(root, content, accelerators());
}

ArchConfig load_arch_config(const std::string& path) {
  const std::string text = read_whole_file(path);
  return parse_arch_config(YamlInput::load_string(text, path), text);
}

std::unique_ptr<LayerCostModel> make_cost_model(const ArchConfig& config, Backend backend,
                                                const ModelOptions& options) {
  return accelerators().at(config.type).make_model(config, backend, options);
}

}  // namespace haqsim
