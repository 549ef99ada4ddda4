// Which SIMD kernels this CPU can run, chosen at run time so one binary runs everywhere and uses
// what the host has (the build targets a portable baseline, not -march=native).
//
// The levels are ordered: each implies the ones below it on every CPU that has it. Kernels that
// dispatch (BISMO's popcount core, bit-plane packing) read active_simd_level() when they are
// built. HAQSIM_SIMD=scalar|avx2|avx512bw|avx512vpopcntdq caps the level for a process (for
// benchmarks and for reproducing a slower host); asking for a level the CPU lacks is an error.
#pragma once

#include <string>
#include <vector>

namespace haqsim {

enum class SimdLevel { kScalar, kAvx2, kAvx512bw, kAvx512Vpopcntdq };

const char* to_string(SimdLevel level);
// Throws InputError naming the accepted spellings.
SimdLevel parse_simd_level(const std::string& text);

// The best level the CPU (and OS: AVX state enabled) supports.
SimdLevel detected_simd_level();
// Every level up to the detected one, lowest first.
std::vector<SimdLevel> supported_simd_levels();
// The level kernels use: detected, or HAQSIM_SIMD's, or force_simd_level's.
SimdLevel active_simd_level();
// For tests and benchmarks: kernels built after this call use `level`. Throws
// std::invalid_argument if the CPU does not support it.
void force_simd_level(SimdLevel level);

}  // namespace haqsim
