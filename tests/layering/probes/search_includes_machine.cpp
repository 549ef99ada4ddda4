// Layering probe (search/ sees hardware only through the registry and sim/common): compiled with
// the include paths of the layer it stands for. With HAQSIM_PROBE_ALLOWED it includes a header that
// layer may use and must compile; without, a header it must not reach, and must fail to compile
// (tests/layering/CMakeLists.txt).
#ifdef HAQSIM_PROBE_ALLOWED
#include "sim/registry.h"
#else
#include "sim/bismo/bismo_systemc_model.h"
#endif

int probe_search_includes_machine() {
  return 0;
}
