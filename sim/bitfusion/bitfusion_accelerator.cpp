#include "sim/bitfusion/bitfusion_accelerator.h"

#include <fmt/format.h>

#include "base/input_error.h"
#include "sim/bitfusion/bitfusion_analytic.h"
#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/bitfusion_systemc_model.h"

#ifdef HAQSIM_HAVE_BITFUSION_RTL
#include "rtl/bitfusion/fusion_array_rtl.h"
#endif

namespace haqsim::bitfusion {

namespace {

class BitFusionAccelerator final : public Accelerator {
 public:
  std::string type() const override { return "bitfusion"; }
  std::string summary() const override {
    return "BitFusion: bit-level fusible systolic array (ASIC; Sharma et al., ISCA'18)";
  }

  std::unique_ptr<MachineConfig> parse(const YamlInput& section, const YamlInput& energy,
                                       const YamlInput& device) const override {
    return parse_bitfusion_config(section, energy, device);
  }

  std::unique_ptr<LayerCostModel> make_model(const ArchConfig& config, Backend backend,
                                             const ModelOptions& options) const override {
    if (backend == Backend::kAnalytic) return std::make_unique<BitFusionAnalytic>(config);
#ifdef HAQSIM_HAVE_BITFUSION_RTL
    if (backend == Backend::kRtl) check_verilated_shape(config);
#endif
    return make_systemc_model(config, backend, options);
  }

  // The analytic backend replays the SystemC machine's schedule (bitfusion_timing.h): exact.
  double analytic_tolerance() const override {
    return 0.0;
  }

  std::vector<std::string> verilated_shapes() const override {
    std::vector<std::string> shapes;
#ifdef HAQSIM_HAVE_BITFUSION_RTL
    for (const rtl::FusionArrayShape& s : rtl::fusion_array_rtl_variants()) {
      shapes.push_back(fmt::format("{}x{}", s.rows, s.cols));
    }
#endif
    return shapes;
  }

 private:
  // Verilator fixes the array's shape when it generates C++, so `--backend rtl` exists only for
  // the shapes built into this binary.
  void check_verilated_shape(const ArchConfig& config) const {
    const BitFusionConfig& f = bitfusion_config(config);
    std::string built;
    for (const std::string& shape : verilated_shapes()) {
      if (shape == f.shape()) return;
      built += (built.empty() ? "" : ", ") + shape;
    }
    throw InputError(
        InputLocation{config.file, 0, "bitfusion.rows", -1},
        fmt::format("with --backend rtl, an array shape (rows x cols) this build has verilated: {} "
                    "(add the shape to HAQSIM_FUSION_ARRAY_VARIANTS in "
                    "rtl/bitfusion/CMakeLists.txt and rebuild, or use --backend systemc)",
                    built),
        f.shape());
  }
};

}  // namespace

const Accelerator& accelerator() {
  static const BitFusionAccelerator instance;
  return instance;
}

}  // namespace haqsim::bitfusion
