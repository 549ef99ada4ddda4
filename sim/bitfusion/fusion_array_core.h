// The compute core of BitFusion's compute stage: the N x M systolic array of Fusion Units
// (N rows reduce input channels, M columns produce output channels) with the accumulators at
// the bottom of each column that add into the OBUF. The compute stage owns timing; a core
// computes one tile step and reports how long the array was occupied by it, from the first
// vector entering row 0 to the last sum landing in the OBUF: the vectors (one per cycle) plus
// the fill/drain of the systolic skew. The behavioural core assumes the fill/drain
// (bitfusion_fill_drain_cycles); the RTL core measures it on the verilated array and checks every
// step against it.
//
// Vector order within a step (what one cycle computes): for each batch image, each group of M
// output channels, each output pixel and, for standard convolutions, each kernel tap, one cycle
// per chunk of N * pf input channels (pf products per Fusion Unit at the layer's precision); row
// i of the array takes input channels [i * pf, (i + 1) * pf) of the chunk, and Fusion Unit (i, j)
// the weights of output channel j for them, read from its own WBUF bank every cycle (so the
// weights change from one vector to the next; a fully connected layer changes them every cycle).
// Depthwise layers put the kernel taps on the reduction lanes (bitfusion_depthwise_layout):
// - `dw:row_shared` (default; the published array): the N * pf lanes of a vector hold the taps of
//   G = floor(N * pf / taps) channels side by side (lane L: channel L / taps of the column group,
//   tap L % taps), the rows' activation words shared along the rows as BitFusion's IBUF delivers
//   them, and Fusion Unit (i, j) holds channel j's weights on the lanes of channel j and zeros
//   elsewhere, so column j sums channel j only; one vector per pixel and group of G channels
//   (when one channel's taps exceed the lanes, G = 1 and its taps take ceil(taps / (N * pf))
//   vectors).
// - `dw:taps_on_rows` (needs `act_per_unit: true`, an extension): one chunk of N * pf taps per
//   cycle on the M columns' M channels, each Fusion Unit given its own activation word (the
//   RTL's act_per_unit input, rtl/bitfusion/bitfusion_array.sv).
// Partial sums wrap at 32 bits like the OBUF registers.
#pragma once

#include <cstdint>
#include <memory>

#include "models/policy.h"
#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"
#include "sim/common/trace_request.h"

namespace haqsim::bitfusion {

// Geometry of the layer being run, fixed for all its steps.
struct LayerGeometry {
  int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  bool depthwise = false;
  LayerBits bits;
  bool input_signed = true;  // weights are always signed
  // Depthwise layers: how the (channel, tap) products are laid out.
  BitFusionDepthwiseMapping dw_mapping = BitFusionDepthwiseMapping::kRowShared;
  DepthwiseLayout dw_layout;
};

// One step's operands, as the buffer halves hold them.
struct TileOperands {
  const TileStep* step = nullptr;
  // WBUF half: [out][in][kh][kw] (depthwise: [out][kh][kw]) for the step's channel ranges.
  const int32_t* weights = nullptr;
  // IBUF half: [batch][channel][in_rows][in_cols], the step's window of the zero-padded input
  // (channel = the step's input channels, or its output channels for depthwise layers).
  const int32_t* inputs = nullptr;
  // OBUF half: [batch][out][out_rows][out_cols] partial sums, accumulated in place.
  int32_t* outputs = nullptr;
};

class FusionArrayCore {
 public:
  virtual ~FusionArrayCore() = default;
  // Sets the precision and shape for the steps that follow.
  virtual void configure(const LayerGeometry& geometry) = 0;
  // Computes one step; returns the cycles from its first vector entering the array to its last
  // partial sum in the OBUF, as if the array were empty when it began (>= step.vectors).
  virtual int64_t execute(const TileOperands& operands) = 0;
  virtual const char* name() const = 0;
  // The machine is at `machine_cycle`: every partial sum due in the OBUF before it must be there,
  // and the next execute() starts at it or later. The compute stage calls it before each
  // execute(), the store stage before it reads a tile out of the OBUF. A core that computes a
  // step at once (the behavioural one) ignores it; the RTL core keeps its array's clock there.
  virtual void at_cycle(int64_t /*machine_cycle*/) {}
};

// Plain C++ loops over the buffer halves; the skew is assumed, not simulated.
std::unique_ptr<FusionArrayCore> make_behavioural_core(const BitFusionConfig& config);
// The verilated Fusion Unit array (rtl/bitfusion/), stepped cycle by cycle; throws
// std::invalid_argument, naming the built variants, when the config's rows x cols has none.
std::unique_ptr<FusionArrayCore> make_rtl_core(const BitFusionConfig& config);
// The same, recording the array's signals into trace.path during the trace's cycle window (the
// array is clocked through every machine cycle of the layer, so the VCD's cycles are the
// machine's).
std::unique_ptr<FusionArrayCore> make_traced_rtl_core(const BitFusionConfig& config,
                                                      const TraceRequest& trace);

}  // namespace haqsim::bitfusion
