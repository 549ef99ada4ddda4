// Runs the haqsim binary (path from $HAQSIM_BIN, set by CTest) and captures exit code and output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace haqsim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

inline std::string haqsim_binary() {
  const char* bin = std::getenv("HAQSIM_BIN");
  return bin ? bin : "build/bin/haqsim";
}

inline CommandResult run_haqsim(const std::string& args) {
  CommandResult r;
  std::string command = haqsim_binary() + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.output.append(buffer.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace haqsim::testing
