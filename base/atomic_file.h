// Output files that appear whole or not at all.
//
// Reports, policies, caches and checkpoints are written to "<path>.tmp.<pid>" and renamed over
// the destination only when complete, so a crash or a refused input never leaves a half-written
// file that a later run (or a script) would trust.
#pragma once

#include <string>

namespace haqsim {

// Writes `contents` to `path` atomically; creates parent directories. An unusable path (a file
// where a directory must be, no permission) is an InputError naming it; a failing write (disk
// full) a std::runtime_error. Temporaries of `path` that a killed process left behind are
// removed once the new file is in place.
void write_file_atomically(const std::string& path, const std::string& contents);

// Reads a whole file; throws InputError naming the file when it cannot be opened.
std::string read_whole_file(const std::string& path);

}  // namespace haqsim
