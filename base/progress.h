// Progress of a long run (sweeps, cost-cache fills, searches) on stderr: count, rate and ETA.
// On a terminal the line is redrawn in place at most 5 times a second; in a log (not a TTY) a
// line is printed every `log_every_seconds` and at the end, so CI logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace haqsim {

class Progress {
 public:
  // `total` <= 0 means unknown (no percentage, no ETA). `enabled` false silences it.
  Progress(std::string what, int64_t total, bool enabled = true, double log_every_seconds = 30);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `note` is shown after the counts (e.g. "reward 0.12 best 88.1%").
  void advance(int64_t n = 1, const std::string& note = "");
  // Counts `n` items an earlier run already did (a resumed search): they count toward the total
  // done but not toward the rate, so the ETA is not flattered by work that took no time here.
  void restore(int64_t n);
  // Prints the final line (once); also called by the destructor.
  void finish(const std::string& note = "");

  int64_t done() const { return done_; }
  double elapsed_seconds() const;
  // Seconds left at this run's average rate; negative when unknown.
  double eta_seconds() const;
  std::string line(const std::string& note) const;

 private:
  using Clock = std::chrono::steady_clock;
  std::string what_;
  int64_t total_;
  bool enabled_;
  bool tty_;
  double log_every_;
  int64_t done_ = 0;
  int64_t restored_ = 0;
  bool finished_ = false;
  Clock::time_point start_;
  Clock::time_point last_print_;
};

// "1:05:03", "4:07", "0:09"
std::string format_duration(double seconds);

}  // namespace haqsim
