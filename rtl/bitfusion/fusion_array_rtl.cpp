#include "rtl/bitfusion/fusion_array_rtl.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

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

FusionStream::FusionStream(FusionArrayRtl& array, FusionArrayRtl::VectorSums sums)
    : array_(array),
      sums_(std::move(sums)),
      n_(std::size_t(array.rows())),
      m_(std::size_t(array.cols())),
      cells_(n_ * m_),
      // The last Fusion Unit takes vector v's operands n + m - 2 steps after its first step.
      depth_(n_ + m_ - 1),
      // Under the timing contract at most m vectors are incomplete at once; a larger window lets a
      // different latency show up as such rather than as an overflow.
      window_(2 * (n_ + m_)),
      act_(depth_ * cells_),
      weights_(depth_ * cells_),
      row_valid_(depth_, 0),
      act_words_(depth_, 0),
      row_act_(n_),
      cell_weights_(cells_),
      cell_act_(cells_),
      pending_sums_(window_ * m_),
      arrived_(m_, 0) {}

FusionVector& FusionStream::next_vector() {
  const std::size_t slot = step_ % depth_;
  next_.act = &act_[slot * cells_];
  next_.weights = &weights_[slot * cells_];
  next_.row_valid = 0;
  pending_ = true;
  return next_;
}

void FusionStream::step() {
  const std::size_t slot = step_ % depth_;
  row_valid_[slot] = 0;
  if (pending_) {
    pending_ = false;
    if (next_.row_valid == 0) {
      throw std::invalid_argument("BitFusion array: vector " + std::to_string(started_) +
                                  " has no valid row");
    }
    row_valid_[slot] = next_.row_valid;
    act_words_[slot] = array_.act_per_unit() ? cells_ : n_;
    ++started_;
  }
  // Input skew: row i carries the vector started i steps ago, Fusion Unit (i, j) the one started
  // i + j steps ago (a slot whose row_valid is 0 started none). Slots are walked down from row
  // i's (step - i) % depth along the row instead of one modulo per cell: this loop runs for all
  // N * M cells every clock cycle.
  FusionCycle cycle;
  bool any_unit_act = false;
  std::fill(cell_weights_.begin(), cell_weights_.end(), 0u);
  std::fill(cell_act_.begin(), cell_act_.end(), 0u);
  for (std::size_t i = 0; i < n_; ++i) {
    row_act_[i] = 0;
    if (step_ < i) continue;  // nothing has reached row i yet, nor any cell of it
    std::size_t at = (step_ - i) % depth_;
    if (row_valid_[at] >> i & 1u) {
      cycle.act_valid |= uint64_t{1} << i;
      if (act_words_[at] == n_) row_act_[i] = act_[at * cells_ + i];
    }
    // Cells (i, j) with j <= step - i have been reached.
    const std::size_t reached = std::min<uint64_t>(m_, step_ - i + 1);
    for (std::size_t j = 0; j < reached; ++j, at = at == 0 ? depth_ - 1 : at - 1) {
      if (row_valid_[at] == 0) continue;
      const std::size_t cell = i * m_ + j;
      cell_weights_[cell] = weights_[at * cells_ + cell];
      if (act_words_[at] == cells_) {
        cell_act_[cell] = act_[at * cells_ + cell];
        any_unit_act = true;
      }
    }
  }
  cycle.act = row_act_.data();
  cycle.weights = cell_weights_.data();
  cycle.unit_act = any_unit_act ? cell_act_.data() : nullptr;
  array_.step(cycle);
  ++step_;
  // Output de-skew: column j's k-th valid sum belongs to vector k.
  for (std::size_t j = 0; j < m_; ++j) {
    if (!array_.psum_valid(int(j))) continue;
    const uint64_t k = arrived_[j]++;
    if (k >= started_ || k - delivered_ >= window_) {
      throw std::logic_error("BitFusion array: column " + std::to_string(j) +
                             " delivered a sum no vector is due for (timing contract broken)");
    }
    pending_sums_[(k % window_) * m_ + j] = array_.psum(int(j));
  }
  while (delivered_<started_&& * std::min_element(arrived_.begin(), arrived_.end())> delivered_) {
    sums_(std::size_t(delivered_), &pending_sums_[(delivered_ % window_) * m_]);
    ++delivered_;
  }
}

uint64_t FusionArrayRtl::stream(std::size_t count, const VectorFill& fill, const VectorSums& sums) {
  if (count == 0) return 0;
  FusionStream s(*this, sums);
  // Under the contract the last sum leaves after count + rows() + cols() - 1 steps.
  const uint64_t limit = count + 4 * uint64_t(rows() + cols()) + 16;
  uint64_t steps = 0;
  for (; !(s.started() == count && s.empty()); ++steps) {
    if (steps >= limit) {
      throw std::logic_error("BitFusion array: " + std::to_string(count - s.delivered()) + " of " +
                             std::to_string(count) +
                             " vectors' sums never left the array (timing contract broken)");
    }
    if (s.started() < count) fill(std::size_t(s.started()), s.next_vector());
    s.step();
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
