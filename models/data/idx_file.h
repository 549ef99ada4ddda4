// Reading IDX files (the MNIST / Fashion-MNIST container), gzip-compressed or raw.
//
// IDX layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type image and label
// files use), the number of dimensions, each dimension as a big-endian uint32, then the values in
// row-major order. zlib's gz reader accepts compressed and uncompressed files alike, so users may
// give either. Any truncated or malformed file is an InputError naming the file and the byte
// offset (in the decompressed stream) where reading failed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace haqsim {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> values;  // row-major, product(dims) bytes
};

IdxArray read_idx_file(const std::string& path);
// Parses an IDX image already decompressed into memory; `name` is used in error messages.
IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace haqsim
