// The registry of layer cost models: the arch config's `type` and the `--backend` option name
// the implementation, in the spirit of Ramulator 2's factory.
#include <fmt/format.h>

#include "base/input_error.h"
#include "sim/analytic/bismo_analytic.h"
#include "sim/analytic/bitfusion_analytic.h"
#include "sim/bismo/bismo_systemc_model.h"
#include "sim/bitfusion/bitfusion_systemc_model.h"
#include "sim/common/cost_model.h"

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

std::unique_ptr<LayerCostModel> make_cost_model(const ArchConfig& config, Backend backend) {
  const bool bismo = config.type == AcceleratorType::kBismo;
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
      break;
  }
  throw BackendUnavailable(fmt::format(
      "the '{}' backend of {} is not built yet (the cycle-accurate models land with their own "
      "issues); use --backend analytic",
      to_string(backend), to_string(config.type)));
}

}  // namespace haqsim
