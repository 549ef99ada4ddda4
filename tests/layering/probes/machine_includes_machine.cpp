// Layering probe (a machine must not reach into another machine): compiled with the include paths
// of the layer it stands for. With HAQSIM_PROBE_ALLOWED it includes a header that layer may use and
// must compile; without, a header it must not reach, and must fail to compile
// (tests/layering/CMakeLists.txt).
#ifdef HAQSIM_PROBE_ALLOWED
#include "sim/bismo/bismo_config.h"
#else
#include "sim/bitfusion/bitfusion_config.h"
#endif

int probe_machine_includes_machine() {
  return 0;
}
