// Atomic output: the file appears whole, and temporaries left by killed runs are cleaned up.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;

// The pid of a process that has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

TEST(AtomicFile, RemovesTemporariesOfDeadProcessesOnly) {
  const fs::path dir = haqsim_test_temp_dir() / "haqsim_atomic_file_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path target = dir / "checkpoint.bin";
  const fs::path stale = dir / ("checkpoint.bin.tmp." + std::to_string(dead_pid()));
  const fs::path live = dir / ("checkpoint.bin.tmp." + std::to_string(getppid()));
  const fs::path other = dir / ("episodes.csv.tmp." + std::to_string(dead_pid()));
  for (const fs::path& p : {stale, live, other}) std::ofstream(p) << "half";
  write_file_atomically(target.string(), "whole");
  EXPECT_EQ(read_whole_file(target.string()), "whole");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live)) << "a running process's temporary was removed";
  EXPECT_TRUE(fs::exists(other)) << "another file's temporary was removed";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace haqsim
