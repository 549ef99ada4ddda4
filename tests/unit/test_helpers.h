// Small helpers shared by unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace haqsim {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace haqsim
