#include "models/quant/quantization_context.h"

#include "models/quant/float_executor.h"

namespace haqsim {

QuantizationContext prepare_quantization(FloatModel model, DataSplits data, int calibration_images,
                                         const CalibrationCacheOptions& cache) {
  QuantizationContext ctx;
  ctx.model = std::move(model);
  ctx.data = std::move(data);
  // The model's own normalization is authoritative: it is what the weights were trained with.
  ctx.data.normalization = ctx.model.normalization;
  ctx.calibration_images = calibration_images;
  ctx.stats = calibrate_cached(ctx.model, ctx.data.calibration, ctx.data.normalization,
                               calibration_images, cache, &ctx.stats_from_cache);
  return ctx;
}

QuantizationContext prepare_quantization(const std::string& weights, const std::string& dataset,
                                         int calibration_images,
                                         const CalibrationCacheOptions& cache) {
  FloatModel model = load_float_model(weights);
  const NetworkSpec& spec = model.network.spec;
  DataSplits data = load_dataset(dataset, spec.resolution, spec.in_channels);
  return prepare_quantization(std::move(model), std::move(data), calibration_images, cache);
}

}  // namespace haqsim
