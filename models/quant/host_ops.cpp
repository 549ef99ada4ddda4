#include "models/quant/host_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace haqsim {

namespace {

using Dims = std::vector<int64_t>;

int64_t count(const Dims& d) {
  int64_t n = 1;
  for (int64_t v : d) n *= v;
  return n;
}

Dims strides(const Dims& d) {
  Dims s(d.size(), 1);
  for (int k = int(d.size()) - 2; k >= 0; --k) s[k] = s[k + 1] * d[k + 1];
  return s;
}

// The dims of one image: the imported dims with the batch in dim 0 set to 1, or C x H x W.
Dims image_dims(const Layer& l, int input) {
  if (l.in_dims.empty() || input >= int(l.in_dims.size())) {
    return {1, l.in_channels, l.in_height, l.in_width};
  }
  Dims d = l.in_dims[size_t(input)];
  if (!d.empty() && l.dims_batch != 1) d[0] /= l.dims_batch;
  return d;
}

Dims out_dims(const Layer& l) {
  if (l.out_dims.empty()) return {1, l.out_channels, l.out_height, l.out_width};
  Dims d = l.out_dims;
  if (!d.empty() && l.dims_batch != 1) d[0] /= l.dims_batch;
  return d;
}

// Index of `a` (right-aligned, broadcast) for each element of `out`.
std::vector<int64_t> broadcast_index(const Dims& out, const Dims& a) {
  Dims pa(out.size() - std::min(out.size(), a.size()), 1);
  pa.insert(pa.end(), a.begin(), a.end());
  const Dims so = strides(out), sa = strides(pa);
  std::vector<int64_t> idx(static_cast<size_t>(count(out)));
  for (int64_t k = 0; k < int64_t(idx.size()); ++k) {
    int64_t rest = k, i = 0;
    for (size_t d = 0; d < out.size(); ++d) {
      const int64_t c = rest / so[d];
      rest %= so[d];
      if (pa[d] != 1) i += c * sa[d];
    }
    idx[size_t(k)] = i;
  }
  return idx;
}

float unary(HostFunction f, float x, float alpha, float beta) {
  switch (f) {
    case HostFunction::kRelu:
      return std::max(x, 0.0f);
    case HostFunction::kClip:
      return std::clamp(x, alpha, beta);
    case HostFunction::kLeakyRelu:
      return x >= 0 ? x : alpha * x;
    case HostFunction::kSigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case HostFunction::kHardSigmoid:
      return std::clamp(alpha * x + beta, 0.0f, 1.0f);
    case HostFunction::kHardSwish:
      return x * std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f);
    case HostFunction::kTanh:
      return std::tanh(x);
    case HostFunction::kErf:
      return std::erf(x);
    case HostFunction::kGelu:
      return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
    case HostFunction::kSqrt:
      return std::sqrt(x);
    case HostFunction::kExp:
      return std::exp(x);
    case HostFunction::kNeg:
      return -x;
    case HostFunction::kAbs:
      return std::fabs(x);
    case HostFunction::kReciprocal:
      return 1.0f / x;
    default:
      return x;
  }
}

float binary(HostFunction f, float a, float b) {
  switch (f) {
    case HostFunction::kAdd:
      return a + b;
    case HostFunction::kSub:
      return a - b;
    case HostFunction::kMul:
      return a * b;
    case HostFunction::kDiv:
      return a / b;
    case HostFunction::kPow:
      return std::pow(a, b);
    case HostFunction::kMax:
      return std::max(a, b);
    case HostFunction::kMin:
      return std::min(a, b);
    default:
      return a;
  }
}

// Average and max pooling, ONNX's rules: windows start at y * stride - pad; with ceil_mode the
// last ones may reach past the padding and are cut at it; an average divides by the window's
// elements inside the input, or (count_include_pad) inside the padded input.
void pool(const Layer& l, const float* x, float* y) {
  const bool avg = l.op == LayerOp::kAvgPool;
  const int H = l.in_height, W = l.in_width;
  for (int c = 0; c < l.in_channels; ++c) {
    const float* xc = x + size_t(c) * H * W;
    for (int oy = 0; oy < l.out_height; ++oy) {
      for (int ox = 0; ox < l.out_width; ++ox) {
        const int y0 = oy * l.stride_h - l.pad_top, x0 = ox * l.stride_w - l.pad_left;
        double acc = avg ? 0.0 : -std::numeric_limits<double>::infinity();
        int inside = 0, padded = 0;
        for (int ky = 0; ky < l.kernel_h; ++ky) {
          const int yy = y0 + ky * l.dilation_h;
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int xx = x0 + kx * l.dilation_w;
            if (yy < H + l.pad_bottom && xx < W + l.pad_right) ++padded;
            if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
            const float v = xc[yy * W + xx];
            acc = avg ? acc + v : std::max(acc, double(v));
            ++inside;
          }
        }
        const int divisor = l.host.count_include_pad ? padded : inside;
        y[(size_t(c) * l.out_height + oy) * l.out_width + ox] =
            avg ? float(acc / std::max(divisor, 1)) : float(acc);
      }
    }
  }
}

// Concat of the layer's tensors and (imported class tokens and the like) constants, in the
// operand order host.perm records.
void concat(const Layer& l, const FloatLayerParams& p, const std::vector<const float*>& in,
            float* out) {
  const Dims od = out_dims(l);
  const int axis = l.host.axis;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= od[d];
  for (size_t d = axis + 1; d < od.size(); ++d) inner *= od[d];
  std::vector<int64_t> order = l.host.perm;
  if (order.empty()) {
    for (size_t k = 0; k < in.size(); ++k) order.push_back(int64_t(k));
  }
  // Each constant's offset in the params.
  std::vector<int64_t> offset(l.host.steps.size() + 1, 0);
  for (size_t c = 0; c < l.host.steps.size(); ++c) {
    offset[c + 1] = offset[c] + l.host.steps[c] * inner;
  }
  float* dst = out;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k : order) {
      if (k >= 0) {
        const int64_t block = image_dims(l, int(k))[size_t(axis)] * inner;
        std::copy(in[size_t(k)] + o * block, in[size_t(k)] + (o + 1) * block, dst);
        dst += block;
      } else {
        // A constant has no batch: every image reads the same values (outer is 1 per image).
        const size_t c = size_t(-1 - k);
        const int64_t block = l.host.steps[c] * inner;
        const float* src = p.weight.data() + offset[c];
        std::copy(src, src + block, dst);
        dst += block;
      }
    }
  }
}

// Transpose, slice, gather, pad and expand: each output element copies one input element (or
// the pad value).
void move(const Layer& l, const float* x, float* y) {
  const Dims id = image_dims(l, 0), od = out_dims(l);
  const Dims si = strides(id), so = strides(od);
  const int64_t n = count(od);
  const size_t rank = od.size();
  for (int64_t k = 0; k < n; ++k) {
    int64_t rest = k, src = 0;
    bool pad = false;
    std::vector<int64_t> c(rank);
    for (size_t d = 0; d < rank; ++d) {
      c[d] = rest / so[d];
      rest %= so[d];
    }
    switch (l.host.function) {
      case HostFunction::kTranspose:
        for (size_t d = 0; d < rank; ++d) src += c[d] * si[size_t(l.host.perm[d])];
        break;
      case HostFunction::kSlice:
        for (size_t d = 0; d < rank; ++d) {
          src += (l.host.starts[d] + c[d] * l.host.steps[d]) * si[d];
        }
        break;
      case HostFunction::kPad:
        for (size_t d = 0; d < rank; ++d) {
          const int64_t i = c[d] - l.host.starts[d];
          if (i < 0 || i >= id[d]) pad = true;
          src += i * si[d];
        }
        break;
      case HostFunction::kGather: {
        const size_t a = size_t(l.host.axis);
        const size_t indices_rank = rank + 1 - id.size();
        // Output dims: id[:a] + indices dims + id[a+1:]; indices flattened row-major.
        int64_t flat = 0;
        for (size_t d = a; d < a + indices_rank; ++d) flat = flat * od[d] + c[d];
        int64_t j = l.host.starts[size_t(flat)];
        if (j < 0) j += id[a];
        for (size_t d = 0; d < a; ++d) src += c[d] * si[d];
        src += j * si[a];
        for (size_t d = a + 1; d < id.size(); ++d) src += c[d + indices_rank - 1] * si[d];
        break;
      }
      default: {  // expand: broadcast, right-aligned
        const size_t off = rank - id.size();
        for (size_t d = 0; d < id.size(); ++d) {
          if (id[d] != 1) src += c[d + off] * si[d];
        }
        break;
      }
    }
    y[k] = pad ? l.host.alpha : x[src];
  }
}

void reduce(const Layer& l, const float* x, float* y) {
  const Dims id = image_dims(l, 0);
  std::vector<bool> reduced(id.size(), l.host.perm.empty());
  for (int64_t a : l.host.perm) reduced[size_t(a)] = true;
  Dims kept;
  for (size_t d = 0; d < id.size(); ++d) kept.push_back(reduced[d] ? 1 : id[d]);
  const Dims si = strides(id), sk = strides(kept);
  const int64_t n = count(kept);
  const std::string& op = l.host.source_op;
  std::vector<double> acc(static_cast<size_t>(n), op == "ReduceMax"   ? -INFINITY
                                                  : op == "ReduceMin" ? INFINITY
                                                                      : 0.0);
  for (int64_t k = 0; k < count(id); ++k) {
    int64_t rest = k, dst = 0;
    for (size_t d = 0; d < id.size(); ++d) {
      const int64_t c = rest / si[d];
      rest %= si[d];
      if (!reduced[d]) dst += c * sk[d];
    }
    double& a = acc[size_t(dst)];
    const double v = x[k];
    if (op == "ReduceMax")
      a = std::max(a, v);
    else if (op == "ReduceMin")
      a = std::min(a, v);
    else if (op == "ReduceL2")
      a += v * v;
    else
      a += v;
  }
  const double per = double(count(id)) / double(n);
  for (int64_t k = 0; k < n; ++k) {
    double v = acc[size_t(k)];
    if (op == "ReduceMean" || op.empty()) v /= per;
    if (op == "ReduceL2") v = std::sqrt(v);
    y[k] = float(v);
  }
}

// Softmax over one axis (opset >= 13), LayerNormalization over the axes from `axis` on, and
// BatchNormalization per channel (dim 1).
void normalize(const Layer& l, const FloatLayerParams& p, const float* x, float* y) {
  const Dims d = image_dims(l, 0);
  const int axis = l.host.axis;
  if (l.op == LayerOp::kNormalization && !p.bn.empty()) {
    const int64_t channels = d[1], inner = count(d) / (d[0] * channels);
    for (int64_t k = 0; k < count(d); ++k) {
      const int64_t c = (k / inner) % channels;
      const float inv = p.bn.gamma[c] / std::sqrt(p.bn.var[c] + p.bn.eps);
      y[k] = (x[k] - p.bn.mean[c]) * inv + p.bn.beta[c];
    }
    return;
  }
  int64_t outer = 1, len = 1, inner = 1;
  for (int k = 0; k < int(d.size()); ++k) {
    if (k < axis)
      outer *= d[k];
    else if (k == axis || l.op == LayerOp::kNormalization)
      len *= d[k];
    else
      inner *= d[k];
  }
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * len * inner + i;
      auto at = [&](int64_t k) { return base + k * inner; };
      if (l.op == LayerOp::kSoftmax) {
        double m = -INFINITY, sum = 0;
        for (int64_t k = 0; k < len; ++k) m = std::max(m, double(x[at(k)]));
        for (int64_t k = 0; k < len; ++k) sum += std::exp(double(x[at(k)]) - m);
        for (int64_t k = 0; k < len; ++k) {
          const double e = std::exp(double(x[at(k)]) - m);
          y[at(k)] = float(l.host.source_op == "LogSoftmax" ? std::log(e / sum) : e / sum);
        }
      } else {
        double mean = 0, var = 0;
        for (int64_t k = 0; k < len; ++k) mean += x[at(k)];
        mean /= double(len);
        for (int64_t k = 0; k < len; ++k) var += (x[at(k)] - mean) * (x[at(k)] - mean);
        var /= double(len);
        const double inv = 1.0 / std::sqrt(var + l.host.alpha);
        for (int64_t k = 0; k < len; ++k) {
          const double n = (x[at(k)] - mean) * inv;
          const double scale = p.weight.empty() ? 1.0 : p.weight[size_t(k % p.weight.size())];
          const double shift = p.bias.empty() ? 0.0 : p.bias[size_t(k % p.bias.size())];
          y[at(k)] = float(n * scale + shift);
        }
      }
    }
  }
}

// A product of two activations: A (..., M, K) x B (..., K, N), batch dims broadcast.
void matmul(const Layer& l, const float* a, const float* b, float* y) {
  const Dims da = image_dims(l, 0), db = image_dims(l, 1), od = out_dims(l);
  const int64_t m = da[da.size() - 2], k = da.back(), n = db.back();
  const Dims batch(od.begin(), od.end() - 2);
  const std::vector<int64_t> ia = broadcast_index(batch, Dims(da.begin(), da.end() - 2));
  const std::vector<int64_t> ib = broadcast_index(batch, Dims(db.begin(), db.end() - 2));
  for (size_t g = 0; g < ia.size(); ++g) {
    const float* ag = a + ia[g] * m * k;
    const float* bg = b + ib[g] * k * n;
    float* yg = y + int64_t(g) * m * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t t = 0; t < k; ++t) s += double(ag[i * k + t]) * bg[t * n + j];
        yg[i * n + j] = float(s);
      }
    }
  }
}

}  // namespace

std::string float_host_unsupported(const Layer& l) {
  // Imported at batch 1, every tensor is the image's; at a larger batch, the batch must be dim 0.
  for (const auto& d : l.in_dims) {
    if (l.dims_batch != 1 && (d.empty() || d[0] != l.dims_batch)) {
      return fmt::format("layer '{}': a tensor whose dim 0 is not the batch", l.name);
    }
  }
  if (l.op == LayerOp::kMatMul && l.in_dims.size() != 2) {
    return fmt::format("layer '{}': a product without its operands' dims", l.name);
  }
  if (l.op == LayerOp::kElementwise && l.host.constant_slot < 0 && l.in_dims.size() != 2) {
    return fmt::format("layer '{}': an element-wise layer without its operands' dims", l.name);
  }
  if (l.op == LayerOp::kDataMovement && l.host.source_op.rfind("Pad:", 0) == 0) {
    return fmt::format("layer '{}': {} padding (constant padding only)", l.name,
                       l.host.source_op.substr(4));
  }
  return "";
}

void linear_rows(const Layer& l, const float* in, const float* w, const float* bias, float* out) {
  const int64_t rows = int64_t(l.in_height) * l.in_width, k = l.in_channels, e = l.out_channels;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < e; ++o) {
      double s = bias ? bias[o] : 0.0;
      for (int64_t t = 0; t < k; ++t) s += double(in[r * k + t]) * w[o * k + t];
      out[r * e + o] = float(s);
    }
  }
}

void run_host_layer(const Layer& l, const FloatLayerParams& p, const std::vector<const float*>& in,
                    float* y) {
  const std::string why = float_host_unsupported(l);
  if (!why.empty()) throw std::invalid_argument("the float executor cannot run " + why);
  const int64_t n = l.output_elements();
  switch (l.op) {
    case LayerOp::kAdd:
      for (int64_t k = 0; k < n; ++k) y[k] = in[0][k] + in[1][k];
      return;
    case LayerOp::kAvgPool:
    case LayerOp::kMaxPool:
      return pool(l, in[0], y);
    case LayerOp::kConcat:
      return concat(l, p, in, y);
    case LayerOp::kActivation:
      for (int64_t k = 0; k < n; ++k)
        y[k] = unary(l.host.function, in[0][k], l.host.alpha, l.host.beta);
      return;
    case LayerOp::kElementwise: {
      const Dims od = out_dims(l);
      const Dims da = image_dims(l, 0);
      if (l.host.constant_slot < 0) {
        const auto ia = broadcast_index(od, da), ib = broadcast_index(od, image_dims(l, 1));
        for (int64_t k = 0; k < n; ++k) y[k] = binary(l.host.function, in[0][ia[k]], in[1][ib[k]]);
        return;
      }
      const auto ix = broadcast_index(od, da), ic = broadcast_index(od, l.host.constant_dims);
      for (int64_t k = 0; k < n; ++k) {
        const float x = in[0][ix[k]], c = p.weight[size_t(ic[k])];
        y[k] = l.host.constant_slot == 1 ? binary(l.host.function, x, c)
                                         : binary(l.host.function, c, x);
      }
      return;
    }
    case LayerOp::kReduceMean:
      return reduce(l, in[0], y);
    case LayerOp::kSoftmax:
    case LayerOp::kNormalization:
      return normalize(l, p, in[0], y);
    case LayerOp::kDataMovement:
      return move(l, in[0], y);
    case LayerOp::kMatMul:
      return matmul(l, in[0], in[1], y);
    default:
      throw std::invalid_argument(fmt::format("layer '{}' is not a host layer", l.name));
  }
}

}  // namespace haqsim
