#include "rtl/stripes/stripes_tile_rtl.h"

#include <stdexcept>

namespace haqsim::rtl {
namespace detail {

// One factory function per built variant, defined in the generated stripes_tile_<shape>.cpp.
#define HAQSIM_STRIPES_TILE_VARIANT(name, f, w, l) \
  std::unique_ptr<StripesTileRtl> make_stripes_tile_##name(bool trace);
#include "stripes_tile_variants.inc"
#undef HAQSIM_STRIPES_TILE_VARIANT

namespace {

struct Variant {
  StripesTileShape shape;
  std::unique_ptr<StripesTileRtl> (*make)(bool trace);
};

const Variant kVariants[] = {
#define HAQSIM_STRIPES_TILE_VARIANT(name, f, w, l) {{f, w, l}, &make_stripes_tile_##name},
#include "stripes_tile_variants.inc"
#undef HAQSIM_STRIPES_TILE_VARIANT
};

}  // namespace
}  // namespace detail

std::vector<StripesTileShape> stripes_tile_rtl_variants() {
  std::vector<StripesTileShape> shapes;
  for (const auto& v : detail::kVariants) shapes.push_back(v.shape);
  return shapes;
}

std::unique_ptr<StripesTileRtl> make_stripes_tile_rtl(int filters, int windows, int lanes,
                                                      bool trace) {
  std::string available;
  for (const auto& v : detail::kVariants) {
    const StripesTileShape& s = v.shape;
    if (s.filters == filters && s.windows == windows && s.lanes == lanes) return v.make(trace);
    available += (available.empty() ? "" : ", ") + std::to_string(s.filters) + "x" +
                 std::to_string(s.windows) + "x" + std::to_string(s.lanes);
  }
  throw std::invalid_argument("no verilated Stripes tile with F=" + std::to_string(filters) +
                              ", W=" + std::to_string(windows) + ", L=" + std::to_string(lanes) +
                              "; built variants (FxWxL): " + available +
                              ". Verilator fixes the tile size at build time: add the shape to "
                              "HAQSIM_STRIPES_TILE_VARIANTS in rtl/stripes/CMakeLists.txt");
}

}  // namespace haqsim::rtl
