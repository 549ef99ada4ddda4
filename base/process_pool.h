// Runs independent work items in forked worker processes, at most `jobs` at a time.
//
// Why processes and not threads: the SystemC kernel keeps one global simulation context per
// process, so two cycle-accurate simulations cannot run on two threads of one process. A forked
// child starts from the parent's (idle) state, runs one item and sends its result back through a
// pipe. With jobs == 1 items run in this process, in order.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace haqsim {

// A work item failed in its worker; `input_error` when the worker threw an InputError (exit 2).
class WorkerFailure : public std::runtime_error {
 public:
  WorkerFailure(const std::string& message, bool input_error)
      : std::runtime_error(message), input_error(input_error) {}
  bool input_error;
};

// Calls work(item) for every item, each in a worker process, and done(item, result) in this
// process as each finishes (in completion order). The first failure stops launching new items,
// waits for the running ones and throws WorkerFailure (or rethrows, with jobs == 1).
void run_in_processes(const std::vector<int64_t>& items, int jobs,
                      const std::function<std::string(int64_t)>& work,
                      const std::function<void(int64_t, const std::string&)>& done);

}  // namespace haqsim
