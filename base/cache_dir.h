// Where haqsim keeps what later runs reuse (cost tables, calibration statistics):
// $HAQSIM_CACHE_DIR, else $XDG_CACHE_HOME/haqsim, else ~/.cache/haqsim.
#pragma once

#include <string>

namespace haqsim {

std::string default_cache_dir();

}  // namespace haqsim
