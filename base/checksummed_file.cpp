#include "base/checksummed_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/atomic_file.h"

namespace haqsim {

namespace {

constexpr size_t kTrailerSize = 43;  // "crc32 %08x length %020llu\n"

uint32_t crc_of(const std::string& bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  size_t done = 0;
  while (done < bytes.size()) {  // zlib takes uInt lengths
    const size_t chunk = std::min<size_t>(bytes.size() - done, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), uInt(chunk));
    done += chunk;
  }
  return uint32_t(crc);
}

}  // namespace

void write_checksummed(const std::string& path, const std::string& magic, int version,
                       const std::string& body) {
  std::string framed = fmt::format("{} {}\n", magic, version) + body;
  framed += fmt::format("crc32 {:08x} length {:020}\n", crc_of(framed), framed.size());
  write_file_atomically(path, framed);
}

std::string read_checksummed(const std::string& path, const std::string& magic, int version) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UntrustedFile(fmt::format("{}: cannot be opened", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  const std::string header = fmt::format("{} {}\n", magic, version);
  if (data.compare(0, magic.size() + 1, magic + " ") != 0) {
    throw UntrustedFile(
        fmt::format("{}: not a {} file (expected it to start with '{}')", path, magic, magic));
  }
  if (data.compare(0, header.size(), header) != 0) {
    const std::string first = data.substr(0, data.find('\n'));
    throw UntrustedFile(
        fmt::format("{}: format version '{}', expected '{} {}'", path, first, magic, version));
  }
  if (data.size() < header.size() + kTrailerSize) {
    throw UntrustedFile(fmt::format("{}: truncated ({} bytes, no trailer)", path, data.size()));
  }
  const std::string trailer = data.substr(data.size() - kTrailerSize);
  unsigned crc = 0;
  unsigned long long length = 0;
  if (std::sscanf(trailer.c_str(), "crc32 %8x length %20llu\n", &crc, &length) != 2 ||
      trailer.compare(0, 6, "crc32 ") != 0) {
    throw UntrustedFile(fmt::format("{}: truncated or damaged trailer at byte offset {}", path,
                                    data.size() - kTrailerSize));
  }
  const std::string framed = data.substr(0, data.size() - kTrailerSize);
  if (length != framed.size()) {
    throw UntrustedFile(
        fmt::format("{}: length {} recorded, {} found (truncated?)", path, length, framed.size()));
  }
  if (crc != crc_of(framed)) {
    throw UntrustedFile(
        fmt::format("{}: checksum mismatch (crc32 {:08x} recorded, {:08x} computed)", path, crc,
                    crc_of(framed)));
  }
  return framed.substr(header.size());
}

}  // namespace haqsim
