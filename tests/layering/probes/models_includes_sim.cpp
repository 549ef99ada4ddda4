// Layering probe (models/ knows nothing of hardware): compiled with the include paths of the layer
// it stands for. With HAQSIM_PROBE_ALLOWED it includes a header that layer may use and must
// compile; without, a header it must not reach, and must fail to compile
// (tests/layering/CMakeLists.txt).
#ifdef HAQSIM_PROBE_ALLOWED
#include "models/workload.h"
#else
#include "sim/common/arch_config.h"
#endif

int probe_models_includes_sim() {
  return 0;
}
