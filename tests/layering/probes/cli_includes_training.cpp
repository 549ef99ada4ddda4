// Layering probe (the haqsim front end and the code it shares with haqsim-learn do not reach
// libtorch: only haqsim-learn links training and search, so every other command starts without
// loading it): compiled with the include paths of haqsim_cli. With HAQSIM_PROBE_ALLOWED it
// includes a header that layer may use and must compile; without, libtorch, and must
// fail to compile (tests/layering/CMakeLists.txt).
#ifdef HAQSIM_PROBE_ALLOWED
#include "tools/haqsim/commands.h"
#else
#include <torch/torch.h>
#endif

int probe_cli_includes_training() {
  return 0;
}
