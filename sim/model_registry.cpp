// The registry of layer cost models: the arch config's `type` and the `--backend` option name
// the implementation, in the spirit of Ramulator 2's factory.
#include <fmt/format.h>

#include <tuple>

#include "base/input_error.h"
#include "sim/analytic/bismo_analytic.h"
#include "sim/analytic/bitfusion_analytic.h"
#include "sim/bismo/bismo_systemc_model.h"
#include "sim/bitfusion/bitfusion_systemc_model.h"
#include "sim/common/cost_model.h"

#ifdef HAQSIM_HAVE_BITFUSION_RTL
#include "rtl/bitfusion/fusion_array_rtl.h"
#endif

namespace haqsim {

const char* to_string(Backend backend) {
  switch (backend) {
    case Backend::kAnalytic:
      return "analytic";
    case Backend::kSystemC:
      return "systemc";
    case Backend::kRtl:
      return "rtl";
  }
  return "?";
}

Backend parse_backend(const std::string& text) {
  if (text == "analytic") return Backend::kAnalytic;
  if (text == "systemc") return Backend::kSystemC;
  if (text == "rtl") return Backend::kRtl;
  throw InputError(InputLocation{"", 0, "--backend", -1}, "one of analytic|systemc|rtl",
                   fmt::format("'{}'", text));
}

namespace {

// The cycle-accurate BISMO model holds every word of the LHS and RHS buffers in host memory and
// clears them for each layer; past this size a run would exhaust memory or take hours for what
// is no real FPGA (a VU9P has 9.5 MB of BRAM in all). The analytic model has no such limit.
constexpr int64_t kMaxModelledBufferBytes = int64_t(256) << 20;

void check_modelled_buffers(const ArchConfig& config) {
  const BismoConfig& b = *config.bismo;
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

#ifdef HAQSIM_HAVE_BITFUSION_RTL
// Verilator fixes the array's shape when it generates C++, so `--backend rtl` exists only for the
// BitFusion shapes built into this binary.
void check_verilated_bitfusion_shape(const ArchConfig& config) {
  const BitFusionConfig& f = *config.bitfusion;
  std::string built;
  for (const rtl::FusionArrayShape& shape : rtl::fusion_array_rtl_variants()) {
    if (shape.rows == f.rows && shape.cols == f.cols) return;
    built += fmt::format("{}{}x{}", built.empty() ? "" : ", ", shape.rows, shape.cols);
  }
  throw InputError(
      InputLocation{config.file, 0, "bitfusion.rows", -1},
      fmt::format("with --backend rtl, an array shape (rows x cols) this build has verilated: {} "
                  "(add the shape to HAQSIM_FUSION_ARRAY_VARIANTS in rtl/bitfusion/CMakeLists.txt "
                  "and rebuild, or use --backend systemc)",
                  built),
      fmt::format("{}x{}", f.rows, f.cols));
}
#endif

}  // namespace

std::unique_ptr<LayerCostModel> make_cost_model(const ArchConfig& config, Backend backend) {
  const bool bismo = config.type == AcceleratorType::kBismo;
  if (bismo && backend != Backend::kAnalytic) check_modelled_buffers(config);
  switch (backend) {
    case Backend::kAnalytic:
      if (bismo) return std::make_unique<BismoAnalytic>(config);
      return std::make_unique<BitFusionAnalytic>(config);
    case Backend::kSystemC:
      if (bismo) {
        return std::make_unique<bismo::BismoSystemCModel>(config, backend,
                                                          &bismo::make_behavioural_core);
      }
      return std::make_unique<bitfusion::BitFusionSystemCModel>(config, backend,
                                                                &bitfusion::make_behavioural_core);
    case Backend::kRtl:
#ifdef HAQSIM_HAVE_BISMO_RTL
      if (bismo) {
        return std::make_unique<bismo::BismoSystemCModel>(config, backend, &bismo::make_rtl_core);
      }
#endif
#ifdef HAQSIM_HAVE_BITFUSION_RTL
      if (!bismo) {
        check_verilated_bitfusion_shape(config);
        return std::make_unique<bitfusion::BitFusionSystemCModel>(config, backend,
                                                                  &bitfusion::make_rtl_core);
      }
#endif
      break;
  }
  throw BackendUnavailable(fmt::format(
      "the '{}' backend of {} is not built yet (the cycle-accurate models land with their own "
      "issues); use --backend analytic",
      to_string(backend), to_string(config.type)));
}

}  // namespace haqsim
