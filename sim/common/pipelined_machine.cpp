#include "sim/common/pipelined_machine.h"

#include <algorithm>

namespace haqsim {

const sc_core::sc_time PipelinedMachine::kCycle(1, sc_core::SC_NS);

int64_t PipelinedMachine::current_cycle() {
  return int64_t(sc_core::sc_time_stamp() / kCycle + 0.5);
}

void PipelinedMachine::catch_up(int64_t local) {
  const int64_t now = current_cycle();
  if (local > now) sc_core::wait(double(local - now) * kCycle);
}

PipelinedMachine::PipelinedMachine(sc_core::sc_module_name name, std::vector<std::string> stages,
                                   const std::vector<ChannelSpec>& channels,
                                   sc_core::sc_trace_file* trace_file)
    : sc_core::sc_module(name), stages_(std::move(stages)), stage_end_(stages_.size(), -1) {
  for (const ChannelSpec& c : channels) {
    channels_.push_back(std::make_unique<sc_core::sc_fifo<int>>(std::max(1, c.depth)));
  }
  if (trace_file == nullptr) return;
  signals_ = std::make_unique<TracedSignals>("signals", trace_file, kCycle);
  // StageState: 0 idle, 1 busy, 2 waiting for a token, 3 waiting for memory.
  for (const std::string& stage : stages_)
    state_signals_.push_back(signals_->add(stage + "_state", 2));
  // A channel never holds more tokens than are sent on it, so its level gets the bits of its
  // depth; requests in flight have no such bound below the counter's 32 bits.
  for (const ChannelSpec& c : channels) {
    int bits = 1;
    while (bits < 32 && (int64_t(1) << bits) <= c.depth) ++bits;
    token_signals_.push_back(signals_->add("tokens_" + c.name, bits));
  }
  dram_reads_ = signals_->add("dram_reads_in_flight", 32);
  dram_writes_ = signals_->add("dram_writes_in_flight", 32);
}

bool PipelinedMachine::all_stages_finished() const {
  return std::all_of(stage_end_.begin(), stage_end_.end(), [](int64_t e) { return e >= 0; });
}

int64_t PipelinedMachine::end_cycle() const {
  return stage_end_.empty() ? 0 : *std::max_element(stage_end_.begin(), stage_end_.end());
}

void PipelinedMachine::send(int channel, int64_t local) {
  catch_up(local);
  channels_[size_t(channel)]->write(1);
  if (signals_) signals_->add_to(token_signals_[size_t(channel)], current_cycle(), 1);
}

int64_t PipelinedMachine::receive(int channel, int64_t& local, int stage, StageState waiting) {
  catch_up(local);
  const int64_t before = current_cycle();
  trace_state(stage, before, waiting);
  channels_[size_t(channel)]->read();
  local = current_cycle();
  if (signals_) signals_->add_to(token_signals_[size_t(channel)], local, -1);
  trace_state(stage, local, StageState::kBusy);
  return local - before;
}

void PipelinedMachine::finish_stage(int stage, int64_t local) {
  catch_up(local);
  trace_state(stage, local, StageState::kIdle);
  stage_end_[size_t(stage)] = local;
}

int PipelinedMachine::add_signal(const std::string& name, int width) {
  return signals_ ? signals_->add(name, width) : -1;
}

void PipelinedMachine::trace_state(int stage, int64_t cycle, StageState state) {
  if (signals_) signals_->set_state(state_signals_[size_t(stage)], cycle, state);
}

void PipelinedMachine::trace_set(int signal, int64_t cycle, int64_t value) {
  if (signals_) signals_->set(signal, cycle, value);
}

void PipelinedMachine::trace_in_flight(int signal, int64_t from, int64_t to) {
  if (signals_) {
    signals_->add_to(signal, from, 1);
    signals_->add_to(signal, to, -1);
  }
}

}  // namespace haqsim
