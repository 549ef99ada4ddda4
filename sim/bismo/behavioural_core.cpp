// Behavioural DPU array: each execute instruction becomes, per DPU, one popcount-of-AND sum over
// the streamed words, shifted and signed once (shift and negate are per instruction, so they
// factor out of the sum). With -march=native the popcounts vectorize (AVX-512 VPOPCNTDQ where
// the host has it).
#include <algorithm>
#include <cstring>

#include "sim/bismo/dpu_array_core.h"

namespace haqsim::bismo {

namespace {

class BehaviouralCore : public DpuArrayCore {
 public:
  explicit BehaviouralCore(const BismoConfig& config)
      : dm_(config.dm), dn_(config.dn), acc_(size_t(config.dm) * config.dn, 0) {}

  void execute(const ExecuteRun& run, const OperandBuffer& lhs, const OperandBuffer& rhs) override {
    if (run.clear) std::fill(acc_.begin(), acc_.end(), 0u);
    const int limbs = lhs.words_u64;
    const int64_t span = run.words * limbs;  // limbs are contiguous across consecutive words
    for (int r = 0; r < dm_; ++r) {
      const uint64_t* a = lhs.word(r, run.lhs_word);
      for (int c = 0; c < dn_; ++c) {
        const uint64_t* b = rhs.word(c, run.rhs_word);
        uint64_t count = 0;
        for (int64_t i = 0; i < span; ++i) count += __builtin_popcountll(a[i] & b[i]);
        // 32-bit two's-complement accumulation, wrapping like the hardware register.
        const uint32_t term = uint32_t(count) << run.shift;
        uint32_t& acc = acc_[size_t(r) * dn_ + c];
        acc = run.negate ? acc - term : acc + term;
      }
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
};

}  // namespace

std::unique_ptr<DpuArrayCore> make_behavioural_core(const BismoConfig& config) {
  return std::make_unique<BehaviouralCore>(config);
}

}  // namespace haqsim::bismo
