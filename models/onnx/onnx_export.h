// Writing a FloatModel as an ONNX graph (opset 13) with the operators the importer reads, so a
// trained zoo model can be handed to other tools and the importer can be checked on whole
// MobileNets: Conv + BatchNormalization + Relu/Clip per conv, Add, GlobalAveragePool, MaxPool,
// Flatten, Gemm (transB = 1).
#pragma once

#include <string>

#include "models/quant/float_model.h"

namespace onnx {
class ModelProto;
}

namespace haqsim {

onnx::ModelProto export_onnx(const FloatModel& model);
void save_onnx_file(const FloatModel& model, const std::string& path);  // atomic

}  // namespace haqsim
