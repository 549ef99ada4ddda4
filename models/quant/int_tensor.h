// Integer tensors exchanged between the integer reference and the accelerator simulators.
#pragma once

#include <cstdint>
#include <vector>

namespace haqsim {

// N x C x H x W, row-major (NCHW). Values are quantized activations (within the owning
// ActQuant's range) or raw int32 accumulators, depending on where the tensor comes from.
struct IntTensor {
  int n = 0, c = 0, h = 0, w = 0;
  std::vector<int32_t> data;

  IntTensor() = default;
  IntTensor(int n_, int c_, int h_, int w_)
      : n(n_), c(c_), h(h_), w(w_), data(size_t(n_) * c_ * h_ * w_, 0) {}

  size_t size() const { return data.size(); }
  size_t image_size() const { return size_t(c) * h * w; }
  int32_t& at(int in, int ic, int y, int x) {
    return data[((size_t(in) * c + ic) * h + y) * w + x];
  }
  int32_t at(int in, int ic, int y, int x) const {
    return data[((size_t(in) * c + ic) * h + y) * w + x];
  }
  bool operator==(const IntTensor& o) const {
    return n == o.n && c == o.c && h == o.h && w == o.w && data == o.data;
  }
  bool operator!=(const IntTensor& o) const { return !(*this == o); }
};

}  // namespace haqsim
