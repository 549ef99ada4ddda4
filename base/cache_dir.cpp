#include "base/cache_dir.h"

#include <cstdlib>

namespace haqsim {

std::string default_cache_dir() {
  if (const char* dir = std::getenv("HAQSIM_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/haqsim";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.cache/haqsim";
  }
  return ".haqsim-cache";
}

}  // namespace haqsim
