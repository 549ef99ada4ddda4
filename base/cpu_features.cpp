#include "base/cpu_features.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "base/input_error.h"

namespace haqsim {

namespace {

SimdLevel detect() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // __builtin_cpu_supports checks CPUID and, for AVX levels, that the OS saves the registers.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
    if (__builtin_cpu_supports("avx512vpopcntdq")) return SimdLevel::kAvx512Vpopcntdq;
    return SimdLevel::kAvx512bw;
  }
  if (__builtin_cpu_supports("avx2")) return SimdLevel::kAvx2;
#endif
  return SimdLevel::kScalar;
}

SimdLevel from_environment(SimdLevel detected) {
  const char* env = std::getenv("HAQSIM_SIMD");
  if (env == nullptr || *env == '\0') return detected;
  const SimdLevel wanted = parse_simd_level(env);
  if (wanted > detected) {
    throw InputError(InputLocation{"", 0, "HAQSIM_SIMD", -1},
                     std::string("a level this CPU supports (up to ") + to_string(detected) + ")",
                     std::string("'") + env + "'");
  }
  return wanted;
}

std::atomic<int>& forced() {
  static std::atomic<int> level{-1};
  return level;
}

}  // namespace

const char* to_string(SimdLevel level) {
  switch (level) {
    case SimdLevel::kScalar:
      return "scalar";
    case SimdLevel::kAvx2:
      return "avx2";
    case SimdLevel::kAvx512bw:
      return "avx512bw";
    case SimdLevel::kAvx512Vpopcntdq:
      return "avx512vpopcntdq";
  }
  return "?";
}

SimdLevel parse_simd_level(const std::string& text) {
  for (SimdLevel level :
       {SimdLevel::kScalar, SimdLevel::kAvx2, SimdLevel::kAvx512bw, SimdLevel::kAvx512Vpopcntdq}) {
    if (text == to_string(level)) return level;
  }
  throw InputError(InputLocation{"", 0, "HAQSIM_SIMD", -1},
                   "one of scalar, avx2, avx512bw, avx512vpopcntdq", "'" + text + "'");
}

SimdLevel detected_simd_level() {
  static const SimdLevel level = detect();
  return level;
}

std::vector<SimdLevel> supported_simd_levels() {
  std::vector<SimdLevel> levels;
  for (int l = 0; l <= int(detected_simd_level()); ++l) levels.push_back(SimdLevel(l));
  return levels;
}

SimdLevel active_simd_level() {
  const int f = forced().load(std::memory_order_relaxed);
  if (f >= 0) return SimdLevel(f);
  static const SimdLevel level = from_environment(detected_simd_level());
  return level;
}

void force_simd_level(SimdLevel level) {
  if (level > detected_simd_level()) {
    throw std::invalid_argument(std::string("this CPU does not support ") + to_string(level));
  }
  forced().store(int(level), std::memory_order_relaxed);
}

}  // namespace haqsim
