#include "tools/haqsim/onnx_search_model.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>  // OnnxImportOptions holds bound TensorProtos

#include <filesystem>

#include "base/input_error.h"
#include "models/onnx/onnx_import.h"
#include "models/quant/integer_executor.h"

namespace haqsim::cli {

QuantizationContext prepare_onnx_quantization(const std::string& path, const std::string& dataset,
                                              int resolution, int calibration_images,
                                              const CalibrationCacheOptions& cache) {
  OnnxImportOptions options;
  options.instance.fallback_resolution = resolution;
  FloatModel model = import_onnx_file(path, options);
  std::string unsupported;
  for (const Layer& l : model.network.layers) {
    const std::string why = integer_reference_unsupported(l);
    if (!why.empty()) unsupported += "\n  " + why;
  }
  if (!unsupported.empty()) {
    throw InputError(InputLocation{path, 0, "", -1},
                     "layers the integer reference runs (conv, fc, residual add, global average "
                     "pool, max pool, channel concat) to measure accuracy:" +
                         unsupported);
  }
  const NetworkSpec& spec = model.network.spec;
  if (spec.input_height() != spec.input_width()) {
    throw InputError(InputLocation{path, 0, "graph.input", -1},
                     "a square input (datasets are fitted to R x R)", spec.input_shape());
  }
  model.network.name = std::filesystem::path(path).stem().string();
  DataSplits data = load_dataset(dataset, spec.resolution, spec.in_channels);
  if (data.classes > spec.classes) {
    throw InputError(InputLocation{"", 0, "--dataset", -1},
                     fmt::format("at most {} classes (the model's output)", spec.classes),
                     fmt::format("{} in {}", data.classes, dataset));
  }
  return prepare_quantization(std::move(model), std::move(data), calibration_images, cache);
}

Network onnx_cost_network(const std::string& path, int batch, int resolution) {
  OnnxInstance instance;
  instance.default_batch = batch;
  instance.fallback_resolution = resolution;
  Network n = import_onnx_network(path, instance);
  n.name = std::filesystem::path(path).stem().string();
  return n;
}

}  // namespace haqsim::cli
