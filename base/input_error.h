// Errors caused by what the user gave us (configs, policies, model files, datasets, CLI).
//
// Every such error names where the problem is (file and line, key, or byte offset), what was
// expected and what was found, so an architect can fix a hand-edited file without reading code.
// The CLI maps InputError to exit code 2 and every other exception to exit code 1.
#pragma once

#include <stdexcept>
#include <string>

namespace haqsim {

struct InputLocation {
  std::string file;  // path as the user gave it; empty for command-line input
  int line = 0;      // 1-based; 0 when not applicable
  std::string key;   // dotted key path ("array.dm") or entry name; empty when not applicable
  long long byte_offset = -1;  // for binary inputs; -1 when not applicable
};

class InputError : public std::runtime_error {
 public:
  InputError(InputLocation where, std::string expected, std::string found);
  // For problems that are not a single expected/found mismatch (e.g. "file not found").
  InputError(InputLocation where, std::string message);

  const InputLocation& where() const { return where_; }
  const std::string& expected() const { return expected_; }
  const std::string& found() const { return found_; }

 private:
  InputLocation where_;
  std::string expected_;
  std::string found_;
};

// "file:line: key 'array.dm'" style prefix used in all messages.
std::string describe_location(const InputLocation& where);

}  // namespace haqsim
