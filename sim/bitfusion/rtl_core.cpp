// The verilated Fusion Unit array (rtl/bitfusion/bitfusion_array.sv) as the compute stage's
// core. Each step's vectors are built from the buffer halves in exactly the behavioural core's
// order (fusion_array_core.h) -- one packed activation word per row (depthwise: per Fusion Unit)
// and one packed weight word per Fusion Unit, as the IBUF and the WBUF banks deliver them -- and
// streamed into the array one per clock cycle; the column sums are de-skewed and added into the
// OBUF half, wrapping at 32 bits.
//
// The array runs on the machine's clock: one FusionStream lasts the whole layer, a step's vectors
// enter in the cycles the compute stage streams them (at_cycle() says where the machine is), and
// the previous step drains under them, as in hardware. A sum read from psum[j] in cycle c is
// added to the OBUF at the edge closing that cycle, so it is in the OBUF from cycle c + 1. The
// fill/drain the core reports is measured once on the array (one vector through the empty array)
// and then checked on every step: each step's last sum must land exactly `vectors + fill/drain`
// cycles after its first vector entered, or the run stops with std::logic_error. Untraced, cycles
// in which the array is empty and nothing enters are skipped, not simulated; traced, every cycle
// of the layer is clocked so the VCD's time is the machine's.
#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "rtl/bitfusion/fusion_array_rtl.h"
#include "rtl/bitfusion/fusion_operands.h"
#include "sim/bitfusion/fusion_array_core.h"
#include "sim/bitfusion/tiler.h"

namespace haqsim::bitfusion {

namespace {

class RtlCore : public FusionArrayCore {
 public:
  RtlCore(const BitFusionConfig& config, const TraceRequest* trace)
      : rtl_(rtl::make_fusion_array_rtl(config.rows, config.cols, trace != nullptr)),
        n_(config.rows),
        m_(config.cols) {
    fill_drain_ = measure_fill_drain();
    start_stream();
    if (trace) {
      // Machine cycle 0 is the array's current cycle; the VCD's time follows machine cycles.
      trace_ = *trace;
      rtl_->set_trace_origin(rtl_->cycle());
      rtl_->trace_open(trace->path);
      rtl_->trace_enable(trace_->in_window(0));
    }
  }

  ~RtlCore() override {
    if (trace_) rtl_->trace_close();
  }

  void configure(const LayerGeometry& geometry) override {
    // A layer starts with an empty array at machine cycle 0 (each layer runs in a fresh SystemC
    // context); the precision and the mode hold for all its steps. A layer ends with an empty
    // array (its last sums are in the OBUF before the store stage reads them), unless it was
    // abandoned by an exception: then its vectors are dropped, not delivered into buffers that
    // no longer exist.
    if (!stream_->empty() || !steps_.empty()) {
      steps_.clear();
      rtl_->reset();
      start_stream();
    }
    now_ = 0;
    g_ = geometry;
    pf_ = rtl::fusion_products_per_cycle(g_.bits.abits, g_.bits.wbits);
    if (pf_ != bitfusion_products_per_unit(g_.bits.wbits, g_.bits.abits)) {
      throw std::logic_error(
          "BitFusion RTL core: products per Fusion Unit disagree with the tiler");
    }
    rtl_->set_precision({g_.bits.abits, g_.input_signed, g_.bits.wbits, /*w_signed=*/true});
    row_shared_dw_ = g_.depthwise && g_.dw_mapping == BitFusionDepthwiseMapping::kRowShared;
    rtl_->set_act_per_unit(g_.depthwise && !row_shared_dw_);
  }

  void at_cycle(int64_t machine_cycle) override { advance_to(machine_cycle); }

  int64_t execute(const TileOperands& op) override {
    const TileStep& st = *op.step;
    Step s;
    s.obuf = reinterpret_cast<uint32_t*>(op.outputs);
    s.batch = st.batch.size;
    s.out = st.out.size;
    s.group_width = g_.depthwise ? g_.dw_layout.channels_per_vector : m_;
    s.groups = (s.out + s.group_width - 1) / s.group_width;
    s.pixels = st.out_rows.size * st.out_cols.size;
    const int64_t lanes = int64_t(n_) * pf_;
    const int64_t taps = int64_t(g_.kernel_h) * g_.kernel_w;
    s.taps = g_.depthwise ? 1 : taps;
    s.reduction = g_.depthwise ? taps : st.in.size;
    s.chunks = g_.depthwise ? g_.dw_layout.chunks : (s.reduction + lanes - 1) / lanes;
    s.out_cols = st.out_cols.size;
    s.in_rows = st.in_rows.size;
    s.in_cols = st.in_cols.size;
    s.count = s.batch * s.groups * s.pixels * s.taps * s.chunks;
    if (s.count != st.vectors) {
      throw std::logic_error("BitFusion RTL core: " + std::to_string(s.count) +
                             " vectors for a step the schedule counts " +
                             std::to_string(st.vectors));
    }
    s.first = stream_->started();
    s.lands_at = now_ + s.count + fill_drain_;
    steps_.push_back(s);
    if (row_shared_dw_) {
      pack_row_shared_weights(op, s);
    } else if (g_.depthwise) {
      pack_depthwise_weights(op, s);
    } else {
      pack_weights(op, s);
      pack_inputs(op, s);
    }
    for (int64_t v = 0; v < s.count; ++v) {
      if (row_shared_dw_) {
        fill_row_shared(op, s, v, stream_->next_vector());
      } else if (g_.depthwise) {
        fill_depthwise(op, s, v, stream_->next_vector());
      } else {
        fill(s, v, stream_->next_vector());
      }
      tick();
    }
    return s.count + fill_drain_;
  }

  const char* name() const override { return "rtl"; }

 private:
  // A step whose sums are still on their way to the OBUF, and how its vectors are numbered:
  // vector index = (((b * groups + g) * pixels + p) * taps + t) * chunks + c.
  struct Step {
    uint32_t* obuf = nullptr;
    int64_t batch = 0, out = 0, groups = 0, pixels = 0, taps = 1, chunks = 1, count = 0;
    int64_t group_width = 1;  // output channels per column group (M, or G for dw:row_shared)
    int64_t reduction = 0;    // what the rows split: input channels, or a depthwise layer's taps
    int64_t out_cols = 0, in_rows = 0, in_cols = 0;
    uint64_t first = 0;    // stream index of its first vector
    int64_t lands_at = 0;  // machine cycle from which its last sum is in the OBUF
  };

  // One vector through the empty array: the cycles from its first step until its last sum is in
  // the OBUF, minus the one cycle of the vector itself.
  int64_t measure_fill_drain() {
    int64_t read_in = -1, cycle = 0;
    rtl::FusionStream probe(*rtl_, [&](std::size_t, const int32_t*) { read_in = cycle; });
    probe.next_vector().row_valid = 1;
    for (; read_in < 0; ++cycle) {
      if (cycle > 4 * (n_ + m_) + 16) {
        throw std::logic_error("BitFusion RTL core: the array never delivered a probe vector");
      }
      probe.step();
    }
    // Read after the step of cycle read_in, i.e. on psum during cycle read_in + 1, in the OBUF
    // from read_in + 2; the vector entered in cycle 0.
    return read_in + 2 - 1;
  }

  void start_stream() {
    stream_.emplace(*rtl_, [this](std::size_t v, const int32_t* sums) { land(v, sums); });
  }

  // One clock cycle of the array at machine cycle now_.
  void tick() {
    if (trace_) rtl_->trace_enable(trace_->in_window(now_));
    stream_->step();
    ++now_;
  }

  void advance_to(int64_t machine_cycle) {
    while (now_ < machine_cycle && (trace_ || !stream_->empty())) tick();
    now_ = std::max(now_, machine_cycle);
  }

  // Column sums of stream vector v, read during machine cycle now_ (tick() has not counted it
  // yet): into the OBUF half of the step they belong to.
  void land(std::size_t v, const int32_t* sums) {
    if (steps_.empty()) throw std::logic_error("BitFusion RTL core: a sum without a step");
    const Step& s = steps_.front();
    int64_t index = int64_t(v - s.first) / (s.taps * s.chunks);
    const int64_t p = index % s.pixels;
    index /= s.pixels;
    const int64_t g = index % s.groups, b = index / s.groups;
    const int64_t columns = std::min<int64_t>(s.group_width, s.out - g * s.group_width);
    uint32_t* out = s.obuf + (b * s.out + g * s.group_width) * s.pixels + p;
    for (int64_t j = 0; j < columns; ++j) out[j * s.pixels] += uint32_t(sums[j]);
    if (int64_t(v - s.first) == s.count - 1) {
      // On psum during cycle now_ + 1, added at the edge closing it: in the OBUF from now_ + 2.
      if (now_ + 2 != s.lands_at) {
        throw std::logic_error("BitFusion RTL core: a step's last sum landed in cycle " +
                               std::to_string(now_ + 2) + ", not " + std::to_string(s.lands_at) +
                               " as the measured fill/drain says (timing contract broken)");
      }
      steps_.pop_front();
    }
  }

  // --- operand packing (rtl/bitfusion/fusion_operands.h) -----------------------------------

  uint32_t pack(const int32_t* values, int count, bool activations) const {
    return activations ? rtl::pack_fusion_operands(values, count, g_.bits.abits, g_.input_signed)
                       : rtl::pack_fusion_operands(values, count, g_.bits.wbits, true);
  }

  // Standard convolutions. WBUF half: [out][in][taps]. Words per (group, tap, chunk), one per
  // Fusion Unit, [i * M + j].
  void pack_weights(const TileOperands& op, const Step& s) {
    const int64_t in = op.step->in.size, taps = s.taps, cells = int64_t(n_) * m_;
    weight_words_.assign(size_t(s.groups * taps * s.chunks * cells), 0);
    int32_t values[16];  // pf <= 16
    for (int64_t g = 0; g < s.groups; ++g) {
      for (int64_t t = 0; t < taps; ++t) {
        for (int64_t c = 0; c < s.chunks; ++c) {
          uint32_t* words = &weight_words_[size_t(((g * taps + t) * s.chunks + c) * cells)];
          for (int i = 0; i < n_; ++i) {
            const int64_t first = (c * n_ + i) * pf_;
            if (first >= in) break;
            const int count = int(std::min<int64_t>(pf_, in - first));
            for (int j = 0; j < m_ && g * m_ + j < s.out; ++j) {
              const int32_t* w = op.weights + ((g * m_ + j) * in + first) * taps + t;
              for (int k = 0; k < count; ++k) values[k] = w[k * taps];
              words[i * m_ + j] = pack(values, count, false);
            }
          }
        }
      }
    }
  }

  // IBUF half: [batch][in][in_rows][in_cols]. Row words per (batch, chunk, row, position).
  void pack_inputs(const TileOperands& op, const Step& s) {
    const TileStep& st = *op.step;
    const int64_t in = st.in.size, plane = st.in_rows.size * st.in_cols.size;
    input_words_.assign(size_t(s.batch * s.chunks * n_ * plane), 0);
    int32_t values[16];  // pf <= 16
    for (int64_t b = 0; b < s.batch; ++b) {
      for (int64_t c = 0; c < s.chunks; ++c) {
        for (int i = 0; i < n_; ++i) {
          const int64_t first = (c * n_ + i) * pf_;
          if (first >= in) break;
          const int count = int(std::min<int64_t>(pf_, in - first));
          const int32_t* x = op.inputs + (b * in + first) * plane;
          uint32_t* words = &input_words_[size_t(((b * s.chunks + c) * n_ + i) * plane)];
          for (int64_t q = 0; q < plane; ++q) {
            for (int k = 0; k < count; ++k) values[k] = x[k * plane + q];
            words[q] = pack(values, count, true);
          }
        }
      }
    }
  }

  // Vector v of a standard convolution step: the rows' words at its pixel and tap, the weights of
  // its (group, tap, chunk).
  void fill(const Step& s, int64_t v, rtl::FusionVector& vec) const {
    const int64_t c = v % s.chunks;
    v /= s.chunks;
    const int64_t t = v % s.taps;
    v /= s.taps;
    const int64_t p = v % s.pixels;
    v /= s.pixels;
    const int64_t g = v % s.groups, b = v / s.groups;
    const int64_t y = (p / s.out_cols) * g_.stride_h + (t / g_.kernel_w) * g_.dilation_h;
    const int64_t x = (p % s.out_cols) * g_.stride_w + (t % g_.kernel_w) * g_.dilation_w;
    const int64_t plane = s.in_rows * s.in_cols;
    const uint32_t* rows =
        &input_words_[size_t((b * s.chunks + c) * n_ * plane + y * s.in_cols + x)];
    for (int i = 0; i < n_; ++i) {
      const bool valid = (c * n_ + i) * pf_ < s.reduction;
      if (valid) vec.row_valid |= uint64_t{1} << i;
      vec.act[i] = valid ? rows[i * plane] : 0;
    }
    const size_t cells = size_t(n_) * m_;
    std::memcpy(vec.weights, &weight_words_[size_t((g * s.taps + t) * s.chunks + c) * cells],
                cells * sizeof(uint32_t));
  }

  // Depthwise layers. WBUF half: [out][taps]. Words per (group, chunk of taps), one per Fusion
  // Unit: row i takes taps [(c * N + i) * pf, + pf) of column j's channel.
  void pack_depthwise_weights(const TileOperands& op, const Step& s) {
    const int64_t taps = s.reduction, cells = int64_t(n_) * m_;
    weight_words_.assign(size_t(s.groups * s.chunks * cells), 0);
    for (int64_t g = 0; g < s.groups; ++g) {
      for (int64_t c = 0; c < s.chunks; ++c) {
        uint32_t* words = &weight_words_[size_t((g * s.chunks + c) * cells)];
        for (int i = 0; i < n_; ++i) {
          const int64_t first = (c * n_ + i) * pf_;
          if (first >= taps) break;
          const int count = int(std::min<int64_t>(pf_, taps - first));
          for (int j = 0; j < m_ && g * m_ + j < s.out; ++j) {
            words[i * m_ + j] = pack(op.weights + (g * m_ + j) * taps + first, count, false);
          }
        }
      }
    }
  }

  // A depthwise step's vector index as (chunk, output pixel, group, batch entry), chunks
  // fastest: the order both depthwise mappings stream their vectors in.
  static std::array<int64_t, 4> depthwise_vector(const Step& s, int64_t v) {
    const int64_t c = v % s.chunks;
    v /= s.chunks;
    const int64_t p = v % s.pixels;
    v /= s.pixels;
    return {c, p, v % s.groups, v / s.groups};
  }

  // Vector v of a depthwise step: every Fusion Unit's own activation word (IBUF half:
  // [batch][channel][in_rows][in_cols], the channels being the step's output channels).
  void fill_depthwise(const TileOperands& op, const Step& s, int64_t v,
                      rtl::FusionVector& vec) const {
    const auto [c, p, g, b] = depthwise_vector(s, v);
    const int64_t oy = (p / s.out_cols) * g_.stride_h, ox = (p % s.out_cols) * g_.stride_w;
    const int64_t plane = s.in_rows * s.in_cols;
    int32_t values[16];
    for (int i = 0; i < n_; ++i) {
      const int64_t first = (c * n_ + i) * pf_;
      const bool valid = first < s.reduction;
      if (valid) vec.row_valid |= uint64_t{1} << i;
      const int count = valid ? int(std::min<int64_t>(pf_, s.reduction - first)) : 0;
      for (int j = 0; j < m_; ++j) {
        const int64_t o = g * m_ + j;
        uint32_t word = 0;
        if (count > 0 && o < s.out) {
          const int32_t* x = op.inputs + (b * s.out + o) * plane;
          for (int k = 0; k < count; ++k) {
            const int64_t t = first + k;
            values[k] = x[(oy + (t / g_.kernel_w) * g_.dilation_h) * s.in_cols + ox +
                          (t % g_.kernel_w) * g_.dilation_w];
          }
          word = pack(values, count, true);
        }
        vec.act[size_t(i) * m_ + j] = word;
      }
    }
    const size_t cells = size_t(n_) * m_;
    std::memcpy(vec.weights, &weight_words_[size_t(g * s.chunks + c) * cells],
                cells * sizeof(uint32_t));
  }

  // dw:row_shared. Lane L = (c * N + i) * pf + k of chunk c carries tap L % taps of the group's
  // channel L / taps (with one channel per group, L runs over its taps chunk by chunk). Words per
  // (group, chunk), one per Fusion Unit: column j holds its channel's weights on its channel's
  // lanes and zeros on the others, so it sums its own channel only.
  void pack_row_shared_weights(const TileOperands& op, const Step& s) {
    const int64_t taps = s.reduction, cells = int64_t(n_) * m_;
    weight_words_.assign(size_t(s.groups * s.chunks * cells), 0);
    int32_t values[16];  // pf <= 16
    for (int64_t g = 0; g < s.groups; ++g) {
      const int64_t channels = std::min(s.group_width, s.out - g * s.group_width);
      for (int64_t c = 0; c < s.chunks; ++c) {
        uint32_t* words = &weight_words_[size_t((g * s.chunks + c) * cells)];
        for (int i = 0; i < n_; ++i) {
          for (int64_t j = 0; j < channels; ++j) {
            bool any = false;
            for (int k = 0; k < pf_; ++k) {
              const int64_t lane = (c * n_ + i) * pf_ + k;
              const bool mine = lane < channels * taps && lane / taps == j;
              values[k] = mine ? op.weights[(g * s.group_width + j) * taps + lane % taps] : 0;
              any |= mine;
            }
            if (any) words[i * m_ + j] = pack(values, pf_, false);
          }
        }
      }
    }
  }

  // Vector v of a dw:row_shared step: one activation word per row, shared along it (IBUF half:
  // [batch][channel][in_rows][in_cols]).
  void fill_row_shared(const TileOperands& op, const Step& s, int64_t v,
                       rtl::FusionVector& vec) const {
    const auto [c, p, g, b] = depthwise_vector(s, v);
    const int64_t taps = s.reduction;
    const int64_t channels = std::min(s.group_width, s.out - g * s.group_width);
    const int64_t oy = (p / s.out_cols) * g_.stride_h, ox = (p % s.out_cols) * g_.stride_w;
    const int64_t plane = s.in_rows * s.in_cols;
    int32_t values[16];
    for (int i = 0; i < n_; ++i) {
      bool any = false;
      for (int k = 0; k < pf_; ++k) {
        const int64_t lane = (c * n_ + i) * pf_ + k;
        values[k] = 0;
        if (lane >= channels * taps) continue;
        const int64_t channel = g * s.group_width + lane / taps, t = lane % taps;
        values[k] = op.inputs[(b * s.out + channel) * plane +
                              (oy + (t / g_.kernel_w) * g_.dilation_h) * s.in_cols + ox +
                              (t % g_.kernel_w) * g_.dilation_w];
        any = true;
      }
      if (any) vec.row_valid |= uint64_t{1} << i;
      vec.act[i] = any ? pack(values, pf_, true) : 0;
    }
    const size_t cells = size_t(n_) * m_;
    std::memcpy(vec.weights, &weight_words_[size_t(g * s.chunks + c) * cells],
                cells * sizeof(uint32_t));
  }

  bool row_shared_dw_ = false;
  std::unique_ptr<rtl::FusionArrayRtl> rtl_;
  int n_, m_;
  int64_t fill_drain_ = 0;
  std::optional<rtl::FusionStream> stream_;
  std::optional<TraceRequest> trace_;
  LayerGeometry g_;
  int pf_ = 1;
  int64_t now_ = 0;  // machine cycle of the array's next clock cycle
  std::deque<Step> steps_;
  std::vector<uint32_t> weight_words_, input_words_;
};

}  // namespace

std::unique_ptr<FusionArrayCore> make_rtl_core(const BitFusionConfig& config) {
  return std::make_unique<RtlCore>(config, nullptr);
}

std::unique_ptr<FusionArrayCore> make_traced_rtl_core(const BitFusionConfig& config,
                                                      const TraceRequest& trace) {
  return std::make_unique<RtlCore>(config, &trace);
}

}  // namespace haqsim::bitfusion
