#include "sim/common/dram_channel.h"

#include <algorithm>

namespace haqsim {

void DramChannel::Coverage::add(int64_t begin, int64_t end) {
  begin = std::max(begin, covered_to_);
  if (end > begin) cycles_ += end - begin;
  covered_to_ = std::max(covered_to_, end);
}

DramChannel::DramChannel(const DramConfig& config)
    : config_(config), beat_bytes_(config.port_width_bits / 8) {
  const size_t lanes = config.port_mapping == DramPortMapping::kPerRequest ? config.ports : 1;
  read_free_at_.assign(lanes, 0);
  write_free_at_.assign(lanes, 0);
}

int64_t DramChannel::beats_for(int64_t bytes) const {
  return (bytes + beat_bytes_ - 1) / beat_bytes_;
}

DramTransfer DramChannel::request(int64_t now, const std::vector<int64_t>& segment_bytes,
                                  bool write) {
  int64_t beats = 0, bursts = 0, bytes = 0;
  for (int64_t segment : segment_bytes) {
    const int64_t b = beats_for(segment);
    beats += b;
    bursts += (b + config_.max_burst_beats - 1) / config_.max_burst_beats;
    bytes += segment;
  }
  return schedule(now, beats, bursts, bytes, write);
}

DramTransfer DramChannel::request_uniform(int64_t now, int64_t count, int64_t bytes, bool write) {
  const int64_t beats = beats_for(bytes);
  return schedule(now, count * beats,
                  count * ((beats + config_.max_burst_beats - 1) / config_.max_burst_beats),
                  count * bytes, write);
}

DramTransfer DramChannel::schedule(int64_t now, int64_t beats, int64_t bursts, int64_t bytes,
                                   bool write) {
  DramTransfer t;
  t.issue_cycle = now;
  t.beats = beats;
  t.bursts = bursts;
  const bool per_request = config_.port_mapping == DramPortMapping::kPerRequest;
  const int64_t data_cycles = per_request ? t.beats : (t.beats + config_.ports - 1) / config_.ports;
  const int64_t earliest = write ? now : now + config_.latency_cycles;
  int64_t& next_port = write ? next_write_port_ : next_read_port_;
  std::vector<int64_t>& ports = write ? write_free_at_ : read_free_at_;
  int64_t& free_at = ports[size_t(per_request ? next_port++ % config_.ports : 0)];
  t.data_start = std::max(earliest, free_at);
  t.contention = t.data_start - earliest;
  t.done_cycle = t.data_start + data_cycles;
  free_at = t.done_cycle;
  t.ack_cycle = write ? t.done_cycle + config_.latency_cycles : t.done_cycle;
  contention_cycles_ += t.contention;
  (write ? write_transfer_ : read_transfer_).add(t.data_start, t.done_cycle);
  (write ? bytes_written_ : bytes_read_) += bytes;
  return t;
}

}  // namespace haqsim
