// BISMO's instruction set, one stream per stage, as in the FPL'18/TRETS'19 design: run
// instructions do a stage's work, sync instructions send or receive a token on the FIFO channel
// to a neighbouring stage. Tokens are what lets fetching the next tile overlap executing this one.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

namespace haqsim::bismo {

enum class Channel {
  kFetchToExecute,   // "the data of the next step is in the buffers"
  kExecuteToFetch,   // "the buffers of a finished step may be overwritten"
  kExecuteToResult,  // "a result slot holds a finished tile"
  kResultToExecute,  // "a result slot was written out and is free"
};
constexpr int kChannelCount = 4;

struct Sync {
  bool send = true;  // false: receive (blocks until a token is there)
  Channel channel = Channel::kFetchToExecute;
};

enum class Operand { kLhs, kRhs };

// Copies `words` Dk-bit words, contiguous in DRAM at `dram_byte`, into buffer bank `bank` (an
// LHS row or an RHS column) starting at word `buffer_word`.
struct FetchSegment {
  int64_t dram_byte = 0;
  int bank = 0;
  int64_t buffer_word = 0;
  int64_t words = 0;
};

// One DRAM read request made of several segments.
struct FetchRun {
  Operand operand = Operand::kLhs;
  std::vector<FetchSegment> segments;
};

// Streams `words` words from every LHS row buffer (from `lhs_word`) and every RHS column buffer
// (from `rhs_word`) through the array, one per cycle: acc[r][c] += (negate ? -1 : 1) *
// (popcount(lhs_r & rhs_c) << shift). `clear` zeroes the accumulators before the first word;
// `write_result` copies them into result-buffer slot `result_slot` after the last word has left
// the DPU pipeline.
struct ExecuteRun {
  int64_t lhs_word = 0;
  int64_t rhs_word = 0;
  int64_t words = 0;
  int shift = 0;
  bool negate = false;
  bool clear = false;
  bool write_result = false;
  int result_slot = 0;
};

// Writes the `rows` x `cols` int32 accumulators of result slot `result_slot` to DRAM, one
// segment per row: row r goes to `dram_byte + r * row_stride_bytes`.
struct ResultRun {
  int result_slot = 0;
  int64_t dram_byte = 0;
  int64_t row_stride_bytes = 0;
  int rows = 0;
  int cols = 0;
};

using FetchInstruction = std::variant<FetchRun, Sync>;
using ExecuteInstruction = std::variant<ExecuteRun, Sync>;
using ResultInstruction = std::variant<ResultRun, Sync>;

struct Programs {
  std::vector<FetchInstruction> fetch;
  std::vector<ExecuteInstruction> execute;
  std::vector<ResultInstruction> result;
};

}  // namespace haqsim::bismo
