// Timing of the DRAM/AXI interface shared by an accelerator's stages.
//
// The interface has `ports` AXI ports of `port_width_bits`, one beat per port per cycle. A
// request is a list of contiguous segments (one per buffer row, say); each segment is split into
// bursts of at most `max_burst_beats` beats, partial beats count whole. The bursts of a request
// are spread over all ports, so its data phase lasts ceil(beats / ports) cycles. A read's first
// beat comes `latency_cycles` after issue (requests are pipelined: the latency of one overlaps
// the data of the previous). A write's data goes out on the write channel right away and its
// response arrives `latency_cycles` after the last beat. AXI has independent read and write
// channels, so reads and writes proceed side by side; within one direction the data phases of
// different requests cannot overlap: a request whose data phase would start while that direction's
// channels are busy waits, and those cycles are counted as contention. Requests are served in issue
// order.
//
// The model is a pure function of the issue cycles, so cycle counts never depend on data values
// and are identical whichever compute core runs.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/common/arch_config.h"

namespace haqsim {

struct DramTransfer {
  int64_t issue_cycle = 0;
  int64_t data_start = 0;  // first beat
  int64_t done_cycle = 0;  // cycle after the last beat
  int64_t ack_cycle = 0;   // writes: cycle the write response arrives; reads: done_cycle
  int64_t beats = 0;
  int64_t bursts = 0;
  int64_t contention = 0;  // cycles waited for channels held by other requests
};

class DramChannel {
 public:
  explicit DramChannel(const DramConfig& config);

  // Schedules a request of `segment_bytes` segments issued at `now`; `write` only affects the
  // byte counters. Returns its timing.
  DramTransfer request(int64_t now, const std::vector<int64_t>& segment_bytes, bool write);

  int64_t bytes_read() const { return bytes_read_; }
  int64_t bytes_written() const { return bytes_written_; }
  int64_t contention_cycles() const { return contention_cycles_; }
  int64_t busy_cycles() const { return busy_cycles_; }
  int64_t beats_for(int64_t bytes) const;

 private:
  DramConfig config_;
  int64_t beat_bytes_;
  int64_t read_free_at_ = 0;
  int64_t write_free_at_ = 0;
  int64_t bytes_read_ = 0;
  int64_t bytes_written_ = 0;
  int64_t contention_cycles_ = 0;
  int64_t busy_cycles_ = 0;
};

}  // namespace haqsim
