// reference_accumulators (sim/common/layer_job.h): the independent reference convolution every
// verified run compares an accelerator model with. It is its own plain convolution (a direct
// loop, and for 1x1 layers a blocked matrix product), sharing no code with any machine's
// datapath. Sums are taken modulo 2^32 in unsigned 32-bit lanes, which is what a 32-bit
// accumulator holds whatever the order of the additions: 32-bit lanes vectorize twice as wide
// as 64-bit ones, and AVX2 has no 64-bit multiply at all.
//
// Three shapes of loop, by what keeps the sums in registers or in L1:
// - 1x1, stride 1, unpadded with pixels (pointwise): per group out[oc][p] = sum over ic of
//   w[oc][ic] * x[ic][p]. A panel of kPanelDepth input channels x kPanelPixels pixels is copied
//   (zero-padded past the plane's end) to a contiguous buffer that stays in L1, and kRows output
//   channels x kPanelPixels pixels of sums are held in vector registers while the panel is
//   swept, so each input load feeds kRows multiplies and each weight load kPanelPixels.
// - the same with a single pixel per image (fully connected): one dot product per output,
//   vectorized along the input channels, which are contiguous in both operands.
// - everything else (strided, padded, dilated, grouped, depthwise): direct convolution, eight
//   output columns at a time with their sums in one vector register over every tap of the
//   window, reading input rows copied once per image into zero-padded rows split by stride
//   phase (so every tap's eight columns are contiguous and need no bounds check).
#include <algorithm>
#include <cstring>
#include <vector>

#include "sim/common/layer_job.h"

namespace haqsim {

namespace {

// Eight unsigned 32-bit lanes (one AVX2 register in the x86-64-v3 build); arithmetic on it
// wraps modulo 2^32 per lane like the scalar unsigned type.
using Lanes = uint32_t __attribute__((vector_size(32)));
constexpr int kLanes = 8;
constexpr int kPanelVectors = 3;
constexpr int kPanelPixels = kPanelVectors * kLanes;
constexpr int kRows = 4;          // output channels whose sums are in registers at once
constexpr int kPanelDepth = 256;  // input channels per panel: 24 KiB, within L1

Lanes load_lanes(const int32_t* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The first min(8, room) lanes of `v` to `dst`.
void store_lanes(const Lanes& v, uint32_t* dst, int64_t room) {
  if (room >= kLanes) {
    std::memcpy(dst, &v, sizeof v);
  } else {
    for (int64_t j = 0; j < room; ++j) dst[j] = v[j];
  }
}

// Sums of `rows` output channels over one panel, added to (or, for the first panel, stored in)
// the first `pixels` outputs of each row.
template <int rows>
void panel_product(const int32_t* weights, int64_t weight_stride, const Lanes* panel, int64_t depth,
                   uint32_t* out, int64_t out_stride, int64_t pixels, bool first_panel) {
  Lanes acc[rows][kPanelVectors] = {};
  for (int64_t k = 0; k < depth; ++k) {
    const Lanes* x = panel + k * kPanelVectors;
    for (int r = 0; r < rows; ++r) {
      const uint32_t w = static_cast<uint32_t>(weights[r * weight_stride + k]);
      for (int v = 0; v < kPanelVectors; ++v) acc[r][v] += w * x[v];
    }
  }
  for (int r = 0; r < rows; ++r) {
    uint32_t* dst = out + r * out_stride;
    if (pixels == kPanelPixels) {
      for (int v = 0; v < kPanelVectors; ++v) {
        Lanes sum = acc[r][v];
        if (!first_panel) {
          Lanes before;
          std::memcpy(&before, dst + v * kLanes, sizeof before);
          sum += before;
        }
        std::memcpy(dst + v * kLanes, &sum, sizeof sum);
      }
    } else {
      uint32_t sums[kPanelPixels];
      std::memcpy(sums, acc[r], sizeof sums);
      for (int64_t j = 0; j < pixels; ++j) dst[j] = first_panel ? sums[j] : dst[j] + sums[j];
    }
  }
}

void pointwise_reference(const LayerJob& job, uint32_t* out) {
  const LayerWorkload& l = job.layer;
  const int64_t icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  const int64_t plane = int64_t(l.out_height) * l.out_width;
  // One allocation per layer, reused by every panel. (Not kept across calls: a buffer that
  // outlives the layer pins the heap's top and raised peak RSS by a layer's size.)
  std::vector<Lanes> panel(size_t(kPanelDepth) * kPanelVectors);
  for (int64_t b = 0; b < l.batch; ++b) {
    for (int64_t g = 0; g < l.groups; ++g) {
      const int32_t* in = job.input.data() + (b * l.in_channels + g * icg) * plane;
      const int32_t* w = job.weights.data() + g * ocg * icg;
      uint32_t* dst = out + (b * l.out_channels + g * ocg) * plane;
      for (int64_t p0 = 0; p0 < plane; p0 += kPanelPixels) {
        const int64_t pixels = std::min<int64_t>(kPanelPixels, plane - p0);
        for (int64_t k0 = 0; k0 < icg; k0 += kPanelDepth) {
          const int64_t depth = std::min<int64_t>(kPanelDepth, icg - k0);
          for (int64_t k = 0; k < depth; ++k) {
            uint32_t* row = reinterpret_cast<uint32_t*>(panel.data() + k * kPanelVectors);
            const int32_t* x = in + (k0 + k) * plane + p0;
            for (int64_t j = 0; j < kPanelPixels; ++j) {
              row[j] = j < pixels ? static_cast<uint32_t>(x[j]) : 0u;
            }
          }
          int64_t oc = 0;
          for (; oc + kRows <= ocg; oc += kRows) {
            panel_product<kRows>(w + oc * icg + k0, icg, panel.data(), depth, dst + oc * plane + p0,
                                 plane, pixels, k0 == 0);
          }
          for (; oc < ocg; ++oc) {
            panel_product<1>(w + oc * icg + k0, icg, panel.data(), depth, dst + oc * plane + p0,
                             plane, pixels, k0 == 0);
          }
        }
      }
    }
  }
}

uint32_t dot(const int32_t* a, const int32_t* b, int64_t n) {
  Lanes acc = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) acc += load_lanes(a + i) * load_lanes(b + i);
  uint32_t sum = 0;
  for (int v = 0; v < kLanes; ++v) sum += acc[v];
  for (; i < n; ++i) sum += static_cast<uint32_t>(a[i]) * static_cast<uint32_t>(b[i]);
  return sum;
}

void fully_connected_reference(const LayerJob& job, uint32_t* out) {
  const LayerWorkload& l = job.layer;
  const int64_t icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  for (int64_t b = 0; b < l.batch; ++b) {
    for (int64_t oc = 0; oc < l.out_channels; ++oc) {
      const int32_t* x = job.input.data() + b * l.in_channels + oc / ocg * icg;
      out[b * l.out_channels + oc] = dot(job.weights.data() + oc * icg, x, icg);
    }
  }
}

// The input rows of one image and group, copied once into zero-padded rows split by column
// phase modulo the stride: phase p of a row holds padded columns p, p + stride, p + 2 stride...
// so the columns any kernel tap reads for consecutive output columns are consecutive, whatever
// the stride, and no read needs a bounds check (the pads and the lanes past the row's end are
// zeros). Row (channel c, input row y, phase p) starts at ((c * in_height + y) * stride + p) *
// row_length.
struct PhasedRows {
  int64_t row_length = 0;
  std::vector<int32_t> values;
};

void fill_phased_rows(const LayerWorkload& l, const int32_t* in, int channels, int64_t row_length,
                      PhasedRows& rows) {
  const int64_t s = l.stride_w, pad = l.pad_left, width = l.in_width, height = l.in_height;
  rows.row_length = row_length;
  rows.values.assign(size_t(channels * height * s * row_length), 0);
  // Phase p's element j is padded column j * s + p, input column j * s + p - pad: the elements
  // [first[p], last[p]) lie inside the image.
  std::vector<int64_t> first(static_cast<size_t>(s)), last(static_cast<size_t>(s));
  for (int64_t p = 0; p < s; ++p) {
    first[size_t(p)] = std::min(row_length, std::max<int64_t>(0, (pad - p + s - 1) / s));
    last[size_t(p)] =
        std::max(first[size_t(p)], std::min(row_length, (width - 1 + pad - p) / s + 1));
  }
  for (int64_t row = 0; row < channels * height; ++row) {
    const int32_t* src = in + row * width;
    int32_t* dst = rows.values.data() + row * s * row_length;
    for (int64_t p = 0; p < s; ++p) {
      int32_t* phase = dst + p * row_length;
      const int64_t begin = first[size_t(p)], end = last[size_t(p)];
      if (s == 1) {
        std::copy(src + begin - pad, src + end - pad, phase + begin);
      } else {
        for (int64_t j = begin; j < end; ++j) phase[j] = src[j * s + p - pad];
      }
    }
  }
}

void direct_reference(const LayerJob& job, uint32_t* out) {
  const LayerWorkload& l = job.layer;
  const int icg = l.in_channels / l.groups, ocg = l.out_channels / l.groups;
  const int s = l.stride_w, taps = l.kernel_h * l.kernel_w;
  const int64_t blocks = (l.out_width + kLanes - 1) / kLanes;
  const int64_t row_length = blocks * kLanes + int64_t(l.kernel_w - 1) * l.dilation_w / s;
  PhasedRows rows;  // per layer, reused by every image and group
  // One output row's taps that fall inside the image: where their phased input row segment
  // starts, and their weight.
  struct Tap {
    int64_t offset;
    uint32_t weight;
  };
  std::vector<Tap> row_taps(size_t(icg) * taps);
  // Where kernel column kx's reads for output column 0 start within an input row's phases.
  std::vector<int64_t> column_offset(static_cast<size_t>(l.kernel_w));
  for (int kx = 0; kx < l.kernel_w; ++kx) {
    const int64_t column = int64_t(kx) * l.dilation_w;
    column_offset[size_t(kx)] = column % s * row_length + column / s;
  }
  const int64_t in_h = l.in_height, out_h = l.out_height, out_w = l.out_width;
  const int64_t kh = l.kernel_h, kw = l.kernel_w;
  for (int64_t b = 0; b < l.batch; ++b) {
    for (int64_t g = 0; g < l.groups; ++g) {
      fill_phased_rows(l, job.input.data() + (b * l.in_channels + g * icg) * in_h * l.in_width, icg,
                       row_length, rows);
      const int32_t* phased = rows.values.data();
      for (int64_t oc = g * ocg; oc < (g + 1) * ocg; ++oc) {
        const int32_t* weights = job.weights.data() + oc * icg * taps;
        for (int64_t oy = 0; oy < out_h; ++oy) {
          Tap* tap = row_taps.data();
          for (int64_t ic = 0; ic < icg; ++ic) {
            for (int64_t ky = 0; ky < kh; ++ky) {
              const int64_t iy = oy * l.stride_h + ky * l.dilation_h - l.pad_top;
              if (iy < 0 || iy >= in_h) continue;
              const int64_t row = (ic * in_h + iy) * s * row_length;
              for (int64_t kx = 0; kx < kw; ++kx) {
                const uint32_t w = static_cast<uint32_t>(weights[(ic * kh + ky) * kw + kx]);
                if (w != 0) *tap++ = {row + column_offset[size_t(kx)], w};
              }
            }
          }
          const Tap* const taps_end = tap;
          uint32_t* dst = out + ((b * l.out_channels + oc) * out_h + oy) * out_w;
          int64_t block = 0;
          // Two blocks at once share each weight broadcast.
          for (; block + 2 <= blocks; block += 2) {
            const int32_t* src = phased + block * kLanes;
            Lanes acc0 = {}, acc1 = {};
            for (const Tap* t = row_taps.data(); t != taps_end; ++t) {
              acc0 += t->weight * load_lanes(src + t->offset);
              acc1 += t->weight * load_lanes(src + t->offset + kLanes);
            }
            store_lanes(acc0, dst + block * kLanes, out_w - block * kLanes);
            store_lanes(acc1, dst + (block + 1) * kLanes, out_w - (block + 1) * kLanes);
          }
          for (; block < blocks; ++block) {
            const int32_t* src = phased + block * kLanes;
            Lanes acc = {};
            for (const Tap* t = row_taps.data(); t != taps_end; ++t) {
              acc += t->weight * load_lanes(src + t->offset);
            }
            store_lanes(acc, dst + block * kLanes, out_w - block * kLanes);
          }
        }
      }
    }
  }
}

}  // namespace

std::vector<int32_t> reference_accumulators(const LayerJob& job) {
  const LayerWorkload& l = job.layer;
  std::vector<int32_t> out(size_t(l.output_elements()));
  // The sums are unsigned; the int32 accumulators are the same bits.
  uint32_t* sums = reinterpret_cast<uint32_t*>(out.data());
  const bool one_to_one = l.kernel_h == 1 && l.kernel_w == 1 && l.stride_h == 1 &&
                          l.stride_w == 1 && l.pad_top == 0 && l.pad_left == 0 &&
                          l.in_height == l.out_height && l.in_width == l.out_width;
  if (one_to_one && l.out_height * l.out_width == 1) {
    fully_connected_reference(job, sums);
  } else if (one_to_one) {
    pointwise_reference(job, sums);
  } else {
    direct_reference(job, sums);
  }
  return out;
}

}  // namespace haqsim
