// Output files that appear whole or not at all.
//
// Reports, policies, caches and checkpoints are written to "<path>.tmp.<pid>" and renamed over
// the destination only when complete, so a crash or a refused input never leaves a half-written
// file that a later run (or a script) would trust.
#pragma once

#include <string>
#include <vector>

namespace haqsim {

// Writes `contents` to `path` atomically; creates parent directories. An unusable path (a file
// where a directory must be, no permission) is an InputError naming it; a failing write (disk
// full) a std::runtime_error. Temporaries of `path` that a killed process left behind are
// removed once the new file is in place.
void write_file_atomically(const std::string& path, const std::string& contents);

// What an output path must be: a file to write, or a directory to write files into.
enum class OutputKind { kFile, kDirectory };

// Checks, before any work starts, that `path` can be written as `kind` (existing or creatable:
// every missing parent would be made under a writable directory), so that a bad --out is refused
// at once rather than after hours of training or simulation. Creates nothing. Throws an
// InputError naming `path` and `option` (the command-line flag that chose it) otherwise: an
// empty path, a file where a directory must be or the other way round, a parent that is a file,
// no permission to write.
void require_usable_output(const std::string& path, OutputKind kind, const std::string& option);

// An output file that another writer streams (a VCD from SystemC or Verilator) and that must
// still appear whole or not at all. The constructor checks up front that `path` can be written
// (creating its missing parent directories, as --out does) and refuses it otherwise with an
// InputError naming `path` and `option` (the command-line flag that chose it); the writer writes
// temp_path() instead, and commit() renames that into place. Destroyed without commit() (the run
// failed), it removes the temporary, every scratch file named after it ("<temp>.*") and the
// directories it created, so a failed run leaves nothing behind.
class StagedOutputFile {
 public:
  StagedOutputFile(std::string path, std::string option);
  ~StagedOutputFile();
  StagedOutputFile(const StagedOutputFile&) = delete;
  StagedOutputFile& operator=(const StagedOutputFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_; }
  // Renames the temporary over `path`; a std::logic_error if nothing was written to it.
  void commit();

 private:
  void remove_temporaries() const;    // the temporary, its scratch files, created directories
  void remove_scratch_files() const;  // the temporary and "<temp>.*"

  std::string path_;
  std::string temp_;
  std::vector<std::string> created_dirs_;  // outermost first
  bool committed_ = false;
};

// Reads a whole file; throws InputError naming the file when it cannot be opened.
std::string read_whole_file(const std::string& path);

}  // namespace haqsim
