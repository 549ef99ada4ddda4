// Float arithmetic of the host layers of one image, for the float executor (calibration, float
// accuracy, and checking the ONNX importer against the exporter's own outputs). Imported layers
// compute on their ONNX dims (Layer::in_dims/out_dims, batch 1); the zoo's on C x H x W.
#pragma once

#include <string>
#include <vector>

#include "models/layer.h"
#include "models/quant/float_model.h"

namespace haqsim {

// Why the float executor cannot run `layer` ("" when it can).
std::string float_host_unsupported(const Layer& layer);

// out (layer.output_elements() values) from the layer's inputs (one pointer per Layer::inputs).
void run_host_layer(const Layer& layer, const FloatLayerParams& params,
                    const std::vector<const float*>& inputs, float* out);

// A fully connected layer over rows stored row by row (rows x K, an imported MatMul/Gemm on
// tokens): out (rows x E) = in x W^T + bias, W being E x K.
void linear_rows(const Layer& layer, const float* in, const float* weight, const float* bias,
                 float* out);

}  // namespace haqsim
