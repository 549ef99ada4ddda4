// The verilated BISMO array as the execute stage's compute core. Every streamed word is one
// clock cycle of the RTL; the execute stage's issue overhead is presented as bubbles, so the RTL
// runs exactly the cycles the stage accounts for. The drain after a finished tile is measured:
// the core steps the RTL until every beat it issued has landed in the accumulators (acc_valid),
// so a change in the RTL's pipeline shows up as a change in cycle counts, not as silence.
#include <cstring>
#include <stdexcept>

#include "rtl/bismo/bismo_array_rtl.h"
#include "sim/bismo/dpu_array_core.h"

namespace haqsim::bismo {

namespace {

class RtlCore : public DpuArrayCore {
 public:
  explicit RtlCore(const BismoConfig& config)
      : rtl_(rtl::make_bismo_array_rtl(config.dm, config.dk, config.dn)),
        overhead_(config.instruction_overhead_cycles),
        limbs_(rtl_->words_per_vector()),
        lhs_beat_(size_t(config.dm) * limbs_),
        rhs_beat_(size_t(config.dn) * limbs_) {}

  void execute(const ExecuteRun& run, const OperandBuffer& lhs, const OperandBuffer& rhs) override {
    advance_idle(overhead_);
    for (int64_t w = 0; w < run.words; ++w) {
      for (int r = 0; r < lhs.banks; ++r) {
        std::memcpy(&lhs_beat_[size_t(r) * limbs_], lhs.word(r, run.lhs_word + w), limbs_ * 8);
      }
      for (int c = 0; c < rhs.banks; ++c) {
        std::memcpy(&rhs_beat_[size_t(c) * limbs_], rhs.word(c, run.rhs_word + w), limbs_ * 8);
      }
      rtl::BismoBeat beat;
      beat.valid = true;
      beat.shift = unsigned(run.shift);
      beat.negate = run.negate;
      beat.clear = run.clear && w == 0;
      rtl_->step(lhs_beat_.data(), rhs_beat_.data(), beat);
      ++issued_;
      if (rtl_->acc_valid()) ++landed_;
    }
  }

  int64_t drain_cycles() override {
    int64_t cycles = 0;
    while (landed_ < issued_) {
      advance_idle(1);
      ++cycles;
      if (cycles > 1000) throw std::logic_error("BISMO RTL array never delivered its results");
    }
    return cycles;
  }

  void read_accumulators(std::vector<int32_t>& out) override {
    out.resize(size_t(rtl_->dm()) * rtl_->dn());
    rtl_->read_accumulators(out.data());
  }

  const char* name() const override { return "rtl"; }

 private:
  void advance_idle(int64_t cycles) {
    for (int64_t i = 0; i < cycles; ++i) {
      rtl_->idle(1);
      if (rtl_->acc_valid()) ++landed_;
    }
  }

  std::unique_ptr<rtl::BismoArrayRtl> rtl_;
  int64_t overhead_;
  int limbs_;
  std::vector<uint64_t> lhs_beat_, rhs_beat_;
  int64_t issued_ = 0, landed_ = 0;
};

}  // namespace

std::unique_ptr<DpuArrayCore> make_rtl_core(const BismoConfig& config) {
  return std::make_unique<RtlCore>(config);
}

}  // namespace haqsim::bismo
