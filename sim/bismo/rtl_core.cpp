// The verilated BISMO array as the execute stage's compute core. Every streamed word is one
// clock cycle of the RTL; when traced, the execute stage's issue overhead is presented as
// bubbles, so the RTL runs exactly the cycles the stage accounts for (untraced: execute()).
// The drain after a finished tile is measured: the core steps the RTL until every beat it
// issued has landed in the accumulators (acc_valid), so a change in the RTL's pipeline shows up
// as a change in cycle counts, not as silence.
#include <optional>
#include <stdexcept>

#include "rtl/bismo/bismo_array_rtl.h"
#include "sim/bismo/dpu_array_core.h"

namespace haqsim::bismo {

namespace {

class RtlCore : public DpuArrayCore {
 public:
  explicit RtlCore(const BismoConfig& config, const TraceRequest* trace = nullptr)
      : rtl_(rtl::make_bismo_array_rtl(config.dm, config.dk, config.dn, trace != nullptr)),
        overhead_(config.instruction_overhead_cycles),
        zeros_(size_t(rtl_->words_per_vector()), 0),
        lhs_rows_(size_t(config.dm), zeros_.data()),
        rhs_cols_(size_t(config.dn), zeros_.data()) {
    if (trace) {
      // Machine cycle 0 is the RTL's current cycle; the VCD's time follows machine cycles.
      trace_ = *trace;
      origin_ = rtl_->cycle();
      rtl_->set_trace_origin(origin_);
      rtl_->trace_open(trace->path);
      rtl_->trace_enable(trace_->in_window(0));
    }
  }

  ~RtlCore() override {
    if (trace_) rtl_->trace_close();
  }

  // While traced, the RTL is clocked through the cycles the execute stage waits, so its clock
  // (and the VCD's time) stays equal to the machine's; untraced, waits cost no RTL cycles.
  void at_cycle(int64_t machine_cycle) override {
    if (!trace_) return;
    while (machine_now() < machine_cycle) tick_idle();
  }

  void execute(const ExecuteRun& run, const OperandBuffer& lhs, const OperandBuffer& rhs) override {
    // Traced, the issue overhead is clocked as bubbles so the RTL's cycles (and the VCD's time)
    // are the machine's. Untraced it is not: a bubble (in_valid low) changes no accumulator and
    // the array takes back-to-back beats whatever their control, so the sums, and the drain
    // measured after a tile's last beat, are the same without them -- and on 1-word runs the
    // bubbles were two of every three clocks of the verilated array.
    if (trace_) advance_idle(overhead_);
    for (int64_t w = 0; w < run.words; ++w) {
      for (int r = 0; r < lhs.banks; ++r) lhs_rows_[r] = lhs.word(r, run.lhs_word + w);
      for (int c = 0; c < rhs.banks; ++c) rhs_cols_[c] = rhs.word(c, run.rhs_word + w);
      rtl::BismoBeat beat;
      beat.valid = true;
      beat.shift = unsigned(run.shift);
      beat.negate = run.negate;
      beat.clear = run.clear && w == 0;
      follow_window();
      rtl_->step_vectors(lhs_rows_.data(), rhs_cols_.data(), beat);
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
    for (int64_t i = 0; i < cycles; ++i) tick_idle();
  }
  void tick_idle() {
    follow_window();
    rtl_->idle(1);
    if (rtl_->acc_valid()) ++landed_;
  }
  int64_t machine_now() const { return int64_t(rtl_->cycle() - origin_); }
  // Records the next clock cycle only if it is inside the requested window.
  void follow_window() {
    if (trace_) rtl_->trace_enable(trace_->in_window(machine_now()));
  }

  std::unique_ptr<rtl::BismoArrayRtl> rtl_;
  int64_t overhead_;
  // Rows and columns past the operand banks' count (if a buffer has fewer) read zeros.
  std::vector<uint64_t> zeros_;
  std::vector<const uint64_t*> lhs_rows_, rhs_cols_;
  int64_t issued_ = 0, landed_ = 0;
  std::optional<TraceRequest> trace_;
  uint64_t origin_ = 0;
};

}  // namespace

std::unique_ptr<DpuArrayCore> make_rtl_core(const BismoConfig& config) {
  return std::make_unique<RtlCore>(config);
}

std::unique_ptr<DpuArrayCore> make_traced_rtl_core(const BismoConfig& config,
                                                   const TraceRequest& trace) {
  return std::make_unique<RtlCore>(config, &trace);
}

}  // namespace haqsim::bismo
