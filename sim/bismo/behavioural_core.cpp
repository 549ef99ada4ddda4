// Behavioural DPU array: each execute instruction becomes, per DPU, one popcount-of-AND sum over
// the streamed words, shifted and signed once (shift and negate are per instruction, so they
// factor out of the sum). The sums come from the popcount kernel of the host's SIMD level,
// chosen when the core is built (sim/bismo/popcount_kernels.h), over the RHS buffer's
// interleaved layout (dpu_array_core.h): one LHS limb against that limb of every column at once.
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
        and_popcount_(and_popcount_interleaved_kernel(active_simd_level())) {}

  void execute(const ExecuteRun& run, const OperandBuffer& lhs, const OperandBuffer& rhs) override {
    if (run.clear) std::fill(acc_.begin(), acc_.end(), 0u);
    const int64_t span = run.words * lhs.words_u64;  // limbs are contiguous across words
    const uint64_t* columns = rhs.interleaved_word(run.rhs_word);
    // Banks are bank_limbs apart, so row r's limbs of this run start bank_limbs further on.
    and_popcount_(lhs.word(0, run.lhs_word), lhs.bank_limbs, dm_, columns, dn_, span, run.shift,
                  run.negate, acc_.data());
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
};

}  // namespace

std::unique_ptr<DpuArrayCore> make_behavioural_core(const BismoConfig& config) {
  return std::make_unique<BehaviouralCore>(config);
}

}  // namespace haqsim::bismo
