// Builders of valid inputs for the malformed-input suite: each test starts from one of these,
// breaks exactly one thing, and checks that haqsim names that thing.
#pragma once

#include <functional>

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
}  // namespace onnx

namespace haqsim::testing {

// Text of a file in the repository (arch configs, shipped weights), read from the source tree.
std::string repository_file(const std::string& path);

// A complete MobileNet-V1 policy, one `- {layer: i, wbits: w, abits: a}` line per layer after
// "model:" (line 1) and "layers:" (line 2), so entry i is on line 3 + i.
std::string mobilenet_v1_policy();

// An IDX file of unsigned bytes with the given dimensions, values counting up.
std::string idx_bytes(const std::vector<uint32_t>& dims);
std::string gzip(const std::string& bytes);

// A small ONNX model the importer accepts: 1x3x8x8 input, Conv 3x3 (4 channels, pad 1), Relu,
// GlobalAveragePool, Flatten, Gemm to 10 outputs. `op_of_relu` replaces the Relu's operator.
std::string small_onnx_model(const std::string& op_of_relu = "Relu", int conv_in_channels = 3);
// small_onnx_model() changed by `edit` (which gets the parsed ModelProto).
std::string edited_onnx_model(const std::function<void(onnx::ModelProto&)>& edit);

}  // namespace haqsim::testing
