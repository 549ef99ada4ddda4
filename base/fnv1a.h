// FNV-1a, 64-bit: the content hash that keys haqsim's caches (cost tables by config text,
// calibration statistics by weights and images, quantizer memos by histogram). Not
// cryptographic; keys only need to differ when their inputs do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace haqsim {

class Fnv1a {
 public:
  Fnv1a& bytes(const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h_ = (h_ ^ p[i]) * 1099511628211ull;
    return *this;
  }
  // The length first, so that ("ab", "c") and ("a", "bc") hash differently.
  template <class T>
  Fnv1a& values(const std::vector<T>& v) {
    const uint64_t n = v.size();
    bytes(&n, sizeof n);
    return bytes(v.data(), v.size() * sizeof(T));
  }
  Fnv1a& text(const std::string& s) { return bytes(s.data(), s.size()); }
  uint64_t digest() const { return h_; }

 private:
  uint64_t h_ = 1469598103934665603ull;
};

}  // namespace haqsim
