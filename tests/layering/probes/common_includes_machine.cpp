// Layering probe (sim/common must not know any machine): compiled with the include paths of the
// layer it stands for. With HAQSIM_PROBE_ALLOWED it includes a header that layer may use and must
// compile; without, a header it must not reach, and must fail to compile
// (tests/layering/CMakeLists.txt).
#ifdef HAQSIM_PROBE_ALLOWED
#include "sim/common/cost_model.h"
#else
#include "sim/bismo/bismo_config.h"
#endif

int probe_common_includes_machine() {
  return 0;
}
