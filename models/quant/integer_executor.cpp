#include "models/quant/integer_executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/quant/conv_kernels.h"

namespace haqsim {

namespace {

int32_t clamp_to(int64_t v, int32_t lo, int32_t hi) {
  return int32_t(std::clamp<int64_t>(v, lo, hi));
}

void check_input(const Layer& l, const IntTensor& in) {
  const bool fc = l.op == LayerOp::kFullyConnected;
  const bool ok = fc ? int64_t(in.image_size()) == l.in_channels
                     : in.c == l.in_channels && in.h == l.in_height && in.w == l.in_width;
  if (!ok) {
    throw std::invalid_argument(
        fmt::format("{}: input {}x{}x{} does not match the layer's {}x{}x{}", l.name, in.c, in.h,
                    in.w, l.in_channels, l.in_height, l.in_width));
  }
}

// Depthwise: each plane is copied once into a zero-padded buffer so the tap loops carry no
// bounds checks and the innermost loop (along an output row) vectorizes.
void accumulate_depthwise(const Layer& l, const int32_t* weights, const IntTensor& in,
                          IntTensor& out) {
  const int H = l.in_height, W = l.in_width, OH = l.out_height, OW = l.out_width;
  const int KH = l.kernel_h, KW = l.kernel_w, SH = l.stride_h, SW = l.stride_w;
  const int DH = l.dilation_h, DW = l.dilation_w, PT = l.pad_top, PL = l.pad_left;
  // Rows and columns the windows reach (the bottom/right padding, and with ceil-rounded or
  // dilated windows possibly more).
  const int PH = std::max(H + PT, (OH - 1) * SH + (KH - 1) * DH + 1);
  const int PW = std::max(W + PL, (OW - 1) * SW + (KW - 1) * DW + 1);
  std::vector<int32_t> padded(size_t(PH) * PW, 0);
  for (int n = 0; n < in.n; ++n) {
    for (int c = 0; c < l.in_channels; ++c) {
      const int32_t* plane = &in.data[(size_t(n) * in.c + c) * H * W];
      for (int y = 0; y < H; ++y) {
        std::copy(plane + size_t(y) * W, plane + size_t(y + 1) * W,
                  &padded[size_t(y + PT) * PW + PL]);
      }
      const int32_t* wc = weights + size_t(c) * KH * KW;
      int32_t* oc = &out.data[(size_t(n) * out.c + c) * OH * OW];
      for (int oy = 0; oy < OH; ++oy) {
        int32_t* orow = oc + size_t(oy) * OW;
        for (int ky = 0; ky < KH; ++ky) {
          const int32_t* prow = &padded[size_t(oy * SH + ky * DH) * PW];
          for (int kx = 0; kx < KW; ++kx) {
            const int32_t w = wc[ky * KW + kx];
            const int32_t* src = prow + kx * DW;
            if (SW == 1) {
              for (int ox = 0; ox < OW; ++ox) orow[ox] += w * src[ox];
            } else {
              for (int ox = 0; ox < OW; ++ox) orow[ox] += w * src[ox * SW];
            }
          }
        }
      }
    }
  }
}

// Convolutions and fc layers are one GEMM over the whole batch (im2col columns of every image
// side by side) in floating point, which is exact as long as every partial sum is an integer the
// format represents: no partial sum of output channel o exceeds sum_k |w[o][k]| * max |x| in
// magnitude, so float (24-bit significand) is exact below 2^24 and double (53 bits) always is for
// 8-bit operands. The bound is checked per layer and batch, and float -- twice the SIMD lanes --
// is used whenever it holds (most layers below 8 bits, many at 8). The batched GEMM is ~10x
// faster than per-image int32 GEMMs whose N shrinks to a few pixels in late layers. Depthwise
// layers keep the direct integer loop (no reduction worth a GEMM).
template <typename Scalar>
void accumulate_gemm(const QuantizedLayer& ql, const Layer& l, const IntTensor& input,
                     IntTensor& out) {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const bool fc = l.op == LayerOp::kFullyConnected;
  const int cin_g = l.in_channels / l.groups, cout_g = l.out_channels / l.groups;
  const int KH = fc ? 1 : l.kernel_h, KW = fc ? 1 : l.kernel_w;
  const int H = fc ? 1 : l.in_height, W = fc ? 1 : l.in_width;
  const int OH = fc ? 1 : l.out_height, OW = fc ? 1 : l.out_width;
  const int SH = fc ? 1 : l.stride_h, SW = fc ? 1 : l.stride_w;
  const int DH = fc ? 1 : l.dilation_h, DW = fc ? 1 : l.dilation_w;
  const int PT = fc ? 0 : l.pad_top, PL = fc ? 0 : l.pad_left;
  const int groups = fc ? 1 : l.groups;
  const int N = OH * OW, K = cin_g * KH * KW, B = input.n;
  const size_t in_image = input.image_size(), out_image = out.image_size();
  Matrix cols(K, size_t(B) * N);
  Matrix weights(cout_g, K);
  for (int g = 0; g < groups; ++g) {
    cols.setZero();
    for (int b = 0; b < B; ++b) {
      const int32_t* in_g = &input.data[b * in_image + size_t(g) * cin_g * H * W];
      for (int c = 0; c < cin_g; ++c) {
        for (int ky = 0; ky < KH; ++ky) {
          for (int kx = 0; kx < KW; ++kx) {
            Scalar* row = &cols(size_t(c) * KH * KW + ky * KW + kx, size_t(b) * N);
            for (int oy = 0; oy < OH; ++oy) {
              const int y = oy * SH - PT + ky * DH;
              if (y < 0 || y >= H) continue;
              for (int ox = 0; ox < OW; ++ox) {
                const int x = ox * SW - PL + kx * DW;
                if (x >= 0 && x < W) row[oy * OW + ox] = Scalar(in_g[(size_t(c) * H + y) * W + x]);
              }
            }
          }
        }
      }
    }
    const int32_t* w_g = &ql.weights[size_t(g) * cout_g * K];
    for (int o = 0; o < cout_g; ++o) {
      for (int k = 0; k < K; ++k) weights(o, k) = Scalar(w_g[size_t(o) * K + k]);
    }
    const Matrix product = weights * cols;
    for (int b = 0; b < B; ++b) {
      for (int o = 0; o < cout_g; ++o) {
        int32_t* dst = &out.data[b * out_image + (size_t(g) * cout_g + o) * N];
        const Scalar* src = &product(o, size_t(b) * N);
        for (int p = 0; p < N; ++p) dst[p] = int32_t(src[p]);
      }
    }
  }
}

// The largest magnitude any partial sum of the layer can reach on this input.
double partial_sum_bound(const QuantizedLayer& ql, const Layer& l, const IntTensor& input) {
  int64_t max_input = 0;
  for (int32_t v : input.data) max_input = std::max<int64_t>(max_input, std::abs(int64_t(v)));
  const size_t per_output = ql.weights.size() / size_t(l.out_channels);
  int64_t max_weight_sum = 0;
  for (int o = 0; o < l.out_channels; ++o) {
    int64_t sum = 0;
    for (size_t k = 0; k < per_output; ++k)
      sum += std::abs(int64_t(ql.weights[o * per_output + k]));
    max_weight_sum = std::max(max_weight_sum, sum);
  }
  return double(max_weight_sum) * double(max_input);
}

}  // namespace

std::string integer_reference_unsupported(const Layer& l) {
  const bool nchw = l.in_dims.empty() ||
                    (l.in_dims[0].size() == 4 && l.dims_batch == l.in_dims[0][0]) ||
                    l.dims_batch == 1;
  switch (l.op) {
    case LayerOp::kConv:
      if (l.channels_last) return fmt::format("layer '{}': a linear layer over rows", l.name);
      return "";
    case LayerOp::kFullyConnected:
    case LayerOp::kAdd:
    case LayerOp::kMaxPool:
      return "";
    case LayerOp::kAvgPool:
      if (l.kernel_h == l.in_height && l.kernel_w == l.in_width && l.out_height == 1 &&
          l.out_width == 1) {
        return "";
      }
      return fmt::format("layer '{}': an average pool that is not global", l.name);
    case LayerOp::kConcat:
      if (nchw && l.host.axis == 1 && l.host.constant_elements == 0) return "";
      return fmt::format("layer '{}': a concat that is not along channels", l.name);
    default:
      return fmt::format("layer '{}' ({} {})", l.name, to_string(l.kind()),
                         l.host.source_op.empty() ? to_string(l.op) : l.host.source_op);
  }
}

IntTensor accumulate_layer(const QuantizedLayer& ql, const Layer& l, const IntTensor& input) {
  check_input(l, input);
  IntTensor out(input.n, l.out_channels, l.out_height, l.out_width);
  const int cin_g = l.in_channels / l.groups, cout_g = l.out_channels / l.groups;
  const bool depthwise = l.op != LayerOp::kFullyConnected && cin_g == 1 && cout_g == 1;
  if (depthwise) {
    accumulate_depthwise(l, ql.weights.data(), input, out);
  } else if (partial_sum_bound(ql, l, input) < double(1 << 24)) {
    accumulate_gemm<float>(ql, l, input, out);
  } else {
    accumulate_gemm<double>(ql, l, input, out);
  }
  return out;
}

IntTensor requantize_layer(const QuantizedLayer& ql, const IntTensor& acc) {
  IntTensor out(acc.n, acc.c, acc.h, acc.w);
  const size_t plane = size_t(acc.h) * acc.w;
  for (int i = 0; i < acc.n; ++i) {
    for (int c = 0; c < acc.c; ++c) {
      const size_t base = (size_t(i) * acc.c + c) * plane;
      // apply_fixed_point() spelled out without its branch, so that the loop vectorizes.
      const FixedPoint& f = ql.requant[c];
      const int64_t multiplier = f.multiplier, bias = ql.bias[c];
      const int64_t round = f.shift > 0 ? int64_t(1) << (f.shift - 1) : 0;
      const int shift = f.shift;
      const int32_t* src = &acc.data[base];
      int32_t* dst = &out.data[base];
      for (size_t p = 0; p < plane; ++p) {
        const int64_t v = ((int64_t(src[p]) + bias) * multiplier + round) >> shift;
        dst[p] = clamp_to(v, ql.output_min, ql.output_max);
      }
    }
  }
  return out;
}

QuantizedRun run_quantized_network(const QuantizedNetwork& q, const IntTensor& input,
                                   const AccumulateFn& accumulate, bool keep_traces) {
  const Network& net = q.network;
  QuantizedRun run;
  if (keep_traces) run.layers.resize(q.layers.size());
  std::vector<IntTensor> out(net.layers.size());
  // Tensors are dropped after their last reader so long networks stay small in memory.
  std::vector<int> last_reader(net.layers.size(), -1);
  for (int i = 0; i < int(net.layers.size()); ++i) {
    for (int src : net.layers[i].inputs) {
      if (src >= 0) last_reader[src] = i;
    }
  }
  auto input_of = [&](int src) -> const IntTensor& { return src < 0 ? input : out[src]; };
  for (int i = 0; i < int(net.layers.size()); ++i) {
    const Layer& l = net.layers[i];
    const IntTensor& x = input_of(l.inputs.front());
    if (l.quantizable()) {
      const QuantizedLayer& ql = q.layers[l.quant_index];
      IntTensor in = x;
      if (l.op == LayerOp::kFullyConnected) {  // flatten
        in.c = int(x.image_size());
        in.h = in.w = 1;
      }
      if (ql.needs_input_rescale) {
        for (int32_t& v : in.data) {
          v = clamp_to(apply_fixed_point(v, ql.input_rescale), ql.input.qmin(), ql.input.qmax());
        }
      }
      IntTensor acc =
          accumulate ? accumulate(l.quant_index, ql, l, in) : accumulate_layer(ql, l, in);
      if (acc.n != in.n || acc.c != l.out_channels || acc.h != l.out_height ||
          acc.w != l.out_width) {
        throw std::runtime_error(fmt::format(
            "{}: accumulators of shape {}x{}x{}x{}, expected "
            "{}x{}x{}x{}",
            l.name, acc.n, acc.c, acc.h, acc.w, in.n, l.out_channels, l.out_height, l.out_width));
      }
      out[i] = requantize_layer(ql, acc);
      if (keep_traces) {
        run.layers[l.quant_index] = {std::move(in), std::move(acc), out[i]};
      }
    } else {
      const QuantizedOp& op = q.ops[i];
      IntTensor y(x.n, l.out_channels, l.out_height, l.out_width);
      if (l.op == LayerOp::kAdd) {
        const IntTensor& b = input_of(l.inputs[1]);
        const int32_t shift = op.requant[0].shift;
        const int64_t round = shift > 0 ? int64_t(1) << (shift - 1) : 0;
        for (size_t k = 0; k < y.size(); ++k) {
          const int64_t sum = int64_t(x.data[k]) * op.requant[0].multiplier +
                              int64_t(b.data[k]) * op.requant[1].multiplier;
          y.data[k] = clamp_to((sum + round) >> shift, op.output_min, op.output_max);
        }
      } else if (l.op == LayerOp::kConcat) {
        // Each input rescaled to the output's scale (one multiplier per input, common shift),
        // its channels copied into place.
        int channel = 0;
        for (size_t k = 0; k < l.inputs.size(); ++k) {
          const IntTensor& part = input_of(l.inputs[k]);
          const size_t plane = size_t(part.h) * part.w;
          for (int n = 0; n < part.n; ++n) {
            for (int c = 0; c < part.c; ++c) {
              const int32_t* src = &part.data[(size_t(n) * part.c + c) * plane];
              int32_t* dst = &y.data[(size_t(n) * y.c + channel + c) * plane];
              for (size_t p = 0; p < plane; ++p) {
                dst[p] = clamp_to(apply_fixed_point(src[p], op.requant[k]), op.output_min,
                                  op.output_max);
              }
            }
          }
          channel += part.c;
        }
      } else if (l.op == LayerOp::kAvgPool) {
        const size_t plane = size_t(l.in_height) * l.in_width;
        for (int n = 0; n < x.n; ++n) {
          for (int c = 0; c < l.in_channels; ++c) {
            int64_t sum = 0;
            const int32_t* p = &x.data[(size_t(n) * x.c + c) * plane];
            for (size_t k = 0; k < plane; ++k) sum += p[k];
            y.data[size_t(n) * y.c + c] =
                clamp_to(apply_fixed_point(sum, op.requant[0]), op.output_min, op.output_max);
          }
        }
      } else if (l.op == LayerOp::kMaxPool) {
        for (int n = 0; n < x.n; ++n) {
          for (int c = 0; c < l.in_channels; ++c) {
            for (int oy = 0; oy < l.out_height; ++oy) {
              for (int ox = 0; ox < l.out_width; ++ox) {
                int32_t m = std::numeric_limits<int32_t>::min();
                for (int ky = 0; ky < l.kernel_h; ++ky) {
                  for (int kx = 0; kx < l.kernel_w; ++kx) {
                    const int yy = oy * l.stride_h - l.pad_top + ky * l.dilation_h;
                    const int xx = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
                    if (yy < 0 || yy >= l.in_height || xx < 0 || xx >= l.in_width) continue;
                    m = std::max(m, x.at(n, c, yy, xx));
                  }
                }
                y.at(n, c, oy, ox) = m;
              }
            }
          }
        }
        if (l.activation != Activation::kNone) {
          for (int32_t& v : y.data) v = std::max(v, 0);
        }
      }
      out[i] = std::move(y);
    }
    for (int src : l.inputs) {
      if (src >= 0 && last_reader[src] == i && src != int(net.layers.size()) - 1) {
        out[src] = IntTensor();
      }
    }
  }
  run.logits = std::move(out.back());
  run.logits.c = int(run.logits.image_size());
  run.logits.h = run.logits.w = 1;
  run.predicted.resize(run.logits.n);
  for (int n = 0; n < run.logits.n; ++n) {
    const int32_t* p = &run.logits.data[size_t(n) * run.logits.c];
    run.predicted[n] = int(std::max_element(p, p + run.logits.c) - p);
  }
  return run;
}

IntegerScore integer_score(const QuantizedNetwork& q, const ImageDataset& data, int limit,
                           int first) {
  if (first < 0 || first > data.size()) throw std::out_of_range("first image outside the dataset");
  const int available = data.size() - first;
  const int n = limit > 0 ? std::min(limit, available) : available;
  const int end = first + n;
  const float logit_scale = q.tensors.back().scale;
  int correct = 0;
  double loss = 0;
  const int batch = 64;  // images per batched GEMM
  for (int begin = first; begin < end; begin += batch) {
    std::vector<int> idx;
    for (int i = begin; i < std::min(end, begin + batch); ++i) idx.push_back(i);
    const IntTensor in =
        quantize_input(q, data.normalized_batch(idx, q.normalization), int(idx.size()));
    const QuantizedRun run = run_quantized_network(q, in, nullptr, /*keep_traces=*/false);
    const int classes = run.logits.c;
    for (size_t k = 0; k < idx.size(); ++k) {
      const int label = data.labels[idx[k]];
      correct += run.predicted[k] == label;
      // Cross-entropy of the dequantized logits, log-sum-exp shifted by the largest.
      const int32_t* z = &run.logits.data[k * size_t(classes)];
      const double top = double(*std::max_element(z, z + classes)) * logit_scale;
      double sum = 0;
      for (int c = 0; c < classes; ++c) sum += std::exp(double(z[c]) * logit_scale - top);
      loss += top + std::log(sum) - double(z[label]) * logit_scale;
    }
  }
  IntegerScore score;
  score.images = n;
  score.top1 = n ? double(correct) / n : 0.0;
  score.loss = n ? loss / n : 0.0;
  return score;
}

double integer_top1(const QuantizedNetwork& q, const ImageDataset& data, int limit, int first) {
  return integer_score(q, data, limit, first).top1;
}

}  // namespace haqsim
