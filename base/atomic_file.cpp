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

void require_usable_output(const std::string& path, OutputKind kind, const std::string& option) {
  namespace fs = std::filesystem;
  const bool dir = kind == OutputKind::kDirectory;
  auto unusable = [&](const std::string& found) {
    return InputError(InputLocation{path, 0, option, -1},
                      dir ? "a writable output directory" : "a writable output file", found);
  };
  auto require_writable_dir = [&](const fs::path& d) {
    if (::access(d.c_str(), W_OK) != 0) {
      throw unusable(fmt::format("'{}': {}", d.string(), std::strerror(errno)));
    }
  };
  if (path.empty()) throw unusable("an empty path");
  const fs::path target(path);
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (dir && !fs::is_directory(target, ec)) throw unusable("a file");
    if (!dir && fs::is_directory(target, ec)) throw unusable("a directory");
    require_writable_dir(dir ? target : target.has_parent_path() ? target.parent_path() : ".");
    return;
  }
  // Missing: the nearest existing ancestor must be a directory that may be written into.
  fs::path ancestor = target.parent_path();
  while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.parent_path()) {
    ancestor = ancestor.parent_path();
  }
  if (ancestor.empty()) ancestor = ".";
  if (!fs::is_directory(ancestor, ec)) {
    throw unusable(fmt::format("a file at '{}' where a directory must be", ancestor.string()));
  }
  require_writable_dir(ancestor);
}

StagedOutputFile::StagedOutputFile(std::string path, std::string option)
    : path_(std::move(path)), temp_(fmt::format("{}.tmp.{}", path_, ::getpid())) {
  namespace fs = std::filesystem;
  require_usable_output(path_, OutputKind::kFile, option);
  auto unwritable = [&](const std::string& why) {
    return InputError(InputLocation{path_, 0, option, -1}, "a writable output file", why);
  };
  const fs::path target(path_);
  std::error_code ec;
  // Missing parents, outermost first, so that a failed run can remove exactly these.
  std::vector<fs::path> missing;
  for (fs::path dir = target.parent_path(); !dir.empty() && !fs::exists(dir, ec);
       dir = dir.parent_path()) {
    missing.insert(missing.begin(), dir);
    if (dir == dir.parent_path()) break;
  }
  for (const fs::path& dir : missing) {
    if (!fs::create_directory(dir, ec) && ec) {
      remove_temporaries();  // also removes the directories made so far
      throw unwritable(fmt::format("'{}': {}", dir.string(), ec.message()));
    }
    created_dirs_.push_back(dir.string());
  }
  // Probe: the writer may only learn that it cannot write after the whole simulation.
  {
    std::ofstream probe(temp_, std::ios::binary | std::ios::trunc);
    if (!probe) {
      const std::string why = fmt::format("cannot create '{}': {}", temp_, std::strerror(errno));
      remove_temporaries();
      throw unwritable(why);
    }
  }
  std::remove(temp_.c_str());
}

StagedOutputFile::~StagedOutputFile() {
  if (!committed_) remove_temporaries();
}

void StagedOutputFile::remove_temporaries() const {
  remove_scratch_files();
  // Innermost first; a directory that holds anything else (another output) stays.
  std::error_code ec;
  for (auto d = created_dirs_.rbegin(); d != created_dirs_.rend(); ++d) {
    std::filesystem::remove(*d, ec);
  }
}

void StagedOutputFile::remove_scratch_files() const {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path temp(temp_);
  const fs::path dir = temp.has_parent_path() ? temp.parent_path() : fs::path(".");
  const std::string name = temp.filename().string();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry == name || entry.rfind(name + ".", 0) == 0) fs::remove(it->path(), ec);
  }
}

void StagedOutputFile::commit() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(temp_, ec)) {
    throw std::logic_error(fmt::format("nothing was written to '{}'", temp_));
  }
  fs::rename(temp_, path_, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot rename '{}' to '{}': {}", temp_, path_, ec.message()));
  }
  committed_ = true;
  remove_scratch_files();  // named after the temporary, if the writer left any
  remove_stale_temporaries(fs::path(path_));
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file (does it exist?)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace haqsim
