#include "sim/bismo/gemm_operands.h"

#include <algorithm>

namespace haqsim::bismo {

GemmOperands::GemmOperands(const LayerJob& job, const BismoLayerMapping& mapping)
    : l_(job.layer), job_(job), mapping_(mapping), g_(mapping.gemm) {
  taps_ = int64_t(l_.kernel_h) * l_.kernel_w;
  icg_ = l_.in_channels / l_.groups;
}

int64_t GemmOperands::row_channel(int64_t gi, int64_t m) const {
  switch (mapping_.kind) {
    case BismoMappingKind::kPerChannel:
      return gi;
    case BismoMappingKind::kBlockDiagonal:
      return channel_or_none(gi * mapping_.channels_per_instance + m);
    case BismoMappingKind::kWeightPlanes:
      return channel_or_none(gi * mapping_.channels_per_instance + m / mapping_.weight_planes);
    default:
      return gi * g_.m + m;
  }
}

void GemmOperands::weight_row(int64_t gi, int64_t m, int32_t* out) const {
  if (l_.kind != LayerKind::kDepthwise) {
    std::copy_n(job_.weights.data() + (gi * g_.m + m) * g_.k, g_.k, out);
    return;
  }
  std::fill(out, out + g_.k, 0);
  const int64_t c = row_channel(gi, m);
  if (c < 0) return;
  // Block-diagonal mappings: the row's channel owns its K slice; elsewhere zeros.
  const int64_t slice = mapping_.kind == BismoMappingKind::kPerChannel ? 0
                        : mapping_.kind == BismoMappingKind::kWeightPlanes
                            ? m / mapping_.weight_planes
                            : m;
  for (int64_t t = 0; t < taps_; ++t) {
    const int32_t w = job_.weights[c * taps_ + t];
    out[slice * taps_ + t] =
        mapping_.kind == BismoMappingKind::kWeightPlanes
            ? int32_t((uint32_t(w) >> (m % mapping_.weight_planes)) & 1u)  // one plane's bit
            : w;
  }
}

void GemmOperands::input_column(int64_t gi, int64_t n, int32_t* out) const {
  const int64_t ox = n % l_.out_width;
  const int64_t oy = (n / l_.out_width) % l_.out_height;
  const int64_t b = n / (int64_t(l_.out_width) * l_.out_height);
  int64_t k = 0;
  for (int64_t j = 0; k < g_.k; ++j) {
    int64_t channel;
    if (l_.kind != LayerKind::kDepthwise) {
      channel = gi * icg_ + j;
    } else if (mapping_.kind == BismoMappingKind::kPerChannel) {
      channel = gi;
    } else {
      channel = gi * mapping_.channels_per_instance + j;
    }
    const bool exists = channel < l_.in_channels;
    const int32_t* plane =
        exists ? job_.input.data() + (b * l_.in_channels + channel) * l_.in_height * l_.in_width
               : nullptr;
    for (int64_t ky = 0; ky < l_.kernel_h; ++ky) {
      const int64_t iy = oy * l_.stride_h - l_.pad_top + ky * l_.dilation_h;
      for (int64_t kx = 0; kx < l_.kernel_w; ++kx, ++k) {
        const int64_t ix = ox * l_.stride_w - l_.pad_left + kx * l_.dilation_w;
        const bool inside = exists && iy >= 0 && iy < l_.in_height && ix >= 0 && ix < l_.in_width;
        out[k] = inside ? plane[iy * l_.in_width + ix] : 0;  // zero padding
      }
    }
  }
}

void GemmOperands::input_columns(int64_t gi, int64_t n0, int64_t count, int32_t* out) const {
  const bool one_to_one = l_.kind != LayerKind::kDepthwise && taps_ == 1 && l_.stride_h == 1 &&
                          l_.stride_w == 1 && l_.pad_top == 0 && l_.pad_left == 0 &&
                          l_.in_height == l_.out_height && l_.in_width == l_.out_width &&
                          g_.k == icg_;
  if (!one_to_one) {
    for (int64_t i = 0; i < count; ++i) input_column(gi, n0 + i, out + i * g_.k);
    return;
  }
  // Column n is output pixel n, which reads input pixel n of each of the group's channels.
  const int64_t pixels = int64_t(l_.in_height) * l_.in_width;
  for (int64_t j = 0; j < g_.k; ++j) {
    const int64_t channel = gi * icg_ + j;
    const bool exists = channel < l_.in_channels;
    int64_t n = n0;
    while (n < n0 + count) {
      const int64_t b = n / pixels, pixel = n % pixels;
      const int64_t run = std::min(n0 + count - n, pixels - pixel);  // within one image
      int32_t* dst = out + (n - n0) * g_.k + j;
      if (exists) {
        const int32_t* src = job_.input.data() + (b * l_.in_channels + channel) * pixels + pixel;
        for (int64_t i = 0; i < run; ++i) dst[i * g_.k] = src[i];
      } else {
        for (int64_t i = 0; i < run; ++i) dst[i * g_.k] = 0;
      }
      n += run;
    }
  }
}

}  // namespace haqsim::bismo
