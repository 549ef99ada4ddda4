#include "base/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>

namespace haqsim {

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  const int64_t s = int64_t(std::llround(seconds));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

Progress::Progress(std::string what, int64_t total, bool enabled, double log_every_seconds)
    : what_(std::move(what)),
      total_(total),
      enabled_(enabled),
      tty_(isatty(fileno(stderr)) != 0),
      log_every_(log_every_seconds),
      start_(Clock::now()),
      last_print_(start_) {}

Progress::~Progress() {
  // A run that threw half-way leaves its last line as it was rather than claiming completion.
  if (!finished_ && enabled_ && tty_) std::fputc('\n', stderr);
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

double Progress::eta_seconds() const {
  const int64_t done_here = done_ - restored_;
  if (total_ <= 0 || done_here <= 0) return -1;
  return elapsed_seconds() / double(done_here) * double(total_ - done_);
}

std::string Progress::line(const std::string& note) const {
  const double elapsed = elapsed_seconds();
  const double rate = elapsed > 0 ? double(done_ - restored_) / elapsed : 0;
  std::string text = what_ + ": ";
  if (total_ > 0) {
    text += fmt::format("{}/{} ({:.0f}%)", done_, total_, 100.0 * done_ / total_);
  } else {
    text += fmt::format("{}", done_);
  }
  if (rate > 0) {  // none yet in this run (a resumed one): no rate rather than a made-up one
    text += rate >= 1 ? fmt::format("  {:.1f}/s", rate) : fmt::format("  {:.1f} s each", 1 / rate);
  }
  text += fmt::format("  elapsed {}", format_duration(elapsed));
  if (total_ > 0 && done_ < total_) text += fmt::format("  ETA {}", format_duration(eta_seconds()));
  if (!note.empty()) text += "  " + note;
  return text;
}

void Progress::advance(int64_t n, const std::string& note) {
  done_ += n;
  if (!enabled_ || finished_) return;
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (tty_ ? since < 0.2 : since < log_every_) return;
  last_print_ = now;
  if (tty_) {
    fmt::print(stderr, "\r\033[K{}", line(note));
  } else {
    fmt::print(stderr, "{}\n", line(note));
  }
  std::fflush(stderr);
}

void Progress::restore(int64_t n) {
  done_ += n;
  restored_ += n;
}

void Progress::finish(const std::string& note) {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  fmt::print(stderr, "{}{}\n", tty_ ? "\r\033[K" : "", line(note));
  std::fflush(stderr);
}

}  // namespace haqsim
