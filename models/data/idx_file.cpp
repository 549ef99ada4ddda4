#include "models/data/idx_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <memory>

#include "base/input_error.h"

namespace haqsim {

namespace {

// Whole decompressed contents; gzread fails with Z_DATA_ERROR / Z_BUF_ERROR on corrupt or
// truncated gzip streams, and we report how far decompression got.
std::vector<uint8_t> read_gz(const std::string& path) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), &gzclose);
  if (!file) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file");
  std::vector<uint8_t> out;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    const int got = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (got < 0) {
      int err = 0;
      const char* message = gzerror(file.get(), &err);
      throw InputError(InputLocation{path, 0, "", static_cast<long long>(out.size())},
                       "a valid gzip stream", fmt::format("corrupt data ({})", message));
    }
    if (got == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + got);
  }
  // gzread returns 0 at a truncated end as well; gzerror then reports Z_BUF_ERROR.
  int err = Z_OK;
  gzerror(file.get(), &err);
  if (err != Z_OK && err != Z_STREAM_END) {
    throw InputError(InputLocation{path, 0, "", static_cast<long long>(out.size())},
                     "a complete gzip stream", "a truncated one");
  }
  return out;
}

}  // namespace

IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& name) {
  auto fail = [&](long long offset, const std::string& expected, const std::string& found) {
    throw InputError(InputLocation{name, 0, "", offset}, expected, found);
  };
  if (bytes.size() < 4) fail(bytes.size(), "a 4-byte IDX header", "end of file");
  if (bytes[0] != 0 || bytes[1] != 0) {
    fail(0, "IDX magic 00 00", fmt::format("{:02x} {:02x}", bytes[0], bytes[1]));
  }
  if (bytes[2] != 0x08) {
    fail(2, "IDX type 0x08 (unsigned byte)", fmt::format("0x{:02x}", bytes[2]));
  }
  const int ndims = bytes[3];
  if (ndims < 1 || ndims > 4) fail(3, "1 to 4 dimensions", std::to_string(ndims));
  const size_t header = 4 + 4 * size_t(ndims);
  if (bytes.size() < header) {
    fail(bytes.size(), fmt::format("{} dimension sizes", ndims), "end of file");
  }
  IdxArray out;
  int64_t count = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint8_t* p = &bytes[4 + 4 * d];
    const int64_t dim = (int64_t(p[0]) << 24) | (int64_t(p[1]) << 16) | (int64_t(p[2]) << 8) | p[3];
    if (dim < 1 || dim > (int64_t(1) << 31)) {
      fail(4 + 4 * d, "a positive dimension size", std::to_string(dim));
    }
    count *= dim;
    if (count > (int64_t(1) << 36)) fail(4 + 4 * d, "at most 2^36 values", "more");
    out.dims.push_back(dim);
  }
  const size_t expected_size = header + size_t(count);
  if (bytes.size() < expected_size) {
    fail(bytes.size(), fmt::format("{} data bytes", count),
         fmt::format("end of file after {}", bytes.size() - header));
  }
  if (bytes.size() > expected_size) {
    fail(expected_size, "end of file", fmt::format("{} extra bytes", bytes.size() - expected_size));
  }
  out.values.assign(bytes.begin() + header, bytes.end());
  return out;
}

IdxArray read_idx_file(const std::string& path) {
  return parse_idx(read_gz(path), path);
}

}  // namespace haqsim
