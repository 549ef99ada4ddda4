#include "models/onnx/onnx_fold.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <type_traits>

#include "models/onnx/onnx_node.h"
#include "models/onnx/onnx_shapes.h"

namespace haqsim::onnx_import {

namespace {

using onnx::TensorProto;

const std::set<std::string>& unary_ops() {
  static const std::set<std::string> ops = {
      "Neg",        "Abs",     "Sqrt", "Exp",      "Log",      "Floor", "Ceil",
      "Reciprocal", "Sigmoid", "Relu", "Erf",      "Tanh",     "Sin",   "Cos",
      "Round",      "Sign",    "Not",  "Identity", "Softplus", "IsNaN", "IsInf"};
  return ops;
}

const std::set<std::string>& binary_ops() {
  static const std::set<std::string> ops = {"Add",
                                            "Sub",
                                            "Mul",
                                            "Div",
                                            "Pow",
                                            "Mod",
                                            "Max",
                                            "Min",
                                            "Equal",
                                            "Less",
                                            "Greater",
                                            "LessOrEqual",
                                            "GreaterOrEqual",
                                            "And",
                                            "Or",
                                            "Xor",
                                            "Sum",
                                            "Mean"};
  return ops;
}

const std::set<std::string>& other_ops() {
  static const std::set<std::string> ops = {
      "Constant",   "Shape",     "Size",      "ConstantOfShape", "Cast",
      "CastLike",   "Reshape",   "Flatten",   "Squeeze",         "Unsqueeze",
      "Transpose",  "Concat",    "Slice",     "Gather",          "Expand",
      "Tile",       "Range",     "ScatterND", "Split",           "ReduceSum",
      "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",      "MatMul",
      "Where",      "Clip",      "Dropout",   "NonZero",         "GatherElements",
      "Softmax"};
  return ops;
}

const TensorValue& input(const std::vector<const TensorValue*>& in, size_t k,
                         const std::string& what) {
  if (k >= in.size() || !in[k]) {
    throw NodeError(fmt::format("input {} ({})", k, what), "a tensor", "none");
  }
  return *in[k];
}

// Integer values of an optional input (axes, shape, ...); `fallback` when omitted.
std::vector<int64_t> optional_ints(const std::vector<const TensorValue*>& in, size_t k,
                                   std::vector<int64_t> fallback = {}) {
  if (k >= in.size() || !in[k]) return fallback;
  return in[k]->as_integers();
}

// out[k] = f(a[ia(k)], b[ib(k)]) with numpy broadcasting.
template <typename F>
void broadcast_loop(const Dims& out, const Dims& a, const Dims& b, F f) {
  const size_t rank = out.size();
  auto padded = [rank](const Dims& d) {
    Dims p(rank - d.size(), 1);
    p.insert(p.end(), d.begin(), d.end());
    return p;
  };
  const Dims pa = padded(a), pb = padded(b);
  const auto sa = strides_of(pa), sb = strides_of(pb), so = strides_of(out);
  const int64_t n = element_count(out);
  for (int64_t k = 0; k < n; ++k) {
    int64_t ia = 0, ib = 0, rest = k;
    for (size_t d = 0; d < rank; ++d) {
      const int64_t i = rest / so[d];
      rest %= so[d];
      if (pa[d] != 1) ia += i * sa[d];
      if (pb[d] != 1) ib += i * sb[d];
    }
    f(k, ia, ib);
  }
}

double unary_real(const std::string& op, double x) {
  if (op == "Neg") return -x;
  if (op == "Abs") return std::fabs(x);
  if (op == "Sqrt") return std::sqrt(x);
  if (op == "Exp") return std::exp(x);
  if (op == "Log") return std::log(x);
  if (op == "Floor") return std::floor(x);
  if (op == "Ceil") return std::ceil(x);
  if (op == "Reciprocal") return 1.0 / x;
  if (op == "Sigmoid") return 1.0 / (1.0 + std::exp(-x));
  if (op == "Relu") return std::max(x, 0.0);
  if (op == "Erf") return std::erf(x);
  if (op == "Tanh") return std::tanh(x);
  if (op == "Sin") return std::sin(x);
  if (op == "Cos") return std::cos(x);
  if (op == "Round") return std::nearbyint(x);  // ties to even, as ONNX says
  if (op == "Sign") return double((x > 0) - (x < 0));
  if (op == "Softplus") return std::log1p(std::exp(x));
  if (op == "IsNaN") return std::isnan(x);
  if (op == "IsInf") return std::isinf(x);
  return x;  // Identity
}

TensorValue fold_unary(const std::string& op, const TensorValue& x) {
  if (op == "Identity") return x;
  if (op == "Not") {
    TensorValue out = TensorValue::of_integers(TensorProto::BOOL, x.dims, x.as_integers());
    for (auto& v : out.integers) v = !v;
    return out;
  }
  const bool boolean_out = op == "IsNaN" || op == "IsInf";
  std::vector<double> v = x.as_reals();
  for (double& e : v) e = unary_real(op, e);
  if (!x.is_real() && (op == "Neg" || op == "Abs" || op == "Relu" || op == "Sign")) {
    std::vector<int64_t> iv = x.integers;
    for (auto& e : iv)
      e = op == "Neg"    ? -e
          : op == "Abs"  ? std::abs(e)
          : op == "Relu" ? std::max<int64_t>(e, 0)
                         : (e > 0) - (e < 0);
    return TensorValue::of_integers(x.data_type, x.dims, iv);
  }
  return TensorValue::of_reals(boolean_out ? int(TensorProto::BOOL) : x.data_type, x.dims, v);
}

// One comparison of two values of the same kind.
template <typename T>
bool compare(const std::string& op, T x, T y) {
  return op == "Equal"         ? x == y
         : op == "Less"        ? x < y
         : op == "Greater"     ? x > y
         : op == "LessOrEqual" ? x <= y
                               : x >= y;
}

// One arithmetic operation on integers (truncating division, ONNX's two Mod conventions) or
// reals.
template <typename T>
T arithmetic(const std::string& op, T x, T y, int64_t fmod) {
  if constexpr (std::is_integral_v<T>) {
    if ((op == "Div" || op == "Mod") && y == 0) {
      throw NodeError("input 1", "a non-zero integer divisor", "0");
    }
  }
  if constexpr (std::is_integral_v<T>) {
    // Two's complement wrap-around, as runtimes compute int64 (signed overflow is undefined).
    const uint64_t ux = uint64_t(x), uy = uint64_t(y);
    if (op == "Add" || op == "Sum") return T(ux + uy);
    if (op == "Sub") return T(ux - uy);
    if (op == "Mul") return T(ux * uy);
    if ((op == "Div" || op == "Mod") && x == std::numeric_limits<T>::min() && y == -1) {
      return op == "Div" ? x : T(0);
    }
  }
  if (op == "Add" || op == "Sum") return x + y;
  if (op == "Sub") return x - y;
  if (op == "Mul") return x * y;
  if (op == "Div") return x / y;
  if (op == "Max") return std::max(x, y);
  if (op == "Min") return std::min(x, y);
  if (op == "Pow") {
    const double p = std::pow(double(x), double(y));
    if constexpr (std::is_integral_v<T>) return saturating_int64(std::nearbyint(p));
    return T(p);
  }
  if (op == "Mod") {
    if constexpr (std::is_integral_v<T>) {
      const T r = x % y;  // Python's sign (of the divisor) unless fmod
      return fmod || r == 0 || (r < 0) == (y < 0) ? r : T(uint64_t(r) + uint64_t(y));
    }
    return fmod ? std::fmod(x, y) : x - y * std::floor(x / y);
  }
  if constexpr (std::is_integral_v<T>) return T((__int128(x) + y) / 2);  // Mean
  return (x + y) / 2;
}

TensorValue fold_binary(const std::string& op, const TensorValue& a, const TensorValue& b,
                        int64_t fmod) {
  const Dims out_dims = broadcast(a.dims, b.dims, "inputs");
  const bool is_compare = op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" ||
                          op == "GreaterOrEqual";
  const bool logic = op == "And" || op == "Or" || op == "Xor";
  const bool real = a.is_real() || b.is_real();
  const int64_t n = element_count(out_dims);
  if (is_compare || logic) {
    std::vector<int64_t> v(static_cast<size_t>(n));
    broadcast_loop(out_dims, a.dims, b.dims, [&](int64_t k, int64_t ia, int64_t ib) {
      if (logic) {
        const bool x = a.integer(ia) != 0, y = b.integer(ib) != 0;
        v[k] = op == "And" ? (x && y) : op == "Or" ? (x || y) : (x != y);
      } else {
        v[k] =
            real ? compare(op, a.real(ia), b.real(ib)) : compare(op, a.integer(ia), b.integer(ib));
      }
    });
    return TensorValue::of_integers(TensorProto::BOOL, out_dims, v);
  }
  if (!real) {
    std::vector<int64_t> v(static_cast<size_t>(n));
    broadcast_loop(out_dims, a.dims, b.dims, [&](int64_t k, int64_t ia, int64_t ib) {
      v[k] = arithmetic(op, a.integers[ia], b.integers[ib], fmod);
    });
    return TensorValue::of_integers(a.data_type, out_dims, v);
  }
  std::vector<double> v(static_cast<size_t>(n));
  broadcast_loop(out_dims, a.dims, b.dims, [&](int64_t k, int64_t ia, int64_t ib) {
    v[k] = arithmetic(op, a.real(ia), b.real(ib), fmod);
  });
  return TensorValue::of_reals(a.is_real() ? a.data_type : b.data_type, out_dims, v);
}

// Values gathered by flat source index: out[k] = in[index[k]].
TensorValue pick(const TensorValue& in, Dims dims, const std::vector<int64_t>& index) {
  TensorValue out;
  out.data_type = in.data_type;
  out.dims = std::move(dims);
  if (in.is_real()) {
    out.reals.resize(index.size());
    for (size_t k = 0; k < index.size(); ++k) out.reals[k] = in.reals[size_t(index[k])];
  } else {
    out.integers.resize(index.size());
    for (size_t k = 0; k < index.size(); ++k) out.integers[k] = in.integers[size_t(index[k])];
  }
  return out;
}

// Flat source indices of a strided view: out index -> sum of (coordinate * step + start) *
// input stride.
std::vector<int64_t> view_indices(const Dims& in, const Dims& out,
                                  const std::vector<int64_t>& start,
                                  const std::vector<int64_t>& step,
                                  const std::vector<int64_t>& axis_of = {}) {
  const auto si = strides_of(in), so = strides_of(out);
  const int64_t n = element_count(out);
  std::vector<int64_t> idx(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    int64_t rest = k, src = 0;
    for (size_t d = 0; d < out.size(); ++d) {
      const int64_t i = rest / so[d];
      rest %= so[d];
      const size_t a = axis_of.empty() ? d : size_t(axis_of[d]);
      src += (start.empty() ? i : start[a] + i * step[a]) * si[a];
    }
    idx[size_t(k)] = src;
  }
  return idx;
}

TensorValue fold_transpose(const TensorValue& x, std::vector<int64_t> perm) {
  if (perm.empty()) {
    for (int k = int(x.dims.size()) - 1; k >= 0; --k) perm.push_back(k);
  }
  const Dims out = transpose(x.dims, perm);
  return pick(x, out, view_indices(x.dims, out, {}, {}, perm));
}

TensorValue fold_matmul(const TensorValue& a, const TensorValue& b) {
  if (a.dims.size() < 2 || b.dims.size() < 2) {
    throw unsupported("inputs", "MatMul of constants with rank >= 2", "a vector operand");
  }
  const int64_t m = a.dims[a.dims.size() - 2], k = a.dims.back();
  const int64_t kb = b.dims[b.dims.size() - 2], n = b.dims.back();
  if (k != kb) {
    throw NodeError("inputs", "matching inner dims", dims_text(a.dims) + " x " + dims_text(b.dims));
  }
  const Dims ba(a.dims.begin(), a.dims.end() - 2), bb(b.dims.begin(), b.dims.end() - 2);
  const Dims batch = broadcast(ba, bb, "inputs");
  Dims out = batch;
  out.push_back(m);
  out.push_back(n);
  std::vector<double> v(size_t(element_count(out)), 0.0);
  const std::vector<double> av = a.as_reals(), bv = b.as_reals();
  broadcast_loop(batch, ba, bb, [&](int64_t g, int64_t ga, int64_t gb) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t t = 0; t < k; ++t) s += av[(ga * m + i) * k + t] * bv[(gb * k + t) * n + j];
        v[size_t((g * m + i) * n + j)] = s;
      }
    }
  });
  return TensorValue::of_reals(a.data_type, out, v);
}

TensorValue fold_reduce(const std::string& op, const TensorValue& x, std::vector<int64_t> axes,
                        bool keepdims) {
  const int rank = int(x.dims.size());
  std::vector<bool> reduced(size_t(rank), axes.empty());
  for (int64_t a : axes) reduced[size_t(normalize_axis(a, rank, "axes"))] = true;
  const Dims out = reduce(x.dims, axes, keepdims);
  Dims kept;  // the output dims with the reduced axes at 1
  for (int k = 0; k < rank; ++k) kept.push_back(reduced[k] ? 1 : x.dims[k]);
  const auto sk = strides_of(kept), si = strides_of(x.dims);
  const int64_t n = element_count(kept);
  std::vector<double> acc(size_t(n), op == "ReduceProd" ? 1.0 : 0.0);
  std::vector<bool> first(size_t(n), true);
  const std::vector<double> v = x.as_reals();
  for (int64_t k = 0; k < x.size(); ++k) {
    int64_t rest = k, dst = 0;
    for (int d = 0; d < rank; ++d) {
      const int64_t i = rest / si[d];
      rest %= si[d];
      if (!reduced[d]) dst += i * sk[d];
    }
    double& a = acc[size_t(dst)];
    if (op == "ReduceMax")
      a = first[dst] ? v[k] : std::max(a, v[k]);
    else if (op == "ReduceMin")
      a = first[dst] ? v[k] : std::min(a, v[k]);
    else if (op == "ReduceProd")
      a *= v[k];
    else
      a += v[k];
    first[dst] = false;
  }
  if (op == "ReduceMean" && n > 0) {
    const double count = double(x.size()) / double(n);
    for (double& a : acc) a /= count;
  }
  return TensorValue::of_reals(x.data_type, out, acc);
}

// Axes from the attribute (older opsets) or input k (newer ones).
std::vector<int64_t> axes_of(const onnx::NodeProto& node, const std::vector<const TensorValue*>& in,
                             size_t k) {
  if (has_attribute(node, "axes")) return ints_attribute(node, "axes");
  return optional_ints(in, k);
}

}  // namespace

bool foldable(const std::string& op) {
  return unary_ops().count(op) || binary_ops().count(op) || other_ops().count(op);
}

std::vector<TensorValue> fold(const onnx::NodeProto& node,
                              const std::vector<const TensorValue*>& in, int opset) {
  const std::string& op = node.op_type();
  if (unary_ops().count(op)) return {fold_unary(op, input(in, 0, "X"))};
  if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean") {  // variadic
    TensorValue acc = input(in, 0, "data_0");
    for (size_t k = 1; k < in.size(); ++k) {
      acc = fold_binary(op == "Mean" ? "Add" : op, acc, input(in, k, "data"), 0);
    }
    if (op == "Mean") {
      acc =
          fold_binary("Div", acc, TensorValue::of_reals(acc.data_type, {}, {double(in.size())}), 0);
    }
    return {acc};
  }
  if (binary_ops().count(op)) {
    return {fold_binary(op, input(in, 0, "A"), input(in, 1, "B"), int_attribute(node, "fmod", 0))};
  }
  if (op == "Constant") {
    if (const auto* a = find_attribute(node, "value")) {
      return {read_tensor(a->t(), "", "")};
    }
    if (const auto* a = find_attribute(node, "value_float")) {
      return {TensorValue::of_reals(TensorProto::FLOAT, {}, {a->f()})};
    }
    if (const auto* a = find_attribute(node, "value_floats")) {
      return {TensorValue::of_reals(TensorProto::FLOAT, {int64_t(a->floats_size())},
                                    {a->floats().begin(), a->floats().end()})};
    }
    if (const auto* a = find_attribute(node, "value_int")) {
      return {TensorValue::of_integers(TensorProto::INT64, {}, {a->i()})};
    }
    if (const auto* a = find_attribute(node, "value_ints")) {
      return {TensorValue::of_integers(TensorProto::INT64, {int64_t(a->ints_size())},
                                       {a->ints().begin(), a->ints().end()})};
    }
    throw unsupported("attributes", "value, value_float(s) or value_int(s)",
                      node.attribute_size() ? node.attribute(0).name() : "none");
  }
  if (op == "Dropout") return {input(in, 0, "data")};
  if (op == "Shape" || op == "Size") {
    const Dims& d = input(in, 0, "data").dims;
    if (op == "Size") return {TensorValue::of_integers(TensorProto::INT64, {}, {element_count(d)})};
    const int rank = int(d.size());
    int64_t start = int_attribute(node, "start", 0), end = int_attribute(node, "end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    Dims v(d.begin() + start, d.begin() + std::max(start, end));
    return {TensorValue::of_integers(TensorProto::INT64, {int64_t(v.size())}, v)};
  }
  if (op == "ConstantOfShape") {
    const std::vector<int64_t> shape = input(in, 0, "input").as_integers();
    for (int64_t d : shape) {
      if (d < 0) throw NodeError("input 0 (input)", "dims >= 0", dims_text(shape));
    }
    TensorValue fill = TensorValue::of_reals(TensorProto::FLOAT, {1}, {0.0});
    if (const auto* a = find_attribute(node, "value")) fill = read_tensor(a->t(), "", "");
    if (element_count(shape) > kMaxFoldElements) {
      throw unsupported("input 0 (input)", "a constant of at most 2^26 elements", dims_text(shape));
    }
    TensorValue out = fill;
    out.dims = shape;
    if (out.is_real())
      out.reals.assign(size_t(element_count(shape)), fill.real(0));
    else
      out.integers.assign(size_t(element_count(shape)), fill.integer(0));
    return {out};
  }
  if (op == "Cast" || op == "CastLike") {
    const TensorValue& x = input(in, 0, "input");
    const int to =
        op == "Cast" ? int(int_attribute(node, "to", 1)) : input(in, 1, "target").data_type;
    if (!is_known_type(to)) throw unsupported("attribute 'to'", "a numeric type", type_name(to));
    if (is_real_type(to)) return {TensorValue::of_reals(to, x.dims, x.as_reals())};
    std::vector<int64_t> v = x.as_integers();
    return {TensorValue::of_integers(to, x.dims, v)};
  }
  if (op == "Reshape") {
    const TensorValue& x = input(in, 0, "data");
    TensorValue out = x;
    out.dims = reshape(x.dims, input(in, 1, "shape").as_integers(),
                       int_attribute(node, "allowzero", 0) != 0);
    return {out};
  }
  if (op == "Flatten") {
    TensorValue out = input(in, 0, "input");
    out.dims = flatten(out.dims, int_attribute(node, "axis", 1));
    return {out};
  }
  if (op == "Squeeze" || op == "Unsqueeze") {
    TensorValue out = input(in, 0, "data");
    const std::vector<int64_t> axes = axes_of(node, in, 1);
    out.dims = op == "Squeeze" ? squeeze(out.dims, axes) : unsqueeze(out.dims, axes);
    return {out};
  }
  if (op == "Transpose")
    return {fold_transpose(input(in, 0, "data"), ints_attribute(node, "perm"))};
  if (op == "Concat") {
    std::vector<Dims> dims;
    for (size_t k = 0; k < in.size(); ++k) dims.push_back(input(in, k, "inputs").dims);
    const int64_t axis = int_attribute(node, "axis", 0);
    const Dims out_dims = concat(dims, axis);
    const int a = normalize_axis(axis, int(out_dims.size()), "attribute 'axis'");
    // Row-major: outer blocks of (axis dim x inner) per input, interleaved.
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < a; ++d) outer *= out_dims[d];
    for (size_t d = a + 1; d < out_dims.size(); ++d) inner *= out_dims[d];
    const bool real = std::any_of(in.begin(), in.end(), [](auto* t) { return t->is_real(); });
    std::vector<double> rv;
    std::vector<int64_t> iv;
    for (int64_t o = 0; o < outer; ++o) {
      for (const TensorValue* t : in) {
        const int64_t block = t->dims[a] * inner;
        for (int64_t k = 0; k < block; ++k) {
          if (real)
            rv.push_back(t->real(o * block + k));
          else
            iv.push_back(t->integers[size_t(o * block + k)]);
        }
      }
    }
    const int type = in[0]->data_type;
    return {real ? TensorValue::of_reals(type, out_dims, rv)
                 : TensorValue::of_integers(type, out_dims, iv)};
  }
  if (op == "Slice") {
    const TensorValue& x = input(in, 0, "data");
    const SliceArguments args = slice_arguments(node, opset, [&](int k) -> const TensorValue* {
      return size_t(k) < in.size() ? in[size_t(k)] : nullptr;
    });
    const SliceSpec s = slice(x.dims, args.starts, args.ends, args.axes, args.steps);
    return {pick(x, s.out, view_indices(x.dims, s.out, s.start, s.step))};
  }
  if (op == "Gather") {
    const TensorValue& x = input(in, 0, "data");
    const TensorValue& idx = input(in, 1, "indices");
    const int a =
        normalize_axis(int_attribute(node, "axis", 0), int(x.dims.size()), "attribute 'axis'");
    const Dims out = gather(x.dims, idx.dims, a);
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < a; ++d) outer *= x.dims[d];
    for (size_t d = a + 1; d < x.dims.size(); ++d) inner *= x.dims[d];
    std::vector<int64_t> src;
    const std::vector<int64_t> indices = idx.as_integers();
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i : indices) {
        if (i < -x.dims[a] || i >= x.dims[a]) {
          throw NodeError("input 1 (indices)",
                          fmt::format("indices in [{}, {})", -x.dims[a], x.dims[a]),
                          std::to_string(i));
        }
        const int64_t j = i < 0 ? i + x.dims[a] : i;
        for (int64_t k = 0; k < inner; ++k) src.push_back((o * x.dims[a] + j) * inner + k);
      }
    }
    return {pick(x, out, src)};
  }
  if (op == "GatherElements") {
    const TensorValue& x = input(in, 0, "data");
    const TensorValue& idx = input(in, 1, "indices");
    const int rank = int(x.dims.size());
    const int a = normalize_axis(int_attribute(node, "axis", 0), rank, "attribute 'axis'");
    if (int(idx.dims.size()) != rank)
      throw NodeError("input 1 (indices)", "the data's rank", dims_text(idx.dims));
    const auto si = strides_of(x.dims), so = strides_of(idx.dims);
    std::vector<int64_t> src;
    const std::vector<int64_t> indices = idx.as_integers();
    for (int64_t k = 0; k < idx.size(); ++k) {
      int64_t rest = k, s = 0;
      for (int d = 0; d < rank; ++d) {
        int64_t i = rest / so[d];
        rest %= so[d];
        if (d == a) {
          i = indices[size_t(k)];
          if (i < 0) i += x.dims[a];
          if (i < 0 || i >= x.dims[a])
            throw NodeError("input 1 (indices)", "indices inside the axis",
                            std::to_string(indices[k]));
        }
        s += i * si[d];
      }
      src.push_back(s);
    }
    return {pick(x, idx.dims, src)};
  }
  if (op == "Expand" || op == "Tile") {
    const TensorValue& x = input(in, 0, "input");
    const std::vector<int64_t> arg =
        input(in, 1, op == "Expand" ? "shape" : "repeats").as_integers();
    Dims out;
    if (op == "Expand") {
      out = expand(x.dims, arg);
    } else {
      if (arg.size() != x.dims.size())
        throw NodeError("input 1 (repeats)", "one repeat per dim", dims_text(arg));
      for (size_t d = 0; d < x.dims.size(); ++d) out.push_back(x.dims[d] * arg[d]);
    }
    if (element_count(out) > kMaxFoldElements) {
      throw unsupported("output", "a constant of at most 2^26 elements", dims_text(out));
    }
    const size_t rank = out.size();
    Dims px(rank - x.dims.size(), 1);
    px.insert(px.end(), x.dims.begin(), x.dims.end());
    const auto sx = strides_of(px), so = strides_of(out);
    std::vector<int64_t> src(static_cast<size_t>(element_count(out)));
    for (int64_t k = 0; k < int64_t(src.size()); ++k) {
      int64_t rest = k, s = 0;
      for (size_t d = 0; d < rank; ++d) {
        const int64_t i = rest / so[d];
        rest %= so[d];
        s += (px[d] == 1 ? 0 : i % px[d]) * sx[d];
      }
      src[size_t(k)] = s;
    }
    return {pick(x, out, src)};
  }
  if (op == "Range") {
    const TensorValue& start = input(in, 0, "start");
    const double s = start.real(0), limit = input(in, 1, "limit").real(0),
                 delta = input(in, 2, "delta").real(0);
    if (delta == 0) throw NodeError("input 2 (delta)", "a non-zero step", "0");
    const double count = std::ceil((limit - s) / delta);
    if (!(count <= double(kMaxFoldElements))) {
      throw unsupported("inputs", "a range of at most 2^26 elements",
                        fmt::format("{} to {} by {}", s, limit, delta));
    }
    const int64_t n = count > 0 ? int64_t(count) : 0;
    if (n > kMaxFoldElements)
      throw unsupported("inputs", "a range of at most 2^26 elements", std::to_string(n));
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) v[size_t(k)] = s + double(k) * delta;
    return {TensorValue::of_reals(start.data_type, {n}, v)};
  }
  if (op == "Where") {
    const TensorValue& c = input(in, 0, "condition");
    const TensorValue& x = input(in, 1, "X");
    const TensorValue& y = input(in, 2, "Y");
    const Dims xy = broadcast(x.dims, y.dims, "inputs");
    const Dims out = broadcast(c.dims, xy, "inputs");
    // cond ? x : y, broadcasting all three: first pick x or y per output, then the condition.
    std::vector<double> v(static_cast<size_t>(element_count(out)));
    std::vector<double> xs(v.size()), ys(v.size());
    broadcast_loop(out, x.dims, out, [&](int64_t k, int64_t ia, int64_t) { xs[k] = x.real(ia); });
    broadcast_loop(out, y.dims, out, [&](int64_t k, int64_t ia, int64_t) { ys[k] = y.real(ia); });
    broadcast_loop(out, c.dims, out,
                   [&](int64_t k, int64_t ia, int64_t) { v[k] = c.integer(ia) ? xs[k] : ys[k]; });
    return {TensorValue::of_reals(x.data_type, out, v)};
  }
  if (op == "Clip") {
    const TensorValue& x = input(in, 0, "input");
    double lo = -INFINITY, hi = INFINITY;
    if (opset < 11) {
      lo = float_attribute(node, "min", -3.4028234663852886e38f);
      hi = float_attribute(node, "max", 3.4028234663852886e38f);
    }
    if (in.size() > 1 && in[1]) lo = in[1]->real(0);
    if (in.size() > 2 && in[2]) hi = in[2]->real(0);
    std::vector<double> v = x.as_reals();
    for (double& e : v) e = std::clamp(e, lo, hi);
    return {TensorValue::of_reals(x.data_type, x.dims, v)};
  }
  if (op == "ScatterND") {
    if (int_attribute(node, "reduction", 0) != 0 ||
        string_attribute(node, "reduction", "none") != "none") {
      throw unsupported("attribute 'reduction'", "none", string_attribute(node, "reduction", ""));
    }
    TensorValue out = input(in, 0, "data");
    const TensorValue& idx = input(in, 1, "indices");
    const TensorValue& upd = input(in, 2, "updates");
    if (idx.dims.empty()) throw NodeError("input 1 (indices)", "rank >= 1", "a scalar");
    const int64_t q = idx.dims.back();
    if (q > int64_t(out.dims.size()))
      throw NodeError("input 1 (indices)", "index tuples no longer than the data's rank",
                      std::to_string(q));
    const auto sd = strides_of(out.dims);
    const int64_t slice_size = q == int64_t(out.dims.size()) ? 1 : sd[size_t(q - 1)];
    const int64_t tuples = idx.size() / std::max<int64_t>(q, 1);
    const std::vector<int64_t> iv = idx.as_integers();
    if (upd.size() != tuples * slice_size)
      throw NodeError("input 2 (updates)", fmt::format("{} values", tuples * slice_size),
                      std::to_string(upd.size()));
    for (int64_t t = 0; t < tuples; ++t) {
      int64_t base = 0;
      for (int64_t j = 0; j < q; ++j) {
        int64_t i = iv[size_t(t * q + j)];
        if (i < 0) i += out.dims[j];
        if (i < 0 || i >= out.dims[j])
          throw NodeError("input 1 (indices)", "indices inside the data",
                          std::to_string(iv[t * q + j]));
        base += i * sd[j];
      }
      for (int64_t k = 0; k < slice_size; ++k) {
        if (out.is_real())
          out.reals[size_t(base + k)] = upd.real(t * slice_size + k);
        else
          out.integers[size_t(base + k)] = upd.integer(t * slice_size + k);
      }
    }
    return {out};
  }
  if (op == "Split") {
    const TensorValue& x = input(in, 0, "input");
    const int a =
        normalize_axis(int_attribute(node, "axis", 0), int(x.dims.size()), "attribute 'axis'");
    std::vector<int64_t> sizes =
        has_attribute(node, "split") ? ints_attribute(node, "split") : optional_ints(in, 1);
    const int outputs = node.output_size();
    if (sizes.empty()) {
      const int64_t n = int_attribute(node, "num_outputs", outputs);
      const int64_t each = (x.dims[a] + n - 1) / n;
      for (int64_t k = 0; k < n; ++k) sizes.push_back(std::min(each, x.dims[a] - k * each));
    }
    int64_t total = 0;
    for (int64_t s : sizes) total += s;
    if (total != x.dims[a] || int(sizes.size()) != outputs) {
      throw NodeError("split sizes", fmt::format("{} sizes adding up to {}", outputs, x.dims[a]),
                      dims_text(sizes));
    }
    std::vector<TensorValue> out;
    int64_t begin = 0;
    for (int64_t s : sizes) {
      const SliceSpec spec = slice(x.dims, {begin}, {begin + s}, {a}, {1});
      out.push_back(pick(x, spec.out, view_indices(x.dims, spec.out, spec.start, spec.step)));
      begin += s;
    }
    return out;
  }
  if (op == "ReduceSum" || op == "ReduceMean" || op == "ReduceMax" || op == "ReduceMin" ||
      op == "ReduceProd") {
    const TensorValue& x = input(in, 0, "data");
    std::vector<int64_t> axes = (op == "ReduceSum" && opset >= 13) || opset >= 18
                                    ? optional_ints(in, 1)
                                    : ints_attribute(node, "axes");
    if (axes.empty() && int_attribute(node, "noop_with_empty_axes", 0) != 0) return {x};
    return {fold_reduce(op, x, axes, int_attribute(node, "keepdims", 1) != 0)};
  }
  if (op == "MatMul") return {fold_matmul(input(in, 0, "A"), input(in, 1, "B"))};
  if (op == "Softmax") {
    const TensorValue& x = input(in, 0, "input");
    const int rank = int(x.dims.size());
    const int a =
        normalize_axis(int_attribute(node, "axis", opset >= 13 ? -1 : 1), rank, "attribute 'axis'");
    int64_t inner = 1;
    for (int d = opset >= 13 ? a + 1 : a; d < rank; ++d) inner *= x.dims[d];
    const int64_t len = opset >= 13 ? x.dims[a] : inner, stride = opset >= 13 ? inner : 1;
    const int64_t groups = x.size() / std::max<int64_t>(len, 1);
    std::vector<double> v = x.as_reals();
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t base = opset >= 13 ? (g / inner) * len * inner + g % inner : g * len;
      double m = -INFINITY, sum = 0;
      for (int64_t k = 0; k < len; ++k) m = std::max(m, v[size_t(base + k * stride)]);
      for (int64_t k = 0; k < len; ++k)
        sum += (v[size_t(base + k * stride)] = std::exp(v[size_t(base + k * stride)] - m));
      for (int64_t k = 0; k < len; ++k) v[size_t(base + k * stride)] /= sum;
    }
    return {TensorValue::of_reals(x.data_type, x.dims, v)};
  }
  if (op == "NonZero") {
    const TensorValue& x = input(in, 0, "X");
    const auto s = strides_of(x.dims);
    std::vector<int64_t> hits;
    for (int64_t k = 0; k < x.size(); ++k) {
      if (x.real(k) != 0) hits.push_back(k);
    }
    const int64_t rank = int64_t(x.dims.size()), n = int64_t(hits.size());
    std::vector<int64_t> v(static_cast<size_t>(rank * n));
    for (int64_t j = 0; j < n; ++j) {
      int64_t rest = hits[size_t(j)];
      for (int64_t d = 0; d < rank; ++d) {
        v[size_t(d * n + j)] = rest / s[d];
        rest %= s[d];
      }
    }
    return {TensorValue::of_integers(TensorProto::INT64, {rank, n}, v)};
  }
  throw unsupported("op_type", "an operator constant folding evaluates", op);
}

}  // namespace haqsim::onnx_import
