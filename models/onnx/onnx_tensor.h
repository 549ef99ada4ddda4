// Constant tensors of an ONNX graph (initializers, Constant nodes and whatever folds from them)
// as the importer computes with them: any element type, converted to doubles (floating types)
// or 64-bit integers (integer and boolean types), with the dims.
//
// Reading follows the TensorProto rules: typed fields (float_data, int32_data for the small
// integer types and the 16-bit float bit patterns, int64_data, double_data, uint64_data) or
// little-endian raw_data; float16 and bfloat16 are converted; external data (data_location
// EXTERNAL: location, offset, length) is read from the file next to the model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
}  // namespace onnx

namespace haqsim {

// A real converted to int64 as C++ would truncate it, saturated at the int64 range (NaN: 0):
// values in model files are arbitrary, and an out-of-range conversion is undefined.
int64_t saturating_int64(double value);

struct TensorValue {
  int data_type = 1;  // onnx::TensorProto::DataType: 1 FLOAT, 7 INT64, 9 BOOL, 10 FLOAT16, ...
  std::vector<int64_t> dims;
  std::vector<double> reals;      // floating types
  std::vector<int64_t> integers;  // integer and boolean types

  bool is_real() const;
  int64_t size() const;  // product of dims (1 for a scalar)
  double real(int64_t k) const { return is_real() ? reals[k] : double(integers[k]); }
  int64_t integer(int64_t k) const { return is_real() ? saturating_int64(reals[k]) : integers[k]; }
  // Every element as a double / int64 (a copy).
  std::vector<double> as_reals() const;
  std::vector<int64_t> as_integers() const;
  // A tensor of this type and these dims filled from `values` (converted to the type).
  static TensorValue of_reals(int data_type, std::vector<int64_t> dims, std::vector<double> values);
  static TensorValue of_integers(int data_type, std::vector<int64_t> dims,
                                 std::vector<int64_t> values);
};

bool is_real_type(int data_type);
bool is_known_type(int data_type);
const char* type_name(int data_type);

// Dims of a TensorProto, each checked >= 0 with a product below 2^31 (what a protobuf can hold);
// InputError naming `source` and the tensor otherwise.
std::vector<int64_t> tensor_dims(const onnx::TensorProto& tensor, const std::string& source);

// Checks what read_tensor would check without decoding the values: a known type, the dims,
// the byte or value count, and that external data exists and is long enough.
void validate_tensor(const onnx::TensorProto& tensor, const std::string& source,
                     const std::string& model_dir);

// The tensor's values. `model_dir` locates external data. Throws InputError (file, tensor,
// expected, found) for an unknown type, a size that does not match the dims, or external data
// that is missing, outside the model's directory or too short.
TensorValue read_tensor(const onnx::TensorProto& tensor, const std::string& source,
                        const std::string& model_dir);

}  // namespace haqsim
