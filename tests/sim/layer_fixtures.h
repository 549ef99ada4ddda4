// Small hand-made layers for the accelerator model tests.
#pragma once

#include "models/workload.h"

namespace haqsim::testing {

// A square convolution with "same" padding, lowered at `batch`.
inline LayerWorkload conv_workload(int in_c, int out_c, int hw, int kernel, int stride, int groups,
                                   int batch, bool input_signed) {
  Layer l;
  l.name = "test";
  l.op = LayerOp::kConv;
  l.in_channels = in_c;
  l.in_height = l.in_width = hw;
  l.out_channels = out_c;
  l.kernel_h = l.kernel_w = kernel;
  l.set_stride_pad(stride, (kernel - 1) / 2);
  l.groups = groups;
  l.out_height = l.out_width = l.geometry_out_height();
  l.input_unsigned = !input_signed;
  return lower_layer(l, batch);
}

}  // namespace haqsim::testing
