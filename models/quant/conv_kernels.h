// The arithmetic of conv and fc layers for one image, shared by the float executor (float) and
// the integer reference (int32 accumulators), so both follow the exact same loop structure.
// Depthwise layers use a direct loop; other convolutions im2col and multiply with Eigen
// (1x1 stride-1 convolutions read the input in place).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <vector>

#include "models/layer.h"

namespace haqsim {

// out[O x OH x OW] = conv(in[C x H x W], w[O x C/g x KH x KW]); fc treats in as a vector.
template <typename T>
void conv_image(const Layer& l, const T* in, const T* w, T* out, std::vector<T>& scratch) {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Map = Eigen::Map<Matrix>;
  using ConstMap = Eigen::Map<const Matrix>;
  if (l.op == LayerOp::kFullyConnected) {
    Map(out, l.out_channels, 1).noalias() =
        ConstMap(w, l.out_channels, l.in_channels) * ConstMap(in, l.in_channels, 1);
    return;
  }
  const int H = l.in_height, W = l.in_width, OH = l.out_height, OW = l.out_width;
  const int KH = l.kernel_h, KW = l.kernel_w;
  const int SH = l.stride_h, SW = l.stride_w, DH = l.dilation_h, DW = l.dilation_w;
  const int PT = l.pad_top, PL = l.pad_left;
  const int cin_g = l.in_channels / l.groups, cout_g = l.out_channels / l.groups;
  if (cin_g == 1 && cout_g == 1) {  // depthwise
    for (int c = 0; c < l.in_channels; ++c) {
      const T* ic = in + size_t(c) * H * W;
      const T* wc = w + size_t(c) * KH * KW;
      T* oc = out + size_t(c) * OH * OW;
      for (int oy = 0; oy < OH; ++oy) {
        for (int ox = 0; ox < OW; ++ox) {
          T acc = 0;
          for (int ky = 0; ky < KH; ++ky) {
            const int y = oy * SH - PT + ky * DH;
            if (y < 0 || y >= H) continue;
            for (int kx = 0; kx < KW; ++kx) {
              const int x = ox * SW - PL + kx * DW;
              if (x < 0 || x >= W) continue;
              acc += wc[ky * KW + kx] * ic[y * W + x];
            }
          }
          oc[oy * OW + ox] = acc;
        }
      }
    }
    return;
  }
  const int N = OH * OW;
  const int K = cin_g * KH * KW;
  const bool direct =
      KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 && PL == 0 && OH == H && OW == W;
  for (int g = 0; g < l.groups; ++g) {
    const T* in_g = in + size_t(g) * cin_g * H * W;
    const T* cols = in_g;
    if (!direct) {
      scratch.assign(size_t(K) * N, T(0));
      for (int c = 0; c < cin_g; ++c) {
        for (int ky = 0; ky < KH; ++ky) {
          for (int kx = 0; kx < KW; ++kx) {
            T* row = &scratch[(size_t(c) * KH * KW + ky * KW + kx) * N];
            for (int oy = 0; oy < OH; ++oy) {
              const int y = oy * SH - PT + ky * DH;
              if (y < 0 || y >= H) continue;
              for (int ox = 0; ox < OW; ++ox) {
                const int x = ox * SW - PL + kx * DW;
                if (x >= 0 && x < W) row[oy * OW + ox] = in_g[(size_t(c) * H + y) * W + x];
              }
            }
          }
        }
      }
      cols = scratch.data();
    }
    Map(out + size_t(g) * cout_g * N, cout_g, N).noalias() =
        ConstMap(w + size_t(g) * cout_g * K, cout_g, K) * ConstMap(cols, K, N);
  }
}

}  // namespace haqsim
