#include "base/input_error.h"

#include <fmt/format.h>

namespace haqsim {

std::string describe_location(const InputLocation& where) {
  std::string out = where.file.empty() ? std::string("command line") : where.file;
  if (where.line > 0) out += fmt::format(":{}", where.line);
  if (where.byte_offset >= 0) out += fmt::format(" (byte offset {})", where.byte_offset);
  if (!where.key.empty()) out += fmt::format(": key '{}'", where.key);
  return out;
}

InputError::InputError(InputLocation where, std::string expected, std::string found)
    : std::runtime_error(
          fmt::format("{}: expected {}, found {}", describe_location(where), expected, found)),
      where_(std::move(where)),
      expected_(std::move(expected)),
      found_(std::move(found)) {}

InputError::InputError(InputLocation where, std::string message)
    : std::runtime_error(fmt::format("{}: {}", describe_location(where), message)),
      where_(std::move(where)) {}

}  // namespace haqsim
