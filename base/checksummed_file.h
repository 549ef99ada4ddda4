// Files a later run trusts (the cost cache, search checkpoints) are framed so that a truncated,
// corrupted or foreign file is detected instead of believed:
//
//   <magic> <version>\n  <body bytes>  crc32 <8 hex> length <20 digits>\n
//
// The trailer has a fixed length so it is found from the end even when the body is binary; the
// CRC-32 (zlib) covers the header and the body. Files are written atomically (base/atomic_file).
#pragma once

#include <stdexcept>
#include <string>

namespace haqsim {

// Why a framed file was not accepted; the message names the file and what was wrong.
class UntrustedFile : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void write_checksummed(const std::string& path, const std::string& magic, int version,
                       const std::string& body);

// The body of a valid file. Throws UntrustedFile for a missing file, another format (magic),
// another version, a bad length or checksum.
std::string read_checksummed(const std::string& path, const std::string& magic, int version);

}  // namespace haqsim
