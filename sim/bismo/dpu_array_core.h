// The compute core of BISMO's execute stage: the Dm x Dn array of dot-product units and their
// accumulators. The execute stage owns timing; a core only computes, and reports how many
// cycles the last word needs to reach the accumulators (its pipeline depth), which a verilated
// core measures on the RTL instead of assuming.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "sim/bismo/bismo_config.h"
#include "sim/bismo/instructions.h"
#include "sim/common/trace_request.h"

namespace haqsim::bismo {

// LHS row buffers and RHS column buffers: `banks` x `depth` words of Dk bits, each word stored
// as `words_u64` 64-bit limbs (bit i of the word is bit i % 64 of limb i / 64). A bank's words
// are contiguous; banks are one cache line further apart than their size, because a size that
// is a multiple of 4 KB (bismo-cloud's banks are 128 KB) puts word w of every bank in the same
// cache set, and an execute run reads word w of every bank.
//
// The RHS buffer also keeps its words with the banks interleaved, limb l of word w of bank b at
// interleaved[(w * words_u64 + l) * banks + b]: a run's limbs of every column, contiguous, are
// what the behavioural core's kernels take (popcount_kernels.h); write() keeps both layouts in
// step. The LHS buffer, whose words the kernels take one at a time, keeps no interleaved copy.
struct OperandBuffer {
  static constexpr int64_t kBankPaddingLimbs = 8;  // one 64-byte cache line

  int banks = 0;
  int64_t depth = 0;
  int words_u64 = 0;
  int64_t bank_limbs = 0;  // from a bank's first limb to the next bank's
  std::vector<uint64_t> data;
  std::vector<uint64_t> interleaved;

  OperandBuffer(int banks_, int64_t depth_, int dk, bool keep_interleaved)
      : banks(banks_),
        depth(depth_),
        words_u64((dk + 63) / 64),
        bank_limbs(depth_ * words_u64 + kBankPaddingLimbs),
        data(size_t(banks_) * size_t(bank_limbs), 0),
        interleaved(keep_interleaved ? size_t(banks_) * size_t(depth_) * size_t(words_u64) : 0, 0) {
  }
  const uint64_t* word(int bank, int64_t index) const {
    return data.data() + size_t(bank) * size_t(bank_limbs) + size_t(index) * words_u64;
  }
  // Limb 0 of word `index` of bank 0 in the interleaved layout.
  const uint64_t* interleaved_word(int64_t index) const {
    return interleaved.data() + size_t(index) * words_u64 * banks;
  }
  // Word `index` of bank `bank` := `bytes` bytes (at most Dk / 8) from `source`, zero-padded.
  void write(int bank, int64_t index, const uint8_t* source, size_t bytes) {
    uint64_t* dst = data.data() + size_t(bank) * size_t(bank_limbs) + size_t(index) * words_u64;
    std::memset(dst, 0, size_t(words_u64) * 8);
    std::memcpy(dst, source, bytes);
    if (interleaved.empty()) return;
    uint64_t* across = interleaved.data() + size_t(index) * words_u64 * banks + size_t(bank);
    for (int l = 0; l < words_u64; ++l) across[size_t(l) * banks] = dst[l];
  }
};

class DpuArrayCore {
 public:
  virtual ~DpuArrayCore() = default;
  // Streams run.words words through the array and updates the accumulators.
  virtual void execute(const ExecuteRun& run, const OperandBuffer& lhs,
                       const OperandBuffer& rhs) = 0;
  // Cycles from the last streamed word to final accumulators (0 if the core is not pipelined).
  virtual int64_t drain_cycles() = 0;
  // Dm x Dn accumulators, row-major.
  virtual void read_accumulators(std::vector<int32_t>& out) = 0;
  virtual const char* name() const = 0;
  // The machine cycle at which the next execute() starts (a traced RTL core keeps its clock
  // aligned with the machine's; others ignore it).
  virtual void at_cycle(int64_t /*machine_cycle*/) {}
};

// Pipeline depth of BISMO's DPU (register stages from a beat to the accumulators), shared by the
// behavioural core and the analytic model; the RTL core measures the drain on the verilated
// array instead, and the backend-equivalence test asserts both give the same cycles. A stream
// of T words is in the accumulators T + depth - 1 cycles after its first word: the drain after
// the last word is depth - 1 cycles.
constexpr int64_t kDpuPipelineDepth = 3;
constexpr int64_t kDpuDrainCycles = kDpuPipelineDepth - 1;

// Popcounts on machine words: AND, popcount, shift, add.
std::unique_ptr<DpuArrayCore> make_behavioural_core(const BismoConfig& config);
// The verilated RTL array (rtl/bismo/), stepped cycle by cycle; throws std::invalid_argument
// when no verilated variant of the config's Dm x Dk x Dn exists.
std::unique_ptr<DpuArrayCore> make_rtl_core(const BismoConfig& config);
// The same, recording the RTL's signals into trace.path during the trace's cycle window.
std::unique_ptr<DpuArrayCore> make_traced_rtl_core(const BismoConfig& config,
                                                   const TraceRequest& trace);

}  // namespace haqsim::bismo
