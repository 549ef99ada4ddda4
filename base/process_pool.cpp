#include "base/process_pool.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "base/input_error.h"

namespace haqsim {

namespace {

struct Worker {
  int64_t item = 0;
  int fd = -1;
  std::string output;
};

// Exit codes a worker uses to tell the parent what kind of failure it sent.
constexpr int kInputErrorExit = 2;
constexpr int kInternalErrorExit = 1;

void write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += size_t(n);
  }
}

[[noreturn]] void run_child(int fd, int64_t item, const std::function<std::string(int64_t)>& work) {
  int code = 0;
  std::string payload;
  try {
    payload = work(item);
  } catch (const InputError& e) {
    payload = e.what();
    code = kInputErrorExit;
  } catch (const std::exception& e) {
    payload = e.what();
    code = kInternalErrorExit;
  }
  write_all(fd, payload);
  ::close(fd);
  std::fflush(nullptr);
  // _exit: the child must not run the parent's atexit handlers or static destructors.
  ::_exit(code);
}

}  // namespace

void run_in_processes(const std::vector<int64_t>& items, int jobs,
                      const std::function<std::string(int64_t)>& work,
                      const std::function<void(int64_t, const std::string&)>& done) {
  if (jobs <= 1) {
    for (int64_t item : items) done(item, work(item));
    return;
  }
  std::map<pid_t, Worker> running;
  size_t next = 0;
  std::string failure;
  bool failure_is_input = false;
  std::fflush(nullptr);  // or buffered output would be written once by every child
  while (next < items.size() || !running.empty()) {
    while (failure.empty() && next < items.size() && int(running.size()) < jobs) {
      int fds[2];
      if (::pipe(fds) != 0)
        throw std::runtime_error("pipe failed: " + std::string(strerror(errno)));
      const pid_t pid = ::fork();
      if (pid < 0) throw std::runtime_error("fork failed: " + std::string(strerror(errno)));
      if (pid == 0) {
        ::close(fds[0]);
        for (auto& [_, w] : running) ::close(w.fd);
        run_child(fds[1], items[next], work);
      }
      ::close(fds[1]);
      running[pid] = Worker{items[next], fds[0], {}};
      ++next;
    }
    if (running.empty()) break;
    // Read every pipe to its end (a worker blocks on a full pipe until we do), then reap.
    std::vector<pollfd> polls;
    std::vector<pid_t> pids;
    for (auto& [pid, w] : running) {
      if (w.fd >= 0) {
        polls.push_back({w.fd, POLLIN, 0});
        pids.push_back(pid);
      }
    }
    if (!polls.empty()) {
      if (::poll(polls.data(), polls.size(), -1) < 0 && errno != EINTR) {
        throw std::runtime_error("poll failed: " + std::string(strerror(errno)));
      }
      for (size_t i = 0; i < polls.size(); ++i) {
        if (!(polls[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        Worker& w = running[pids[i]];
        char buffer[4096];
        const ssize_t n = ::read(w.fd, buffer, sizeof buffer);
        if (n > 0) {
          w.output.append(buffer, size_t(n));
        } else if (n == 0 || errno != EINTR) {
          ::close(w.fd);
          w.fd = -1;
        }
      }
    }
    for (auto it = running.begin(); it != running.end();) {
      if (it->second.fd >= 0) {
        ++it;
        continue;
      }
      int status = 0;
      while (::waitpid(it->first, &status, 0) < 0 && errno == EINTR) {
      }
      const Worker w = std::move(it->second);
      it = running.erase(it);
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (failure.empty()) done(w.item, w.output);
      } else if (failure.empty()) {
        failure_is_input = WIFEXITED(status) && WEXITSTATUS(status) == kInputErrorExit;
        failure = w.output.empty()
                      ? fmt::format("worker for item {} died (status {})", w.item, status)
                      : w.output;
      }
    }
  }
  if (!failure.empty()) throw WorkerFailure(failure, failure_is_input);
}

}  // namespace haqsim
