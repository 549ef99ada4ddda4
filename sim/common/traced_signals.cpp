#include "sim/common/traced_signals.h"

#include <stdexcept>

namespace haqsim {

TracedSignals::TracedSignals(sc_core::sc_module_name name, sc_core::sc_trace_file* file,
                             sc_core::sc_time cycle)
    : sc_core::sc_module(name), file_(file), cycle_(cycle) {
  SC_THREAD(apply);
}

int TracedSignals::add(const std::string& name, int width) {
  signals_.push_back(std::make_unique<sc_core::sc_signal<int>>(name.c_str(), 0));
  values_.push_back(0);
  // SystemC traces an int as a signed number of `width` bits; one more bit keeps values up to
  // 2^width - 1 from showing as x.
  sc_core::sc_trace(file_, *signals_.back(), name, width + 1);
  return int(signals_.size()) - 1;
}

void TracedSignals::set(int id, int64_t cycle, int64_t value) {
  schedule({cycle, next_order_++, id, value, false});
}

void TracedSignals::add_to(int id, int64_t cycle, int64_t delta) {
  schedule({cycle, next_order_++, id, delta, true});
}

void TracedSignals::schedule(Change change) {
  const int64_t now = int64_t(sc_core::sc_time_stamp() / cycle_ + 0.5);
  if (change.cycle < now)
    throw std::logic_error("a traced signal change was scheduled in the past");
  pending_.push(change);
  scheduled_.notify(sc_core::SC_ZERO_TIME);
}

void TracedSignals::apply() {
  for (;;) {
    if (pending_.empty()) {
      sc_core::wait(scheduled_);
      continue;
    }
    const int64_t now = int64_t(sc_core::sc_time_stamp() / cycle_ + 0.5);
    const int64_t next = pending_.top().cycle;
    if (next > now) {
      sc_core::wait(double(next - now) * cycle_, scheduled_);  // earlier changes may arrive
      continue;
    }
    while (!pending_.empty() && pending_.top().cycle <= now) {
      const Change c = pending_.top();
      pending_.pop();
      values_[size_t(c.id)] = c.relative ? values_[size_t(c.id)] + c.value : c.value;
      signals_[size_t(c.id)]->write(int(values_[size_t(c.id)]));
    }
  }
}

}  // namespace haqsim
