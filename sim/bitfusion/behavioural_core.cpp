// Behavioural Fusion Unit array: each step is a direct convolution of the buffer halves, in
// 32-bit wrapping arithmetic like the OBUF registers. The order of the additions differs from
// the array's (sums modulo 2^32 do not depend on it); the cycle count is the array's, vector for
// vector, and the skew is the one bitfusion_fill_drain_cycles() states. The innermost loop runs
// over output columns and vectorizes; a pointwise step, whose window is the output tile itself,
// is one int32 GEMM (outputs += weights x inputs) done by Eigen's blocked kernels instead of one
// pass over the tile per (output, input) channel pair. The file is compiled with -fwrapv, so
// the int32 arithmetic wraps like the registers even where Eigen's scalar code does it.
#include <Eigen/Core>
#include <cstring>

#include "sim/bitfusion/fusion_array_core.h"

namespace haqsim::bitfusion {

namespace {

class BehaviouralCore : public FusionArrayCore {
 public:
  explicit BehaviouralCore(const BitFusionConfig& config)
      : fill_drain_(bitfusion_fill_drain_cycles(config)) {}

  void configure(const LayerGeometry& geometry) override { g_ = geometry; }

  int64_t execute(const TileOperands& op) override {
    const TileStep& st = *op.step;
    const int64_t rows = st.out_rows.size, cols = st.out_cols.size;
    const int64_t in_h = st.in_rows.size, in_w = st.in_cols.size;
    const int64_t taps = int64_t(g_.kernel_h) * g_.kernel_w;
    const int64_t in_channels = g_.depthwise ? st.out.size : st.in.size;
    const int sh = g_.stride_h, s = g_.stride_w, dh = g_.dilation_h, dw = g_.dilation_w;
    if (!g_.depthwise && sh == 1 && s == 1 && taps == 1 && in_w == cols && in_h == rows) {
      pointwise_gemm(op, in_channels, rows * cols);
      return st.vectors + fill_drain_;
    }
    for (int64_t b = 0; b < st.batch.size; ++b) {
      for (int64_t o = 0; o < st.out.size; ++o) {
        uint32_t* acc =
            reinterpret_cast<uint32_t*>(op.outputs) + (b * st.out.size + o) * rows * cols;
        const int64_t first = g_.depthwise ? o : 0, last = g_.depthwise ? o + 1 : in_channels;
        for (int64_t c = first; c < last; ++c) {
          const int32_t* x = op.inputs + (b * in_channels + c) * in_h * in_w;
          const int32_t* w = op.weights + (g_.depthwise ? o : o * in_channels + c) * taps;
          for (int ky = 0; ky < g_.kernel_h; ++ky) {
            for (int kx = 0; kx < g_.kernel_w; ++kx) {
              const uint32_t wv = uint32_t(w[ky * g_.kernel_w + kx]);
              if (wv == 0) continue;
              if (sh == 1 && s == 1 && taps == 1 && in_w == cols) {
                // Pointwise: the window is the output tile itself, contiguous.
                for (int64_t p = 0; p < rows * cols; ++p) acc[p] += wv * uint32_t(x[p]);
                continue;
              }
              for (int64_t oy = 0; oy < rows; ++oy) {
                const int32_t* xr = x + (oy * sh + ky * dh) * in_w + kx * dw;
                uint32_t* ar = acc + oy * cols;
                if (s == 1) {
                  for (int64_t ox = 0; ox < cols; ++ox) ar[ox] += wv * uint32_t(xr[ox]);
                } else {
                  for (int64_t ox = 0; ox < cols; ++ox) ar[ox] += wv * uint32_t(xr[ox * s]);
                }
              }
            }
          }
        }
      }
    }
    return st.vectors + fill_drain_;
  }

  const char* name() const override { return "behavioural"; }

 private:
  using RowMajor = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  // outputs[b] (O x P) += weights (O x C) * inputs[b] (C x P), P = the tile's pixels.
  static void pointwise_gemm(const TileOperands& op, int64_t in_channels, int64_t pixels) {
    const TileStep& st = *op.step;
    const int64_t out = st.out.size;
    const Eigen::Map<const RowMajor> weights(op.weights, out, in_channels);
    for (int64_t b = 0; b < st.batch.size; ++b) {
      const Eigen::Map<const RowMajor> inputs(op.inputs + b * in_channels * pixels, in_channels,
                                              pixels);
      Eigen::Map<RowMajor> outputs(op.outputs + b * out * pixels, out, pixels);
      outputs.noalias() += weights * inputs;
    }
  }

  int64_t fill_drain_;
  LayerGeometry g_;
};

}  // namespace

std::unique_ptr<FusionArrayCore> make_behavioural_core(const BitFusionConfig& config) {
  return std::make_unique<BehaviouralCore>(config);
}

}  // namespace haqsim::bitfusion
