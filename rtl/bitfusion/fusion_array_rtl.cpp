#include "rtl/bitfusion/fusion_array_rtl.h"

#include <stdexcept>

namespace haqsim::rtl {
namespace detail {

// One factory function per built variant, defined in the generated fusion_array_<shape>.cpp.
#define HAQSIM_FUSION_ARRAY_VARIANT(name, n, m) \
  std::unique_ptr<FusionArrayRtl> make_fusion_array_##name(bool trace);
#include "fusion_array_variants.inc"
#undef HAQSIM_FUSION_ARRAY_VARIANT

namespace {

struct Variant {
  FusionArrayShape shape;
  std::unique_ptr<FusionArrayRtl> (*make)(bool trace);
};

const Variant kVariants[] = {
#define HAQSIM_FUSION_ARRAY_VARIANT(name, n, m) {{n, m}, &make_fusion_array_##name},
#include "fusion_array_variants.inc"
#undef HAQSIM_FUSION_ARRAY_VARIANT
};

}  // namespace
}  // namespace detail

void FusionArrayRtl::load_weights(const uint32_t* words) {
  for (int i = 0; i < rows(); ++i) {
    FusionCycle cycle;
    cycle.load_row = i;
    cycle.weights = words + static_cast<std::size_t>(i) * cols();
    step(cycle);
  }
}

uint64_t FusionArrayRtl::stream(const uint32_t* vectors, std::size_t count, int32_t* sums) {
  if (count == 0) return 0;
  const int n = rows();
  const int m = cols();
  const std::size_t steps = count + n + m - 1;
  std::vector<uint32_t> act(n);
  for (std::size_t s = 0; s < steps; ++s) {
    // Input skew: in step s, row i carries vector s - i.
    FusionCycle cycle;
    cycle.act = act.data();
    for (int i = 0; i < n; ++i) {
      if (s >= static_cast<std::size_t>(i) && s - i < count) {
        act[i] = vectors[(s - i) * n + i];
        cycle.act_valid |= uint64_t{1} << i;
      }
    }
    step(cycle);
    // Output skew: after step s, column j holds vector s - (result_latency(j) - 1).
    for (int j = 0; j < m; ++j) {
      const std::size_t lag = static_cast<std::size_t>(result_latency(j) - 1);
      if (s < lag || s - lag >= count) continue;
      if (!psum_valid(j)) {
        throw std::logic_error("BitFusion array: column " + std::to_string(j) +
                               " sum not valid when due (timing contract broken)");
      }
      sums[(s - lag) * m + j] = psum(j);
    }
  }
  return steps;
}

std::vector<FusionArrayShape> fusion_array_rtl_variants() {
  std::vector<FusionArrayShape> shapes;
  for (const auto& v : detail::kVariants) shapes.push_back(v.shape);
  return shapes;
}

std::unique_ptr<FusionArrayRtl> make_fusion_array_rtl(int n, int m, bool trace) {
  std::string available;
  for (const auto& v : detail::kVariants) {
    if (v.shape.rows == n && v.shape.cols == m) return v.make(trace);
    available += (available.empty() ? "" : ", ") + std::to_string(v.shape.rows) + "x" +
                 std::to_string(v.shape.cols);
  }
  throw std::invalid_argument("no verilated BitFusion array with N=" + std::to_string(n) +
                              " rows, M=" + std::to_string(m) +
                              " columns; built variants (NxM): " + available +
                              ". Verilator fixes the array size at build time: add the shape to "
                              "HAQSIM_FUSION_ARRAY_VARIANTS in rtl/bitfusion/CMakeLists.txt");
}

}  // namespace haqsim::rtl
