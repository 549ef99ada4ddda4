#include "sim/bismo/bismo_accelerator.h"

#include <fmt/format.h>

#include <tuple>

#include "base/input_error.h"
#include "sim/bismo/bismo_analytic.h"
#include "sim/bismo/bismo_config.h"
#include "sim/bismo/bismo_systemc_model.h"

#ifdef HAQSIM_HAVE_BISMO_RTL
#include "rtl/bismo/bismo_array_rtl.h"
#endif

namespace haqsim::bismo {

namespace {

// The cycle-accurate BISMO model holds every word of the LHS and RHS buffers in host memory and
// clears them for each layer; past this size a run would exhaust memory or take hours for what
// is no real FPGA (a VU9P has 9.5 MB of BRAM in all). The analytic model has no such limit.
constexpr int64_t kMaxModelledBufferBytes = int64_t(256) << 20;

void check_modelled_buffers(const ArchConfig& config) {
  const BismoConfig& b = bismo_config(config);
  for (auto [key, banks, depth] : {std::tuple{"bismo.lhs_depth", b.dm, b.lhs_depth},
                                   std::tuple{"bismo.rhs_depth", b.dn, b.rhs_depth}}) {
    const int64_t bytes = int64_t(banks) * depth * (b.dk / 8);
    if (bytes > kMaxModelledBufferBytes) {
      throw InputError(
          InputLocation{config.file, 0, key, -1},
          fmt::format("buffers of at most {} MiB in all for the cycle-accurate backends, which "
                      "hold every buffer word in host memory (--backend analytic has no limit)",
                      kMaxModelledBufferBytes >> 20),
          fmt::format("{} x {} words of {} bits = {} MiB", banks, depth, b.dk, bytes >> 20));
    }
  }
}

#ifdef HAQSIM_HAVE_BISMO_RTL
// Verilator fixes the array's shape when it generates C++, so `--backend rtl` exists only for the
// shapes built into this binary.
void check_verilated_shape(const ArchConfig& config, const std::vector<std::string>& built) {
  const BismoConfig& b = bismo_config(config);
  std::string list;
  for (const std::string& shape : built) {
    if (shape == b.shape()) return;
    list += (list.empty() ? "" : ", ") + shape;
  }
  throw InputError(
      InputLocation{config.file, 0, "bismo.dm", -1},
      fmt::format("with --backend rtl, an array shape (Dm x Dk x Dn) this build has verilated: {} "
                  "(add the shape to HAQSIM_BISMO_ARRAY_VARIANTS in rtl/bismo/CMakeLists.txt "
                  "and rebuild, or use --backend systemc)",
                  list),
      b.shape());
}
#endif

class BismoAccelerator final : public Accelerator {
 public:
  std::string type() const override { return "bismo"; }
  std::string summary() const override {
    return "BISMO: bit-serial matrix multiplication overlay (FPGA; Umuroglu et al., FPL'18)";
  }

  std::unique_ptr<MachineConfig> parse(const YamlInput& section, const YamlInput& energy,
                                       const YamlInput& device) const override {
    return parse_bismo_config(section, energy, device);
  }

  std::unique_ptr<LayerCostModel> make_model(const ArchConfig& config, Backend backend,
                                             const ModelOptions& options) const override {
    if (backend == Backend::kAnalytic) return std::make_unique<BismoAnalytic>(config);
    check_modelled_buffers(config);
#ifdef HAQSIM_HAVE_BISMO_RTL
    if (backend == Backend::kRtl) check_verilated_shape(config, verilated_shapes());
#endif
    return make_systemc_model(config, backend, options);
  }

  // The analytic backend times the machine's own programs (bismo_timing.h): exact, and the
  // contract suite holds it to that.
  double analytic_tolerance() const override { return 0.0; }

  std::vector<std::string> verilated_shapes() const override {
    std::vector<std::string> shapes;
#ifdef HAQSIM_HAVE_BISMO_RTL
    for (const rtl::BismoArrayShape& s : rtl::bismo_array_rtl_variants()) {
      shapes.push_back(fmt::format("{}x{}x{}", s.dm, s.dk, s.dn));
    }
#endif
    return shapes;
  }
};

}  // namespace

const Accelerator& accelerator() {
  static const BismoAccelerator instance;
  return instance;
}

}  // namespace haqsim::bismo
