#include "models/quant/integer_executor.h"

#include <fmt/format.h>

#include <algorithm>
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

}  // namespace

IntTensor accumulate_layer(const QuantizedLayer& ql, const Layer& l, const IntTensor& input) {
  check_input(l, input);
  IntTensor out(input.n, l.out_channels, l.out_height, l.out_width);
  std::vector<int32_t> scratch;
  for (int i = 0; i < input.n; ++i) {
    conv_image<int32_t>(l, &input.data[i * input.image_size()], ql.weights.data(),
                        &out.data[i * out.image_size()], scratch);
  }
  return out;
}

IntTensor requantize_layer(const QuantizedLayer& ql, const IntTensor& acc) {
  IntTensor out(acc.n, acc.c, acc.h, acc.w);
  const size_t plane = size_t(acc.h) * acc.w;
  for (int i = 0; i < acc.n; ++i) {
    for (int c = 0; c < acc.c; ++c) {
      const size_t base = (size_t(i) * acc.c + c) * plane;
      for (size_t p = 0; p < plane; ++p) {
        const int64_t v = int64_t(acc.data[base + p]) + ql.bias[c];
        out.data[base + p] =
            clamp_to(apply_fixed_point(v, ql.requant[c]), ql.output_min, ql.output_max);
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
                    const int yy = oy * l.stride - l.pad + ky, xx = ox * l.stride - l.pad + kx;
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

double integer_top1(const QuantizedNetwork& q, const ImageDataset& data, int limit) {
  const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
  int correct = 0;
  const int batch = 16;
  for (int first = 0; first < n; first += batch) {
    std::vector<int> idx;
    for (int i = first; i < std::min(n, first + batch); ++i) idx.push_back(i);
    const IntTensor in =
        quantize_input(q, data.normalized_batch(idx, q.normalization), int(idx.size()));
    const QuantizedRun run = run_quantized_network(q, in, nullptr, /*keep_traces=*/false);
    for (size_t k = 0; k < idx.size(); ++k) correct += run.predicted[k] == data.labels[idx[k]];
  }
  return n ? double(correct) / n : 0.0;
}

}  // namespace haqsim
