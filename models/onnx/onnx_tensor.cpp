#include "models/onnx/onnx_tensor.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "base/input_error.h"
#include "models/quant/float_model.h"

namespace haqsim {

namespace {

using onnx::TensorProto;

// Bytes per element in raw_data (0: not a fixed-size numeric type).
int element_bytes(int type) {
  switch (type) {
    case TensorProto::FLOAT:
    case TensorProto::INT32:
    case TensorProto::UINT32:
      return 4;
    case TensorProto::DOUBLE:
    case TensorProto::INT64:
    case TensorProto::UINT64:
      return 8;
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
    case TensorProto::INT16:
    case TensorProto::UINT16:
      return 2;
    case TensorProto::INT8:
    case TensorProto::UINT8:
    case TensorProto::BOOL:
      return 1;
    default:
      return 0;
  }
}

float bfloat16_to_float(uint16_t bits) {
  const uint32_t word = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &word, 4);
  return f;
}

// One element of little-endian raw bytes.
void decode(int type, const char* p, TensorValue& out, int64_t k) {
  auto load = [p](auto v) {
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  switch (type) {
    case TensorProto::FLOAT:
      out.reals[k] = load(float{});
      break;
    case TensorProto::DOUBLE:
      out.reals[k] = load(double{});
      break;
    case TensorProto::FLOAT16:
      out.reals[k] = half_to_float(load(uint16_t{}));
      break;
    case TensorProto::BFLOAT16:
      out.reals[k] = bfloat16_to_float(load(uint16_t{}));
      break;
    case TensorProto::INT64:
      out.integers[k] = load(int64_t{});
      break;
    case TensorProto::UINT64:
      out.integers[k] = int64_t(load(uint64_t{}));
      break;
    case TensorProto::INT32:
      out.integers[k] = load(int32_t{});
      break;
    case TensorProto::UINT32:
      out.integers[k] = load(uint32_t{});
      break;
    case TensorProto::INT16:
      out.integers[k] = load(int16_t{});
      break;
    case TensorProto::UINT16:
      out.integers[k] = load(uint16_t{});
      break;
    case TensorProto::INT8:
      out.integers[k] = load(int8_t{});
      break;
    case TensorProto::UINT8:
      out.integers[k] = load(uint8_t{});
      break;
    case TensorProto::BOOL:
      out.integers[k] = load(uint8_t{}) != 0;
      break;
    default:
      break;
  }
}

// The bytes of an external-data tensor: location relative to the model's directory, an optional
// offset and length; `read` false only checks that they are there.
std::string external_bytes(const TensorProto& t, const std::string& source,
                           const std::string& model_dir, int64_t expected, bool read = true) {
  const InputLocation where{source, 0, "tensor '" + t.name() + "' external data", -1};
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : t.external_data()) {
    try {
      if (kv.key() == "location") location = kv.value();
      if (kv.key() == "offset") offset = std::stoll(kv.value());
      if (kv.key() == "length") length = std::stoll(kv.value());
    } catch (const std::logic_error&) {
      throw InputError(where, fmt::format("a number for '{}'", kv.key()), "'" + kv.value() + "'");
    }
  }
  if (location.empty()) throw InputError(where, "a 'location' entry", "none");
  const std::filesystem::path rel(location);
  if (rel.is_absolute() || location.find("..") != std::string::npos) {
    throw InputError(where, "a location inside the model's directory", "'" + location + "'");
  }
  const std::string path = (std::filesystem::path(model_dir) / rel).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(where, fmt::format("the file '{}' next to the model", location),
                     "no such file (" + path + ")");
  }
  if (offset < 0) throw InputError(where, "an offset >= 0", std::to_string(offset));
  if (length < 0) length = expected;
  if (length != expected) {
    throw InputError(where, fmt::format("{} bytes for the tensor's dims", expected),
                     fmt::format("length {}", length));
  }
  in.seekg(0, std::ios::end);
  const int64_t file_size = int64_t(in.tellg());
  if (offset + length > file_size) {
    throw InputError(where, fmt::format("bytes {}..{} of '{}'", offset, offset + length, location),
                     fmt::format("a file of {} bytes", file_size));
  }
  if (!read) return {};
  std::string bytes(size_t(length), '\0');
  in.seekg(offset);
  in.read(bytes.data(), length);
  return bytes;
}

}  // namespace

bool is_real_type(int t) {
  return t == TensorProto::FLOAT || t == TensorProto::DOUBLE || t == TensorProto::FLOAT16 ||
         t == TensorProto::BFLOAT16;
}

bool is_known_type(int t) {
  return element_bytes(t) > 0;
}

const char* type_name(int t) {
  switch (t) {
    case TensorProto::FLOAT:
      return "float";
    case TensorProto::DOUBLE:
      return "double";
    case TensorProto::FLOAT16:
      return "float16";
    case TensorProto::BFLOAT16:
      return "bfloat16";
    case TensorProto::INT64:
      return "int64";
    case TensorProto::INT32:
      return "int32";
    case TensorProto::INT16:
      return "int16";
    case TensorProto::INT8:
      return "int8";
    case TensorProto::UINT64:
      return "uint64";
    case TensorProto::UINT32:
      return "uint32";
    case TensorProto::UINT16:
      return "uint16";
    case TensorProto::UINT8:
      return "uint8";
    case TensorProto::BOOL:
      return "bool";
    case TensorProto::STRING:
      return "string";
    default:
      return "an unknown type";
  }
}

int64_t saturating_int64(double v) {
  if (std::isnan(v)) return 0;
  if (v >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (v <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return int64_t(v);
}

bool TensorValue::is_real() const {
  return is_real_type(data_type);
}

int64_t TensorValue::size() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::vector<double> TensorValue::as_reals() const {
  if (is_real()) return reals;
  return std::vector<double>(integers.begin(), integers.end());
}

std::vector<int64_t> TensorValue::as_integers() const {
  if (!is_real()) return integers;
  std::vector<int64_t> out(reals.size());
  for (size_t k = 0; k < reals.size(); ++k) out[k] = saturating_int64(reals[k]);
  return out;
}

TensorValue TensorValue::of_reals(int data_type, std::vector<int64_t> dims,
                                  std::vector<double> values) {
  TensorValue t;
  t.data_type = data_type;
  t.dims = std::move(dims);
  if (t.is_real()) {
    t.reals = std::move(values);
  } else {
    t.integers.resize(values.size());
    for (size_t k = 0; k < values.size(); ++k) {
      t.integers[k] = data_type == TensorProto::BOOL ? values[k] != 0 : saturating_int64(values[k]);
    }
  }
  return t;
}

TensorValue TensorValue::of_integers(int data_type, std::vector<int64_t> dims,
                                     std::vector<int64_t> values) {
  TensorValue t;
  t.data_type = data_type;
  t.dims = std::move(dims);
  if (t.is_real()) {
    t.reals.assign(values.begin(), values.end());
  } else {
    if (data_type == TensorProto::BOOL) {
      for (auto& v : values) v = v != 0;
    }
    t.integers = std::move(values);
  }
  return t;
}

std::vector<int64_t> tensor_dims(const TensorProto& t, const std::string& source) {
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 31) / d)) {
      throw InputError(InputLocation{source, 0, "tensor '" + t.name() + "'", -1},
                       "dimensions >= 0 with a product below 2^31",
                       fmt::format("[{}]", fmt::join(t.dims(), ",")));
    }
    count *= d;
  }
  return {t.dims().begin(), t.dims().end()};
}

void validate_tensor(const TensorProto& t, const std::string& source,
                     const std::string& model_dir) {
  const InputLocation where{source, 0, "tensor '" + t.name() + "'", -1};
  const std::vector<int64_t> dims = tensor_dims(t, source);
  const int width = element_bytes(t.data_type());
  if (width == 0) {
    throw InputError(where, "a numeric or boolean tensor",
                     fmt::format("data type {} ({})", t.data_type(), type_name(t.data_type())));
  }
  int64_t count = 1;
  for (int64_t d : dims) count *= d;
  if (t.data_location() == TensorProto::EXTERNAL) {
    external_bytes(t, source, model_dir, count * width, /*read=*/false);
  } else if (t.has_raw_data() && int64_t(t.raw_data().size()) != count * width) {
    throw InputError(where, fmt::format("{} raw bytes ({} x {})", count * width, count, width),
                     std::to_string(t.raw_data().size()));
  }
}

TensorValue read_tensor(const TensorProto& t, const std::string& source,
                        const std::string& model_dir) {
  const InputLocation where{source, 0, "tensor '" + t.name() + "'", -1};
  TensorValue v;
  v.data_type = t.data_type();
  v.dims = tensor_dims(t, source);
  const int width = element_bytes(v.data_type);
  if (width == 0) {
    throw InputError(where, "a numeric or boolean tensor",
                     fmt::format("data type {} ({})", v.data_type, type_name(v.data_type)));
  }
  const int64_t count = v.size();
  if (v.is_real()) {
    v.reals.assign(size_t(count), 0.0);
  } else {
    v.integers.assign(size_t(count), 0);
  }
  const bool external = t.data_location() == TensorProto::EXTERNAL;
  if (external || t.has_raw_data()) {
    const std::string bytes =
        external ? external_bytes(t, source, model_dir, count * width) : t.raw_data();
    if (int64_t(bytes.size()) != count * width) {
      throw InputError(where, fmt::format("{} raw bytes ({} x {})", count * width, count, width),
                       std::to_string(bytes.size()));
    }
    for (int64_t k = 0; k < count; ++k) decode(v.data_type, bytes.data() + k * width, v, k);
    return v;
  }
  auto check_count = [&](int64_t found) {
    if (found != count) {
      throw InputError(where, fmt::format("{} values for dims [{}]", count, fmt::join(v.dims, ",")),
                       std::to_string(found));
    }
  };
  switch (v.data_type) {
    case TensorProto::FLOAT:
      check_count(t.float_data_size());
      for (int64_t k = 0; k < count; ++k) v.reals[k] = t.float_data(int(k));
      break;
    case TensorProto::DOUBLE:
      check_count(t.double_data_size());
      for (int64_t k = 0; k < count; ++k) v.reals[k] = t.double_data(int(k));
      break;
    case TensorProto::INT64:
      check_count(t.int64_data_size());
      for (int64_t k = 0; k < count; ++k) v.integers[k] = t.int64_data(int(k));
      break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
      check_count(t.uint64_data_size());
      for (int64_t k = 0; k < count; ++k) v.integers[k] = int64_t(t.uint64_data(int(k)));
      break;
    default:  // int32_data holds the small integer types and the 16-bit float bit patterns
      check_count(t.int32_data_size());
      for (int64_t k = 0; k < count; ++k) {
        const int32_t raw = t.int32_data(int(k));
        if (v.data_type == TensorProto::FLOAT16) {
          v.reals[k] = half_to_float(uint16_t(raw));
        } else if (v.data_type == TensorProto::BFLOAT16) {
          v.reals[k] = bfloat16_to_float(uint16_t(raw));
        } else if (v.data_type == TensorProto::BOOL) {
          v.integers[k] = raw != 0;
        } else {
          v.integers[k] = raw;
        }
      }
      break;
  }
  return v;
}

}  // namespace haqsim
