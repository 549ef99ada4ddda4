// Behavioural Fusion Unit array: each step is a direct convolution of the buffer halves, in
// 32-bit wrapping arithmetic like the OBUF registers (unsigned lanes, which wrap modulo 2^32).
// The order of the additions differs from the array's (sums modulo 2^32 do not depend on it);
// the cycle count is the array's, vector for vector, and the skew is the one
// bitfusion_fill_drain_cycles() states. The innermost loop runs over output columns and
// vectorizes; a pointwise step, whose window is the output tile itself, is a matrix product
// (outputs += weights x inputs) done as register-blocked dot products along the input channels
// instead of one pass over the tile per (output, input) channel pair. (Eigen's int32 GEMM did it
// before; on these tiles of 2 to 56 pixels it ran at a fifth of the dot products' speed.)
#include <cstring>
#include <vector>

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
  // Eight unsigned 32-bit lanes (one AVX2 register in the x86-64-v3 build), wrapping modulo
  // 2^32 like the OBUF registers.
  using Lanes = uint32_t __attribute__((vector_size(32)));
  static constexpr int64_t kLanes = 8;

  static Lanes load_lanes(const int32_t* p) {
    Lanes v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }

  // outputs[r][q] += sum over c of weights[r][c] * pixels[q][c] for a block of `rows` output
  // channels and `cols` pixels, the sums of each (r, q) in vector lanes along the channels.
  template <int rows, int cols>
  static void dot_block(const int32_t* weights, const int32_t* pixels, int64_t channels,
                        int32_t* outputs, int64_t output_stride) {
    Lanes acc[rows][cols] = {};
    int64_t c = 0;
    for (; c + kLanes <= channels; c += kLanes) {
      Lanes x[cols];
      for (int q = 0; q < cols; ++q) x[q] = load_lanes(pixels + q * channels + c);
      for (int r = 0; r < rows; ++r) {
        const Lanes w = load_lanes(weights + r * channels + c);
        for (int q = 0; q < cols; ++q) acc[r][q] += w * x[q];
      }
    }
    for (int r = 0; r < rows; ++r) {
      for (int q = 0; q < cols; ++q) {
        uint32_t sum = 0;
        for (int64_t lane = 0; lane < kLanes; ++lane) sum += acc[r][q][lane];
        for (int64_t t = c; t < channels; ++t) {
          sum += uint32_t(weights[r * channels + t]) * uint32_t(pixels[q * channels + t]);
        }
        int32_t& out = outputs[r * output_stride + q];
        out = int32_t(uint32_t(out) + sum);
      }
    }
  }

  template <int rows>
  static void dot_rows(const int32_t* weights, const int32_t* pixels, int64_t channels,
                       int64_t pixel_count, int32_t* outputs) {
    int64_t q = 0;
    for (; q + 4 <= pixel_count; q += 4) {
      dot_block<rows, 4>(weights, pixels + q * channels, channels, outputs + q, pixel_count);
    }
    for (; q + 2 <= pixel_count; q += 2) {
      dot_block<rows, 2>(weights, pixels + q * channels, channels, outputs + q, pixel_count);
    }
    for (; q < pixel_count; ++q) {
      dot_block<rows, 1>(weights, pixels + q * channels, channels, outputs + q, pixel_count);
    }
  }

  // outputs[b] (O x P) += weights (O x C) * inputs[b] (C x P), P = the tile's pixels. The tiles
  // have few pixels (2 to 56) and many channels, so each output is a dot product along the
  // channels, on the inputs transposed to pixel-major (C x P -> P x C, contiguous channels like
  // the weights), four outputs by up to four pixels at a time so that each load feeds four
  // multiplies.
  void pointwise_gemm(const TileOperands& op, int64_t in_channels, int64_t pixels) {
    const TileStep& st = *op.step;
    const int64_t out = st.out.size;
    if (transposed_.size() < size_t(in_channels * pixels)) {
      transposed_.resize(size_t(in_channels * pixels));
    }
    for (int64_t b = 0; b < st.batch.size; ++b) {
      const int32_t* inputs = op.inputs + b * in_channels * pixels;
      for (int64_t c = 0; c < in_channels; ++c) {
        for (int64_t p = 0; p < pixels; ++p) {
          transposed_[size_t(p * in_channels + c)] = inputs[c * pixels + p];
        }
      }
      int32_t* outputs = op.outputs + b * out * pixels;
      int64_t o = 0;
      for (; o + 4 <= out; o += 4) {
        dot_rows<4>(op.weights + o * in_channels, transposed_.data(), in_channels, pixels,
                    outputs + o * pixels);
      }
      for (; o < out; ++o) {
        dot_rows<1>(op.weights + o * in_channels, transposed_.data(), in_channels, pixels,
                    outputs + o * pixels);
      }
    }
  }

  std::vector<int32_t> transposed_;  // one image's inputs, pixel-major; reused by every step
  int64_t fill_drain_;
  LayerGeometry g_;
};

}  // namespace

std::unique_ptr<FusionArrayCore> make_behavioural_core(const BitFusionConfig& config) {
  return std::make_unique<BehaviouralCore>(config);
}

}  // namespace haqsim::bitfusion
