// Integer helpers shared by the hardware models.
#pragma once

#include <cstdint>

namespace haqsim {

// ceil(a / b) for a >= 0, b > 0: tiles needed to cover a dimension.
inline int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace haqsim
