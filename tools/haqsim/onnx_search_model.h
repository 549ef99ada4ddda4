// `haqsim search --onnx`: an imported float model as the search's two instances -- its accuracy
// from the model quantized at each policy and evaluated on --dataset (images at the model's
// own input shape), its costs from the same graph at the arch config's batch.
#pragma once

#include <string>

#include "models/network.h"
#include "models/quant/quantization_context.h"

namespace haqsim::cli {

// Imports the model with its weights (batch 1; a symbolic size takes `resolution`), checks that
// the integer reference runs every layer, loads the dataset at the input's shape and calibrates.
// InputError naming the file and the layers otherwise.
QuantizationContext prepare_onnx_quantization(const std::string& path, const std::string& dataset,
                                              int resolution, int calibration_images,
                                              const CalibrationCacheOptions& cache);

// The layer graph the hardware runs: the same model at `batch` (a symbolic size: `resolution`).
Network onnx_cost_network(const std::string& path, int batch, int resolution);

}  // namespace haqsim::cli
