// Importing a float network from ONNX into the layer graph, following the ONNX operator
// specification rather than one exporter.
//
// - Constants fold: Constant, Identity, Shape, Gather, Unsqueeze, Concat, Reshape, Range, Where,
//   ScatterND, ... on initializers (models/onnx/onnx_fold.h), once the input shape is bound.
// - Array layers (what the accelerators run, quantizable, numbered in network order): Conv with
//   any kernel shape, strides, dilations, group count, pads and auto_pad; Gemm (transA/transB,
//   alpha, beta); MatMul with a constant operand as a fully connected layer (a pointwise
//   convolution over the rows when there are several per image), a following Add of a per-
//   channel constant as its bias; MatMul of two activations as a batched GEMM (kMatMul).
//   BatchNormalization after a Conv folds into it; Relu and Clip [0, 6] after a Conv, Gemm or
//   residual Add become its activation.
// - Host layers (costed by the host model): MaxPool, AveragePool (ceil_mode,
//   count_include_pad, dilations), GlobalAveragePool/GlobalMaxPool, Add/Sub/Mul/Div/Pow/Max/Min
//   with broadcasting, Relu, Clip, LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh, Erf, Sqrt,
//   Exp, Neg, Abs, Reciprocal, Softmax, LayerNormalization, a BatchNormalization that follows
//   no Conv, ReduceMean/Sum/Max/Min/L2, Concat, Split, Slice, Gather, Transpose, Pad, Expand,
//   Tile.
// - Views (no data moves, no layer): Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout,
//   Cast between floating types, a Transpose/Slice/Pad that changes nothing.
// Initializers may be float, float16, bfloat16 or double (converted), inline or in external
// data files next to the model; weights may also be graph inputs (their declared shapes are
// used; their values come from `bound_inputs`, or the model has no values).
//
// Every node that cannot be imported is listed in one InputError (its name, or `#index OpType`
// when unnamed, the op type, the opset, the attribute or input concerned, expected and found);
// malformed models, unsupported opsets, missing external data, inconsistent shapes and cycles
// are refused naming the file and node. The imported model takes its inputs as given (mean 0,
// std 1).
#pragma once

#include <map>
#include <string>

#include "models/quant/float_model.h"

namespace onnx {
class ModelProto;
class TensorProto;
}  // namespace onnx

namespace haqsim {

// How to instantiate a graph whose input (or output) dims are symbolic, and what the command
// line asked for: 0 means "not given". A given value that contradicts a fixed dimension is
// refused naming the option.
struct OnnxInstance {
  int batch = 0;                // --batch
  int resolution = 0;           // --resolution: height and width of a symbolic-size input
  int classes = 0;              // --classes: checked against what the graph computes
  int default_batch = 1;        // a symbolic batch when --batch is not given (the arch config's)
  int fallback_resolution = 0;  // a symbolic height/width when resolution is 0 (0: refused)
};

// Where the model came from, for reports.
struct OnnxModelInfo {
  std::string file;
  int64_t opset = 0;
  std::string producer;  // "pytorch 1.13.1"
  int64_t ir_version = 0;
};

struct OnnxImportOptions {
  // Graph inputs that are not initializers (ONNX's node tests pass weights as inputs).
  std::map<std::string, onnx::TensorProto> bound_inputs;
  OnnxInstance instance;
  // false: shapes only (what simulating needs): weights are not read, FloatModel::params empty.
  bool values = true;
  // Directory of external data files ("" = the model file's directory).
  std::string model_dir;
};

FloatModel import_onnx(const onnx::ModelProto& model, const std::string& source,
                       const OnnxImportOptions& options, OnnxModelInfo* info = nullptr);
FloatModel import_onnx(const onnx::ModelProto& model, const std::string& source,
                       const std::map<std::string, onnx::TensorProto>& bound_inputs = {});
// A serialized ModelProto held in memory; a malformed one is refused with a byte offset.
FloatModel import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const OnnxImportOptions& options, OnnxModelInfo* info = nullptr);
FloatModel import_onnx_bytes(const std::string& bytes, const std::string& source,
                             const std::map<std::string, onnx::TensorProto>& bound_inputs = {});
FloatModel import_onnx_file(const std::string& path, const OnnxImportOptions& options,
                            OnnxModelInfo* info = nullptr);
FloatModel import_onnx_file(const std::string& path,
                            const std::map<std::string, onnx::TensorProto>& bound_inputs = {});
// The layer graph only (no weight values read), instantiated as `instance` says.
Network import_onnx_network(const std::string& path, const OnnxInstance& instance,
                            OnnxModelInfo* info = nullptr);

// Float values and shape of a floating-point tensor (float_data or raw_data, float16/bfloat16/
// double converted); InputError otherwise.
std::vector<float> tensor_values(const onnx::TensorProto& tensor, const std::string& source,
                                 std::vector<int64_t>* dims = nullptr);
// Reads a serialized TensorProto (the test_data_set_*/input_*.pb files of ONNX's tests).
onnx::TensorProto read_tensor_file(const std::string& path);

// The opsets of the default domain the importer implements.
constexpr int64_t kMinOnnxOpset = 6;
constexpr int64_t kMaxOnnxOpset = 21;

}  // namespace haqsim
