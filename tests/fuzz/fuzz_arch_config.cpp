// libFuzzer harness: see tests/fuzz/fuzz_targets.h for the contract it checks.
#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  haqsim::fuzz::arch_config(data, size);
  return 0;
}
