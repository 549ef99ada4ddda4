#include "rtl/bismo/bismo_array_rtl.h"

#include <stdexcept>

namespace haqsim::rtl {
namespace detail {

// One factory function per built variant, defined in the generated bismo_array_<shape>.cpp.
#define HAQSIM_BISMO_ARRAY_VARIANT(name, dm, dk, dn) \
  std::unique_ptr<BismoArrayRtl> make_bismo_array_##name(bool trace);
#include "bismo_array_variants.inc"
#undef HAQSIM_BISMO_ARRAY_VARIANT

namespace {

struct Variant {
  BismoArrayShape shape;
  std::unique_ptr<BismoArrayRtl> (*make)(bool trace);
};

const Variant kVariants[] = {
#define HAQSIM_BISMO_ARRAY_VARIANT(name, dm, dk, dn) {{dm, dk, dn}, &make_bismo_array_##name},
#include "bismo_array_variants.inc"
#undef HAQSIM_BISMO_ARRAY_VARIANT
};

}  // namespace
}  // namespace detail

void BismoArrayRtl::step(const uint64_t* lhs, const uint64_t* rhs, const BismoBeat& beat) {
  if (!beat.valid) {
    step_vectors(nullptr, nullptr, beat);
    return;
  }
  const int words = words_per_vector();
  std::vector<const uint64_t*> lhs_rows(dm()), rhs_cols(dn());
  for (int i = 0; i < dm(); ++i) lhs_rows[i] = lhs + size_t(i) * words;
  for (int j = 0; j < dn(); ++j) rhs_cols[j] = rhs + size_t(j) * words;
  step_vectors(lhs_rows.data(), rhs_cols.data(), beat);
}

std::vector<BismoArrayShape> bismo_array_rtl_variants() {
  std::vector<BismoArrayShape> shapes;
  for (const auto& v : detail::kVariants) shapes.push_back(v.shape);
  return shapes;
}

std::unique_ptr<BismoArrayRtl> make_bismo_array_rtl(int dm, int dk, int dn, bool trace) {
  std::string available;
  for (const auto& v : detail::kVariants) {
    if (v.shape.dm == dm && v.shape.dk == dk && v.shape.dn == dn) return v.make(trace);
    available += (available.empty() ? "" : ", ") + std::to_string(v.shape.dm) + "x" +
                 std::to_string(v.shape.dk) + "x" + std::to_string(v.shape.dn);
  }
  throw std::invalid_argument("no verilated BISMO array with Dm=" + std::to_string(dm) +
                              ", Dk=" + std::to_string(dk) + ", Dn=" + std::to_string(dn) +
                              "; built variants (DmxDkxDn): " + available +
                              ". Verilator fixes the array size at build time: add the shape to "
                              "HAQSIM_BISMO_ARRAY_VARIANTS in rtl/bismo/CMakeLists.txt");
}

}  // namespace haqsim::rtl
