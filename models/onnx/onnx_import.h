// Importing a float CNN from ONNX into the layer graph, with its weights.
//
// Supported operators: Conv (grouped/depthwise; symmetric pads or auto_pad SAME_*, no
// dilation), BatchNormalization (folded into the preceding Conv's parameters), Relu and Clip
// [0, 6] (the preceding layer's activation), Add (residual sum), GlobalAveragePool, MaxPool,
// Flatten / Reshape / Identity / Dropout (pass-through; fc layers flatten their input), Gemm
// (fully connected; alpha, beta and transB honoured). Inputs are N x C x H x W with H == W (or
// N x C, imported as C x 1 x 1). Any other operator is refused by name, with the node and file.
// The imported model has no input normalization (mean 0, std 1): it takes inputs as given.
#pragma once

#include <map>
#include <string>

#include "models/quant/float_model.h"

namespace onnx {
class ModelProto;
class TensorProto;
}  // namespace onnx

namespace haqsim {

// `bound_inputs` supplies values for graph inputs that are not initializers (ONNX's node tests
// pass weights as inputs). `source` names the model in error messages.
FloatModel import_onnx(const onnx::ModelProto& model, const std::string& source,
                       const std::map<std::string, onnx::TensorProto>& bound_inputs = {});
// A serialized ModelProto held in memory; a malformed one is refused with a byte offset.
FloatModel import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const std::map<std::string, onnx::TensorProto>& bound_inputs = {});
FloatModel import_onnx_file(const std::string& path,
                            const std::map<std::string, onnx::TensorProto>& bound_inputs = {});

// Float values and shape of a FLOAT tensor (float_data or raw_data); InputError otherwise.
std::vector<float> tensor_values(const onnx::TensorProto& tensor, const std::string& source,
                                 std::vector<int64_t>* dims = nullptr);
// Reads a serialized TensorProto (the test_data_set_*/input_*.pb files of ONNX's tests).
onnx::TensorProto read_tensor_file(const std::string& path);

}  // namespace haqsim
