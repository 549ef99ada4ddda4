// An exclusive advisory lock (flock) on `<path>`, held for the object's lifetime, so processes
// that read-merge-write one shared file (the cost cache, the calibration cache) do not lose each
// other's entries. The lock file is created if missing and left in place; the lock is released
// when the process exits, so a killed run never leaves a stale lock.
#pragma once

#include <string>

namespace haqsim {

class FileLock {
 public:
  // Blocks until the lock is held. Throws std::runtime_error naming the file if it cannot be
  // opened (e.g. the directory does not exist and cannot be created).
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace haqsim
