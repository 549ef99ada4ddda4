// Behavioural DPU array: each execute instruction becomes, per DPU, one popcount-of-AND sum over
// the streamed words, shifted and signed once (shift and negate are per instruction, so they
// factor out of the sum). The sums come from the popcount kernel of the host's SIMD level,
// chosen when the core is built (sim/bismo/popcount_kernels.h).
#include <algorithm>
#include <cstring>

#include "sim/bismo/dpu_array_core.h"
#include "sim/bismo/popcount_kernels.h"

namespace haqsim::bismo {

namespace {

class BehaviouralCore : public DpuArrayCore {
 public:
  explicit BehaviouralCore(const BismoConfig& config)
      : dm_(config.dm),
        dn_(config.dn),
        acc_(size_t(config.dm) * config.dn, 0),
        and_popcount_(and_popcount_interleaved_kernel(active_simd_level())),
        columns_(size_t(config.dn)) {}

  void execute(const ExecuteRun& run, const OperandBuffer& lhs, const OperandBuffer& rhs) override {
    if (run.clear) std::fill(acc_.begin(), acc_.end(), 0u);
    const size_t span = size_t(run.words) * lhs.words_u64;  // limbs are contiguous across words
    const size_t dn = size_t(dn_);
    // The run's column limbs interleaved (limb i of column c at i * dn + c), read from the banks
    // once per run instead of once per row. Copying all of them costs about what finding the
    // limbs no row uses would (dm == dn on the shipped arrays); the kernel skips those.
    for (size_t c = 0; c < dn; ++c) columns_[c] = rhs.word(int(c), run.rhs_word);
    interleaved_.resize(span * dn);
    uint64_t* __restrict interleaved = interleaved_.data();
    for (size_t i = 0; i < span; ++i) {
      for (size_t c = 0; c < dn; ++c) interleaved[i * dn + c] = columns_[c][i];
    }
    for (int r = 0; r < dm_; ++r) {
      and_popcount_(lhs.word(r, run.lhs_word), interleaved, dn_, int64_t(span), run.shift,
                    run.negate, acc_.data() + size_t(r) * dn_);
    }
  }

  int64_t drain_cycles() override { return kDpuDrainCycles; }

  void read_accumulators(std::vector<int32_t>& out) override {
    out.resize(acc_.size());
    std::memcpy(out.data(), acc_.data(), acc_.size() * 4);
  }

  const char* name() const override { return "behavioural"; }

 private:
  int dm_, dn_;
  std::vector<uint32_t> acc_;
  AndPopcountInterleavedFn and_popcount_;
  std::vector<uint64_t> interleaved_;     // the run's RHS limbs, columns interleaved
  std::vector<const uint64_t*> columns_;  // the run's first limb in each column's bank
};

}  // namespace

std::unique_ptr<DpuArrayCore> make_behavioural_core(const BismoConfig& config) {
  return std::make_unique<BehaviouralCore>(config);
}

}  // namespace haqsim::bismo
