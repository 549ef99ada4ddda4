// Everything needed to quantize one trained model at many policies: its float weights, the data
// splits at its input shape, and calibration statistics gathered once on the calibration split.
// The search's accuracy oracle builds one context and calls quantize() per policy.
#pragma once

#include <string>

#include "models/data/image_dataset.h"
#include "models/quant/calibration.h"
#include "models/quant/calibration_cache.h"
#include "models/quant/float_model.h"
#include "models/quant/quantized_network.h"

namespace haqsim {

struct QuantizationContext {
  FloatModel model;
  DataSplits data;
  CalibrationStats stats;
  bool stats_from_cache = false;           // read from the calibration cache rather than computed
  int calibration_images = 0;              // the first N images of the calibration split were used
  WeightQuantization weight_quantization;  // linear unless a command chose kmeans

  QuantizedNetwork quantize(const Policy& policy) const {
    return quantize_network(model, stats, policy, weight_quantization);
  }
};

constexpr int kDefaultCalibrationImages = 512;

// Loads `weights` (a weight file, see float_model.h), the dataset at the model's input shape and
// calibrates on the first `calibration_images` images of the calibration split (or reads the
// statistics of an identical earlier calibration, when `cache` is enabled).
QuantizationContext prepare_quantization(const std::string& weights,
                                         const std::string& dataset = "fashion-mnist",
                                         int calibration_images = kDefaultCalibrationImages,
                                         const CalibrationCacheOptions& cache = {});
// Same for a model already in memory (e.g. after fine-tuning).
QuantizationContext prepare_quantization(FloatModel model, DataSplits data,
                                         int calibration_images = kDefaultCalibrationImages,
                                         const CalibrationCacheOptions& cache = {});

}  // namespace haqsim
