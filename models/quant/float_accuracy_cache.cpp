#include "models/quant/float_accuracy_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "base/cache_dir.h"
#include "base/checksummed_file.h"
#include "base/fnv1a.h"
#include "models/quant/float_executor.h"

namespace haqsim {

namespace {

constexpr const char* kMagic = "haqsim-float-top1";
constexpr int kVersion = 1;

struct Record {
  int32_t images;
  int32_t correct;
};

std::string cache_path(const std::string& dir, const FloatModel& model, const ImageDataset& data,
                       const Normalization& norm, int n) {
  Fnv1a h;
  h.text(calibration_key(model, data, norm, n));
  h.bytes(data.labels.data(), size_t(n) * sizeof(int32_t));
  return fmt::format("{}/float-top1-{:016x}.bin", dir, h.digest());
}

}  // namespace

double float_top1_cached(const FloatModel& model, const ImageDataset& data,
                         const Normalization& norm, int limit, const CalibrationCacheOptions& cache,
                         bool* from_cache) {
  if (from_cache) *from_cache = false;
  if (!cache.enabled) return float_top1(FloatExecutor(model), data, norm, limit);
  const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
  if (n == 0) return 0.0;
  const std::string dir = cache.dir.empty() ? default_cache_dir() : cache.dir;
  const std::string path = cache_path(dir, model, data, norm, n);
  if (std::filesystem::exists(path)) {
    try {
      const std::string body = read_checksummed(path, kMagic, kVersion);
      Record r{};
      if (body.size() != sizeof r) throw UntrustedFile(path + ": not one accuracy record");
      std::memcpy(&r, body.data(), sizeof r);
      if (r.images != n || r.correct < 0 || r.correct > n) {
        throw UntrustedFile(fmt::format("{}: {} of {} images correct, expected {} images", path,
                                        r.correct, r.images, n));
      }
      if (from_cache) *from_cache = true;
      return double(r.correct) / n;
    } catch (const UntrustedFile& e) {
      fmt::print(stderr, "haqsim: warning: float accuracy cache not trusted, recomputing: {}\n",
                 e.what());
    }
  }
  const double top1 = float_top1(FloatExecutor(model), data, norm, n);
  // Stored as counts, so the value read back is the same double the computation gives.
  const Record r{int32_t(n), int32_t(std::lround(top1 * n))};
  std::filesystem::create_directories(dir);
  write_checksummed(path, kMagic, kVersion,
                    std::string(reinterpret_cast<const char*>(&r), sizeof r));
  return top1;
}

}  // namespace haqsim
