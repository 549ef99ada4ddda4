#include "base/atomic_file.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/input_error.h"

namespace haqsim {

namespace {

// Removes "<target>.tmp.<pid>" files left by processes that no longer run (a run killed between
// writing its temporary and renaming it). Temporaries of live processes are theirs to finish.
void remove_stale_temporaries(const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  const std::string prefix = target.filename().string() + ".tmp.";
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = pid_t(std::stol(digits));
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == -1 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  fs::path target(path);
  // Where the output goes is the user's choice (--out), so an unusable place is bad input.
  auto unwritable = [&](const std::string& why) {
    return InputError(InputLocation{path, 0, "", -1}, "a writable output path", why);
  };
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw unwritable(fmt::format("'{}': {}", target.parent_path().string(), ec.message()));
  }
  if (fs::is_directory(target)) throw unwritable("a directory");
  std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw unwritable(fmt::format("cannot create '{}': {}", temp, std::strerror(errno)));
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      throw std::runtime_error(fmt::format("write to '{}' failed (disk full?)", temp));
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::remove(temp.c_str());
    throw std::runtime_error(
        fmt::format("cannot rename '{}' to '{}': {}", temp, path, ec.message()));
  }
  remove_stale_temporaries(target);
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file (does it exist?)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace haqsim
