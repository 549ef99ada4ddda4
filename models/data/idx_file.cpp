#include "models/data/idx_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

#include "base/input_error.h"

namespace haqsim {

namespace {

// Sequential reader of a gzip (or raw) file that knows its offset in the decompressed stream.
class GzReader {
 public:
  explicit GzReader(const std::string& path)
      : path_(path), file_(gzopen(path.c_str(), "rb"), &gzclose) {
    if (!file_) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file");
  }
  long long offset() const { return offset_; }

  // Appends up to `n` bytes to `out`; fewer only at the end of the stream. gzread fails with
  // Z_DATA_ERROR on corrupt data and returns 0 with Z_BUF_ERROR at a truncated end.
  void read(std::vector<uint8_t>& out, size_t n) {
    // One allocation for what the header announced (capped, so a header claiming terabytes
    // fails at the stream's end, as a truncated file, rather than at the allocation).
    out.reserve(out.size() + std::min<size_t>(n, size_t(1) << 28));
    while (n > 0) {
      const unsigned want = unsigned(std::min<size_t>(n, 1 << 20));
      const size_t at = out.size();
      out.resize(at + want);
      const int got = gzread(file_.get(), out.data() + at, want);
      if (got < 0) {
        int err = 0;
        const char* message = gzerror(file_.get(), &err);
        throw InputError(InputLocation{path_, 0, "", offset_}, "a valid gzip stream",
                         fmt::format("corrupt data ({})", message));
      }
      out.resize(at + size_t(got));
      offset_ += got;
      n -= size_t(got);
      if (got == 0) break;
    }
    int err = Z_OK;
    gzerror(file_.get(), &err);
    if (err != Z_OK && err != Z_STREAM_END) {
      throw InputError(InputLocation{path_, 0, "", offset_}, "a complete gzip stream",
                       "a truncated one");
    }
  }

 private:
  std::string path_;
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file_;
  long long offset_ = 0;
};

[[noreturn]] void fail(const std::string& name, long long offset, const std::string& expected,
                       const std::string& found) {
  throw InputError(InputLocation{name, 0, "", offset}, expected, found);
}

// Checks the header at the start of `bytes` (which must hold all of it) and fills out.dims;
// returns the header size and sets `count` to the number of values that must follow.
size_t parse_header(const std::vector<uint8_t>& bytes, const std::string& name, IdxArray& out,
                    int64_t& count) {
  if (bytes.size() < 4) fail(name, bytes.size(), "a 4-byte IDX header", "end of file");
  if (bytes[0] != 0 || bytes[1] != 0) {
    fail(name, 0, "IDX magic 00 00", fmt::format("{:02x} {:02x}", bytes[0], bytes[1]));
  }
  if (bytes[2] != 0x08) {
    fail(name, 2, "IDX type 0x08 (unsigned byte)", fmt::format("0x{:02x}", bytes[2]));
  }
  const int ndims = bytes[3];
  if (ndims < 1 || ndims > 4) fail(name, 3, "1 to 4 dimensions", std::to_string(ndims));
  const size_t header = 4 + 4 * size_t(ndims);
  if (bytes.size() < header) {
    fail(name, bytes.size(), fmt::format("{} dimension sizes", ndims), "end of file");
  }
  count = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint8_t* p = &bytes[4 + 4 * d];
    const int64_t dim = (int64_t(p[0]) << 24) | (int64_t(p[1]) << 16) | (int64_t(p[2]) << 8) | p[3];
    if (dim < 1 || dim > (int64_t(1) << 31)) {
      fail(name, 4 + 4 * d, "a positive dimension size", std::to_string(dim));
    }
    // Checked before multiplying: four dimensions of up to 2^31 overflow 64 bits (found by
    // fuzz_idx, tests/fuzz/regressions/idx/dims-product-overflow).
    if (count > (int64_t(1) << 36) / dim) fail(name, 4 + 4 * d, "at most 2^36 values", "more");
    count *= dim;
    out.dims.push_back(dim);
  }
  return header;
}

void check_size(const std::vector<uint8_t>& bytes, size_t header, int64_t count,
                const std::string& name) {
  const size_t expected_size = header + size_t(count);
  if (bytes.size() < expected_size) {
    fail(name, bytes.size(), fmt::format("{} data bytes", count),
         fmt::format("end of file after {}", bytes.size() - header));
  }
  if (bytes.size() > expected_size) {
    fail(name, expected_size, "end of file",
         fmt::format("{} extra bytes", bytes.size() - expected_size));
  }
}

}  // namespace

IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& name) {
  IdxArray out;
  int64_t count = 0;
  const size_t header = parse_header(bytes, name, out, count);
  check_size(bytes, header, count, name);
  out.values.assign(bytes.begin() + header, bytes.end());
  return out;
}

// Streams the file: the header says how many bytes follow, so memory never exceeds what the
// header declares and the data actually holds (a gzip bomb or a lying header cannot exhaust it).
IdxArray read_idx_file(const std::string& path) {
  GzReader in(path);
  std::vector<uint8_t> bytes;
  in.read(bytes, 4);
  if (bytes.size() == 4) in.read(bytes, 4 * size_t(bytes[3]));
  IdxArray out;
  int64_t count = 0;
  const size_t header = parse_header(bytes, path, out, count);
  in.read(bytes, size_t(count) + 1);  // one byte more than declared reveals trailing data
  check_size(bytes, header, count, path);
  out.values.assign(bytes.begin() + header, bytes.end());
  return out;
}

}  // namespace haqsim
