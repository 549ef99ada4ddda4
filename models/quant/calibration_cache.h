// Calibration statistics kept on disk, so `eval`, `finetune` and the search's accuracy oracle
// calibrate a model once, not on every call (512 images of float inference took over half of
// a 100-image `eval`).
//
// The key covers everything the statistics depend on: the float model (network spec, every
// weight, its normalization), the calibration images used (their pixels, not the file name) and
// the histogram format; a different model, dataset, image count or haqsim histogram layout
// simply misses. Files sit next to the cost cache (base/cache_dir.h), framed with a version and
// checksum (base/checksummed_file.h): a truncated or foreign file is recomputed and rewritten.
#pragma once

#include <string>

#include "models/data/image_dataset.h"
#include "models/quant/calibration.h"
#include "models/quant/float_model.h"

namespace haqsim {

struct CalibrationCacheOptions {
  bool enabled = false;  // library default: no files; the CLI turns it on
  std::string dir;       // empty: default_cache_dir()
};

// 16 hex digits identifying (model, first `limit` images of `data`, normalization, format).
std::string calibration_key(const FloatModel& model, const ImageDataset& data,
                            const Normalization& norm, int limit);

// calibrate() on the first `limit` images, or the cached result of an earlier identical call.
// `from_cache` (optional) tells which it was.
CalibrationStats calibrate_cached(const FloatModel& model, const ImageDataset& data,
                                  const Normalization& norm, int limit,
                                  const CalibrationCacheOptions& cache, bool* from_cache = nullptr);

}  // namespace haqsim
