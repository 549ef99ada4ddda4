#include "sim/stripes/stripes_accelerator.h"

#include <fmt/format.h>

#include "base/input_error.h"
#include "sim/stripes/stripes_analytic.h"
#include "sim/stripes/stripes_config.h"
#include "sim/stripes/stripes_systemc_model.h"

#ifdef HAQSIM_HAVE_STRIPES_RTL
#include "rtl/stripes/stripes_tile_rtl.h"
#endif

namespace haqsim::stripes {

namespace {

std::string tile_shape(const StripesConfig& c) {
  return fmt::format("{}x{}x{}", c.filters_per_tile, c.windows, c.lanes);
}

class StripesAccelerator final : public Accelerator {
 public:
  std::string type() const override { return "stripes"; }
  std::string summary() const override {
    return "Stripes: bit-serial activations, bit-parallel weights (ASIC; Judd et al., MICRO'16)";
  }

  std::unique_ptr<MachineConfig> parse(const YamlInput& section, const YamlInput& energy,
                                       const YamlInput& device) const override {
    return parse_stripes_config(section, energy, device);
  }

  std::unique_ptr<LayerCostModel> make_model(const ArchConfig& config, Backend backend,
                                             const ModelOptions& options) const override {
    if (backend == Backend::kAnalytic) return std::make_unique<StripesAnalytic>(config);
    if (backend == Backend::kRtl) check_verilated_shape(config);
    return make_systemc_model(config, backend, options);
  }

  // The analytic backend times the plan's passes with the machine's rules (stripes_analytic.h):
  // exact, and the contract suite holds it to that.
  double analytic_tolerance() const override { return 0.0; }

  // The tile (filters x windows x lanes) is verilated; the machine runs its tiles one after the
  // other on it, so any tile count works.
  std::vector<std::string> verilated_shapes() const override {
    std::vector<std::string> shapes;
#ifdef HAQSIM_HAVE_STRIPES_RTL
    for (const rtl::StripesTileShape& s : rtl::stripes_tile_rtl_variants()) {
      shapes.push_back(fmt::format("{}x{}x{}", s.filters, s.windows, s.lanes));
    }
#endif
    return shapes;
  }

 private:
  void check_verilated_shape(const ArchConfig& config) const {
    const StripesConfig& c = stripes_config(config);
    std::string built;
    for (const std::string& shape : verilated_shapes()) {
      if (shape == tile_shape(c)) return;
      built += (built.empty() ? "" : ", ") + shape;
    }
    throw InputError(
        InputLocation{config.file, 0, "stripes.filters_per_tile", -1},
        fmt::format("with --backend rtl, a tile shape (filters_per_tile x windows x lanes) this "
                    "build has verilated: {} (add the shape to HAQSIM_STRIPES_TILE_VARIANTS in "
                    "rtl/stripes/CMakeLists.txt and rebuild, or use --backend systemc)",
                    built.empty() ? "none" : built),
        tile_shape(c));
  }
};

}  // namespace

const Accelerator& accelerator() {
  static const StripesAccelerator instance;
  return instance;
}

}  // namespace haqsim::stripes
