// Timing of the DRAM/AXI interface shared by an accelerator's stages.
//
// The interface has `ports` AXI ports of `port_width_bits`, one beat per port per cycle. A
// request is a list of contiguous segments (one per buffer row, say); each segment is split into
// bursts of at most `max_burst_beats` beats, partial beats count whole. A read's first beat comes
// `latency_cycles` after issue (requests are pipelined: the latency of one overlaps the data of the
// previous). A write's data goes out on the write channel right away and its response arrives
// `latency_cycles` after the last beat. AXI has independent read and write channels, so reads and
// writes proceed side by side. How a request uses the ports is `port_mapping`:
// - interleaved: its bursts are spread over all ports (an address-interleaved memory
//   controller), so its data phase lasts ceil(beats / ports) cycles, and within one direction
//   the data phases of different requests cannot overlap;
// - per_request: each request travels on one port, the ports taken in turn (round robin per
//   direction), so one request moves at one port's width and up to `ports` requests move at once
//   (how an accelerator whose stages each drive their own AXI master spreads its traffic).
// A request whose data phase would start while its port (or, interleaved, the direction) is busy
// waits, and those cycles are counted as contention. Requests are served in issue order.
//
// The model is a pure function of the issue cycles, so cycle counts never depend on data values
// and are identical whichever compute core runs.
#pragma once

#include <algorithm>
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
  // The same for `count` segments of `bytes` each (data-free timing models use this).
  DramTransfer request_uniform(int64_t now, int64_t count, int64_t bytes, bool write);

  int64_t bytes_read() const { return bytes_read_; }
  int64_t bytes_written() const { return bytes_written_; }
  int64_t contention_cycles() const { return contention_cycles_; }
  // Cycles in which some read (write) data moved: the union of the data phases.
  int64_t read_transfer_cycles() const { return read_transfer_.cycles(); }
  int64_t write_transfer_cycles() const { return write_transfer_.cycles(); }
  // The layer's transfer time: the longer of the two directions.
  int64_t transfer_cycles() const {
    return std::max(read_transfer_cycles(), write_transfer_cycles());
  }
  int64_t beats_for(int64_t bytes) const;

 private:
  DramTransfer schedule(int64_t now, int64_t beats, int64_t bursts, int64_t bytes, bool write);

  // Cycles covered by a set of intervals that arrive in order of their start (data phases).
  class Coverage {
   public:
    void add(int64_t begin, int64_t end);
    int64_t cycles() const { return cycles_; }

   private:
    int64_t covered_to_ = 0, cycles_ = 0;
  };

  DramConfig config_;
  int64_t beat_bytes_;
  std::vector<int64_t> read_free_at_, write_free_at_;  // per port (one entry when interleaved)
  int64_t next_read_port_ = 0, next_write_port_ = 0;
  int64_t bytes_read_ = 0;
  int64_t bytes_written_ = 0;
  int64_t contention_cycles_ = 0;
  Coverage read_transfer_, write_transfer_;
};

}  // namespace haqsim
