#include "sim/common/dram_channel.h"

#include <algorithm>

namespace haqsim {

DramChannel::DramChannel(const DramConfig& config)
    : config_(config), beat_bytes_(config.port_width_bits / 8) {}

int64_t DramChannel::beats_for(int64_t bytes) const {
  return (bytes + beat_bytes_ - 1) / beat_bytes_;
}

DramTransfer DramChannel::request(int64_t now, const std::vector<int64_t>& segment_bytes,
                                  bool write) {
  DramTransfer t;
  t.issue_cycle = now;
  int64_t bytes = 0;
  for (int64_t segment : segment_bytes) {
    const int64_t beats = beats_for(segment);
    t.beats += beats;
    t.bursts += (beats + config_.max_burst_beats - 1) / config_.max_burst_beats;
    bytes += segment;
  }
  const int64_t data_cycles = (t.beats + config_.ports - 1) / config_.ports;
  const int64_t earliest = write ? now : now + config_.latency_cycles;
  int64_t& free_at = write ? write_free_at_ : read_free_at_;
  t.data_start = std::max(earliest, free_at);
  t.contention = t.data_start - earliest;
  t.done_cycle = t.data_start + data_cycles;
  free_at = t.done_cycle;
  t.ack_cycle = write ? t.done_cycle + config_.latency_cycles : t.done_cycle;
  contention_cycles_ += t.contention;
  busy_cycles_ += data_cycles;
  (write ? bytes_written_ : bytes_read_) += bytes;
  return t;
}

}  // namespace haqsim
