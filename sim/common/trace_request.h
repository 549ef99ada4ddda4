// A request for the waveforms of one layer: which layer, which cycle window, which file.
#pragma once

#include <cstdint>
#include <string>

namespace haqsim {

struct TraceRequest {
  std::string path;   // VCD file
  int layer = -1;     // quantizable-layer index; -1: trace nothing
  int64_t begin = 0;  // first cycle of the window (cycle 0 = the layer's first cycle)
  int64_t end = -1;   // one past the last cycle; -1: to the end of the layer

  bool wants(int quant_index) const { return !path.empty() && layer == quant_index; }
  bool in_window(int64_t cycle) const { return cycle >= begin && (end < 0 || cycle < end); }
};

}  // namespace haqsim
