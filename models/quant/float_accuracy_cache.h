// Float top-1 kept on disk beside the calibration statistics: `eval` reports the float model's
// accuracy next to every quantized one, and for the same model and images that number never
// changes (it was a fifth of a 100-image `eval`).
//
// Keyed like the calibration statistics (the float model, the first `limit` images' pixels, the
// normalization; calibration_key) plus the images' labels; framed with a version and checksum,
// so a damaged file is recomputed, not believed.
#pragma once

#include "models/data/image_dataset.h"
#include "models/quant/calibration_cache.h"
#include "models/quant/float_model.h"

namespace haqsim {

// float_top1() over the first `limit` images (all if <= 0), or the cached result of an earlier
// identical call. `from_cache` (optional) tells which it was.
double float_top1_cached(const FloatModel& model, const ImageDataset& data,
                         const Normalization& norm, int limit, const CalibrationCacheOptions& cache,
                         bool* from_cache = nullptr);

}  // namespace haqsim
