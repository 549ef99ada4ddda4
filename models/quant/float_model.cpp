#include "models/quant/float_model.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstring>
#include <map>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/zoo.h"

namespace haqsim {

namespace {

constexpr char kMagic[8] = {'H', 'A', 'Q', 'S', 'I', 'M', 'W', '\0'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kHalf = 1, kFloat = 2;

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

// Sequential reader that knows its byte offset for error messages.
class Reader {
 public:
  Reader(const std::string& bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  size_t offset() const { return pos_; }
  [[noreturn]] void fail(size_t at, const std::string& expected, const std::string& found) const {
    throw InputError(InputLocation{path_, 0, "", static_cast<long long>(at)}, expected, found);
  }
  void need(size_t n, const std::string& what) const {
    if (bytes_.size() - pos_ < n) fail(pos_, what, "end of file");
  }
  uint32_t u32(const std::string& what) {
    need(4, what);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(bytes_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::string text(size_t n, const std::string& what) {
    need(n, what);
    std::string s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  const std::string& bytes() const { return bytes_; }
  void skip(size_t n) { pos_ += n; }

 private:
  const std::string& bytes_;
  std::string path_;
  size_t pos_ = 0;
};

std::vector<std::pair<std::string, const std::vector<float>*>> named_tensors(
    const FloatModel& model) {
  std::vector<std::pair<std::string, const std::vector<float>*>> out;
  for (size_t i = 0; i < model.params.size(); ++i) {
    const std::string& n = model.network.layers[i].name;
    const FloatLayerParams& p = model.params[i];
    if (!p.weight.empty()) out.emplace_back(n + ".weight", &p.weight);
    if (!p.bias.empty()) out.emplace_back(n + ".bias", &p.bias);
    if (!p.bn.empty()) {
      out.emplace_back(n + ".bn.weight", &p.bn.gamma);
      out.emplace_back(n + ".bn.bias", &p.bn.beta);
      out.emplace_back(n + ".bn.running_mean", &p.bn.mean);
      out.emplace_back(n + ".bn.running_var", &p.bn.var);
    }
  }
  return out;
}

std::vector<uint32_t> weight_dims(const Layer& l) {
  if (l.op == LayerOp::kFullyConnected) return {uint32_t(l.out_channels), uint32_t(l.in_channels)};
  return {uint32_t(l.out_channels), uint32_t(l.in_channels / l.groups), uint32_t(l.kernel_h),
          uint32_t(l.kernel_w)};
}

}  // namespace

uint16_t float_to_half(float value) {
  uint32_t x;
  std::memcpy(&x, &value, 4);
  const uint32_t sign = (x >> 16) & 0x8000;
  const int32_t exp = int32_t((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;
  if (((x >> 23) & 0xff) == 0xff) return uint16_t(sign | 0x7c00 | (mant ? 0x200 : 0));  // inf/nan
  if (exp >= 31) return uint16_t(sign | 0x7c00);                                        // overflow
  if (exp <= 0) {
    if (exp < -10) return uint16_t(sign);  // underflows to zero
    mant |= 0x800000;                      // subnormal: shift in the implicit bit
    const int shift = 14 - exp;
    uint32_t half = mant >> shift;
    const uint32_t rest = mant & ((1u << shift) - 1), halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1))) ++half;
    return uint16_t(sign | half);
  }
  uint32_t half = sign | (uint32_t(exp) << 10) | (mant >> 13);
  const uint32_t rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) ++half;  // may carry into the exponent
  return uint16_t(half);
}

float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, x;
  if (exp == 0) {
    if (mant == 0) {
      x = sign;
    } else {  // subnormal: normalize
      exp = 127 - 15 + 1;
      while (!(mant & 0x400)) {
        mant <<= 1;
        --exp;
      }
      x = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    x = sign | 0x7f800000 | (mant << 13);
  } else {
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

void FloatLayerParams::folded(int out_channels, std::vector<float>& w,
                              std::vector<float>& b) const {
  w = weight;
  b = bias.empty() ? std::vector<float>(out_channels, 0.0f) : bias;
  if (bn.empty()) return;
  const size_t per_channel = weight.size() / out_channels;
  for (int o = 0; o < out_channels; ++o) {
    const float scale = bn.gamma[o] / std::sqrt(bn.var[o] + bn.eps);
    for (size_t k = 0; k < per_channel; ++k) w[o * per_channel + k] *= scale;
    b[o] = (b[o] - bn.mean[o]) * scale + bn.beta[o];
  }
}

void save_float_model(const FloatModel& model, const std::string& path, bool half) {
  const NetworkSpec& s = model.network.spec;
  YAML::Emitter header;
  header << YAML::BeginMap << YAML::Key << "model" << YAML::Value << model.network.name << YAML::Key
         << "resolution" << YAML::Value << s.resolution << YAML::Key << "in_channels" << YAML::Value
         << s.in_channels << YAML::Key << "classes" << YAML::Value << s.classes << YAML::Key
         << "width" << YAML::Value << s.width << YAML::Key << "first_stride" << YAML::Value
         << s.first_stride << YAML::Key << "normalization" << YAML::Value << YAML::BeginMap
         << YAML::Key << "mean" << YAML::Value << YAML::Flow << model.normalization.mean
         << YAML::Key << "std" << YAML::Value << YAML::Flow << model.normalization.std
         << YAML::EndMap << YAML::EndMap;
  std::string out(kMagic, kMagic + 8);
  put_u32(out, kVersion);
  put_u32(out, half ? kHalf : kFloat);
  const std::string text = header.c_str();
  put_u32(out, uint32_t(text.size()));
  out += text;
  const auto tensors = named_tensors(model);
  put_u32(out, uint32_t(tensors.size()));
  for (const auto& [name, values] : tensors) {
    put_u32(out, uint32_t(name.size()));
    out += name;
    // Rank and dims: weights carry their full shape, everything else is a vector.
    std::vector<uint32_t> dims = {uint32_t(values->size())};
    if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0 &&
        name.find(".bn.") == std::string::npos) {
      const std::string layer_name = name.substr(0, name.size() - 7);
      for (const Layer& l : model.network.layers) {
        if (l.name == layer_name) dims = weight_dims(l);
      }
    }
    put_u32(out, uint32_t(dims.size()));
    for (uint32_t d : dims) put_u32(out, d);
    for (float v : *values) {
      if (half) {
        const uint16_t h = float_to_half(v);
        out.push_back(char(h & 0xff));
        out.push_back(char(h >> 8));
      } else {
        uint32_t x;
        std::memcpy(&x, &v, 4);
        put_u32(out, x);
      }
    }
  }
  write_file_atomically(path, out);
}

FloatModel load_float_model(const std::string& path) {
  const std::string bytes = read_whole_file(path);
  Reader r(bytes, path);
  if (r.text(8, "the magic \"HAQSIMW\"") != std::string(kMagic, 8)) {
    r.fail(0, "the magic \"HAQSIMW\\0\" of a haqsim weight file", "other bytes");
  }
  const uint32_t version = r.u32("a format version");
  if (version != kVersion) r.fail(8, "format version 1", std::to_string(version));
  const uint32_t type = r.u32("a value type");
  if (type != kHalf && type != kFloat) {
    r.fail(12, "value type 1 (float16) or 2 (float32)", std::to_string(type));
  }
  const size_t header_at = r.offset();
  const uint32_t header_len = r.u32("a header length");
  const std::string header_text = r.text(header_len, fmt::format("{} header bytes", header_len));
  FloatModel model;
  NetworkSpec spec;
  std::string name;
  try {
    YAML::Node h = YAML::Load(header_text);
    name = h["model"].as<std::string>();
    spec.resolution = h["resolution"].as<int>();
    spec.in_channels = h["in_channels"].as<int>();
    spec.classes = h["classes"].as<int>();
    spec.width = h["width"].as<double>();
    spec.first_stride = h["first_stride"].as<int>();
    model.normalization.mean = h["normalization"]["mean"].as<std::vector<float>>();
    model.normalization.std = h["normalization"]["std"].as<std::vector<float>>();
  } catch (const YAML::Exception& e) {
    r.fail(header_at + 4,
           "a YAML header with model, resolution, in_channels, classes, width, "
           "first_stride and normalization",
           e.what());
  }
  // The header drives the network's shape, so it is bounded before anything is built from it.
  auto check = [&](const char* key, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      r.fail(header_at + 4, fmt::format("header key '{}' in [{}, {}]", key, lo, hi),
             fmt::format("{}", value));
    }
  };
  check("resolution", spec.resolution, 1, 8192);
  check("in_channels", spec.in_channels, 1, 64);
  check("classes", spec.classes, 1, 1000000);
  check("width", spec.width, 0.01, 16);
  check("first_stride", spec.first_stride, 1, 16);
  if (int(model.normalization.mean.size()) != spec.in_channels ||
      model.normalization.std.size() != model.normalization.mean.size()) {
    r.fail(
        header_at + 4, fmt::format("{} normalization means and stds", spec.in_channels),
        fmt::format("{} and {}", model.normalization.mean.size(), model.normalization.std.size()));
  }
  try {
    model.network = build_model(name, spec);
  } catch (const std::exception& e) {
    r.fail(header_at + 4, "a zoo model and a valid network spec", e.what());
  }
  model.params.resize(model.network.layers.size());
  // Where each expected tensor goes and how long it must be.
  std::map<std::string, std::pair<std::vector<float>*, std::vector<uint32_t>>> slots;
  for (size_t i = 0; i < model.network.layers.size(); ++i) {
    const Layer& l = model.network.layers[i];
    if (!l.quantizable()) continue;
    FloatLayerParams& p = model.params[i];
    const uint32_t oc = uint32_t(l.out_channels);
    slots[l.name + ".weight"] = {&p.weight, weight_dims(l)};
    slots[l.name + ".bias"] = {&p.bias, {oc}};
    slots[l.name + ".bn.weight"] = {&p.bn.gamma, {oc}};
    slots[l.name + ".bn.bias"] = {&p.bn.beta, {oc}};
    slots[l.name + ".bn.running_mean"] = {&p.bn.mean, {oc}};
    slots[l.name + ".bn.running_var"] = {&p.bn.var, {oc}};
  }
  const uint32_t count = r.u32("a tensor count");
  for (uint32_t t = 0; t < count; ++t) {
    const size_t at = r.offset();
    const uint32_t name_len = r.u32("a tensor name length");
    if (name_len > 4096) r.fail(at, "a tensor name length below 4096", std::to_string(name_len));
    const std::string tname = r.text(name_len, "a tensor name");
    auto slot = slots.find(tname);
    if (slot == slots.end()) {
      r.fail(at + 4, fmt::format("a tensor of {}'s layers", name), fmt::format("'{}'", tname));
    }
    if (!slot->second.first->empty()) r.fail(at + 4, "each tensor once", "'" + tname + "' again");
    const size_t dims_at = r.offset();
    const uint32_t rank = r.u32("a tensor rank");
    if (rank > 4) r.fail(dims_at, "rank 1 to 4", std::to_string(rank));
    std::vector<uint32_t> dims;
    for (uint32_t d = 0; d < rank; ++d) dims.push_back(r.u32("a dimension"));
    if (dims != slot->second.second) {
      r.fail(dims_at, fmt::format("'{}' of shape [{}]", tname, fmt::join(slot->second.second, ",")),
             fmt::format("[{}]", fmt::join(dims, ",")));
    }
    size_t n = 1;
    for (uint32_t d : dims) n *= d;
    const size_t width = type == kHalf ? 2 : 4;
    r.need(n * width, fmt::format("{} values of '{}'", n, tname));
    std::vector<float>& dst = *slot->second.first;
    dst.resize(n);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data() + r.offset());
    for (size_t k = 0; k < n; ++k) {
      if (type == kHalf) {
        dst[k] = half_to_float(uint16_t(p[2 * k] | (p[2 * k + 1] << 8)));
      } else {
        uint32_t x = uint32_t(p[4 * k]) | (uint32_t(p[4 * k + 1]) << 8) |
                     (uint32_t(p[4 * k + 2]) << 16) | (uint32_t(p[4 * k + 3]) << 24);
        std::memcpy(&dst[k], &x, 4);
      }
    }
    r.skip(n * width);
  }
  if (r.offset() != bytes.size()) r.fail(r.offset(), "end of file", "trailing bytes");
  for (size_t i = 0; i < model.network.layers.size(); ++i) {
    const Layer& l = model.network.layers[i];
    if (l.quantizable() && model.params[i].weight.empty()) {
      r.fail(r.offset(), fmt::format("a tensor '{}.weight'", l.name), "none");
    }
    // A BatchNorm is all four tensors or none.
    const BatchNormParams& bn = model.params[i].bn;
    if (!bn.gamma.empty() && (bn.beta.empty() || bn.mean.empty() || bn.var.empty())) {
      r.fail(r.offset(), fmt::format("all four BatchNorm tensors of '{}'", l.name), "some");
    }
  }
  return model;
}

}  // namespace haqsim
