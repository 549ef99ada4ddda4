#include "sim/common/traced_signals.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

TracedSignals::TracedSignals(sc_core::sc_module_name name, sc_core::sc_trace_file* file,
                             sc_core::sc_time cycle)
    : sc_core::sc_module(name), file_(file), cycle_(cycle) {
  SC_THREAD(apply);
}

int TracedSignals::add(const std::string& name, int width) {
  if (width < 1 || width > 32)
    throw std::logic_error("traced signal " + name + ": width not in 1..32");
  // Unsigned, because SystemC writes a traced int that does not fit `width` bits as a signed
  // number as x: 2^(width-1) and more did (a 32-bit word count read x from 2^31 on), and a
  // width one bit wider than the values need showed in the viewer. An unsigned of `width`
  // bits shows every value up to 2^width - 1.
  signals_.push_back(std::make_unique<sc_core::sc_signal<uint32_t>>(name.c_str(), 0));
  values_.push_back(0);
  widths_.push_back(width);
  sc_core::sc_trace(file_, *signals_.back(), name, width);
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
      const int64_t value = c.relative ? values_[size_t(c.id)] + c.value : c.value;
      if (value < 0 || value >= (int64_t(1) << widths_[size_t(c.id)])) {
        throw std::logic_error(fmt::format("traced signal {} = {} does not fit its {} bits",
                                           signals_[size_t(c.id)]->name(), value,
                                           widths_[size_t(c.id)]));
      }
      values_[size_t(c.id)] = value;
      signals_[size_t(c.id)]->write(uint32_t(value));
    }
  }
}

}  // namespace haqsim
