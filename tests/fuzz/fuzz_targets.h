// The loaders under fuzzing, each as one entry point that takes arbitrary bytes.
//
// Shared by the libFuzzer harnesses (clang, tests/fuzz/fuzz_*.cpp) and by the regression test
// that replays the seed corpus and every crash the fuzzers found (gcc, the main build), so a
// fixed crash stays fixed in the ordinary `ctest -L unit` run.
//
// Contract checked by every entry point: a loader either accepts the input or throws
// InputError. Any other exception means bad input would end as "internal error" (exit 1)
// instead of a message naming the problem, so it is rethrown for the caller to report.
#pragma once

#include <cstddef>
#include <cstdint>

namespace haqsim::fuzz {

void arch_config(const uint8_t* data, size_t size);
void policy(const uint8_t* data, size_t size);
void idx(const uint8_t* data, size_t size);
void onnx_model(const uint8_t* data, size_t size);

}  // namespace haqsim::fuzz
