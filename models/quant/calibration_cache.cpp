#include "models/quant/calibration_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "base/cache_dir.h"
#include "base/checksummed_file.h"
#include "base/fnv1a.h"
#include "models/quant/float_executor.h"

namespace haqsim {

namespace {

constexpr const char* kMagic = "haqsim-calibration";
// Bump when calibrate()'s statistics change for the same inputs (binning, passes).
constexpr int kVersion = 1;

void put_histogram(std::string& out, const AbsHistogram& h) {
  const uint32_t bins = uint32_t(h.counts.size());
  out.append(reinterpret_cast<const char*>(&h.max_abs), sizeof h.max_abs);
  out.append(reinterpret_cast<const char*>(&bins), sizeof bins);
  out.append(reinterpret_cast<const char*>(h.counts.data()), bins * sizeof(double));
}

class Reader {
 public:
  Reader(const std::string& body, const std::string& path) : body_(body), path_(path) {}
  template <class T>
  T get() {
    T value;
    need(sizeof value);
    std::memcpy(&value, body_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  AbsHistogram histogram() {
    AbsHistogram h;
    h.max_abs = get<float>();
    const uint32_t bins = get<uint32_t>();
    if (bins > (1u << 20)) throw UntrustedFile(path_ + ": implausible histogram size");
    need(size_t(bins) * sizeof(double));
    h.counts.resize(bins);
    std::memcpy(h.counts.data(), body_.data() + at_, bins * sizeof(double));
    at_ += bins * sizeof(double);
    return h;
  }
  bool done() const { return at_ == body_.size(); }

 private:
  void need(size_t n) const {
    if (body_.size() - at_ < n) throw UntrustedFile(path_ + ": body shorter than its contents");
  }
  const std::string& body_;
  const std::string& path_;
  size_t at_ = 0;
};

std::string serialize(const CalibrationStats& stats) {
  std::string out;
  const int32_t images = stats.images, outputs = int32_t(stats.outputs.size());
  out.append(reinterpret_cast<const char*>(&images), sizeof images);
  out.append(reinterpret_cast<const char*>(&outputs), sizeof outputs);
  put_histogram(out, stats.input);
  for (const AbsHistogram& h : stats.outputs) put_histogram(out, h);
  return out;
}

CalibrationStats deserialize(const std::string& body, const std::string& path,
                             size_t expected_outputs) {
  Reader in(body, path);
  CalibrationStats stats;
  stats.images = in.get<int32_t>();
  const int32_t outputs = in.get<int32_t>();
  if (outputs < 0 || size_t(outputs) != expected_outputs) {
    throw UntrustedFile(
        fmt::format("{}: {} layer histograms, the model has {}", path, outputs, expected_outputs));
  }
  stats.input = in.histogram();
  for (int32_t i = 0; i < outputs; ++i) stats.outputs.push_back(in.histogram());
  if (!in.done()) throw UntrustedFile(path + ": trailing bytes after the histograms");
  return stats;
}

}  // namespace

std::string calibration_key(const FloatModel& model, const ImageDataset& data,
                            const Normalization& norm, int limit) {
  Fnv1a h;
  const NetworkSpec& s = model.network.spec;
  h.text(fmt::format("{} r{} c{} k{} w{} s{} l{} bins{}", model.network.name, s.resolution,
                     s.in_channels, s.classes, s.width, s.first_stride, model.network.layers.size(),
                     kHistogramBins));
  for (const FloatLayerParams& p : model.params) {
    h.values(p.weight);
    h.values(p.bias);
    h.values(p.bn.gamma);
    h.values(p.bn.beta);
    h.values(p.bn.mean);
    h.values(p.bn.var);
    h.bytes(&p.bn.eps, sizeof p.bn.eps);
  }
  h.values(norm.mean);
  h.values(norm.std);
  const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
  const int64_t dims[3] = {data.channels, data.height, data.width};
  h.bytes(dims, sizeof dims);
  h.bytes(data.pixels.data(), size_t(n) * size_t(data.image_bytes()));
  return fmt::format("{:016x}", h.digest());
}

CalibrationStats calibrate_cached(const FloatModel& model, const ImageDataset& data,
                                  const Normalization& norm, int limit,
                                  const CalibrationCacheOptions& cache, bool* from_cache) {
  if (from_cache) *from_cache = false;
  if (!cache.enabled) return calibrate(FloatExecutor(model), data, norm, limit);
  const std::string dir = cache.dir.empty() ? default_cache_dir() : cache.dir;
  const std::string path =
      fmt::format("{}/calibration-{}.stats", dir, calibration_key(model, data, norm, limit));
  if (std::filesystem::exists(path)) {
    try {
      CalibrationStats stats =
          deserialize(read_checksummed(path, kMagic, kVersion), path, model.network.layers.size());
      if (from_cache) *from_cache = true;
      return stats;
    } catch (const UntrustedFile& e) {
      fmt::print(stderr, "haqsim: warning: calibration cache not trusted, recomputing: {}\n",
                 e.what());
    }
  }
  CalibrationStats stats = calibrate(FloatExecutor(model), data, norm, limit);
  // Written atomically; two runs writing the same key at once write the same bytes.
  std::filesystem::create_directories(dir);
  write_checksummed(path, kMagic, kVersion, serialize(stats));
  return stats;
}

}  // namespace haqsim
