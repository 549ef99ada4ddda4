// The verilated Stripes tile (rtl/stripes/) as the compute stage's core. Every tile of a pass runs
// on the one verilated tile, one after the other: tiles are identical and independent (each holds
// its own filters and sees the same broadcast activations), so the sums are the same and the pass
// takes, in machine time, what one tile takes. Each bit of each brick is one clock cycle of the
// RTL, the weight preload and the column groups' stagger included, and the core checks that the
// cycles it clocked are the plan's; the drain after the last bit is measured on the RTL (the
// column groups' sums are then added outside the tile, P - 1 cycles the plan accounts for).
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "rtl/stripes/stripes_tile_rtl.h"
#include "sim/stripes/sip_array_core.h"
#include "sim/stripes/stripes_plan.h"

namespace haqsim::stripes {

namespace {

class RtlCore : public SipArrayCore {
 public:
  RtlCore(const StripesConfig& config, const TraceRequest* trace)
      : rtl_(rtl::make_stripes_tile_rtl(config.filters_per_tile, config.windows, config.lanes,
                                        trace != nullptr)),
        rows_(config.filters_per_tile),
        cols_(config.windows),
        lanes_(config.lanes),
        act_bits_(size_t(cols_) * lanes_),
        bus_(size_t(rows_) * lanes_),
        valid_(size_t(cols_)),
        clear_(size_t(cols_)),
        shift_(size_t(cols_)),
        negate_(size_t(cols_)),
        load_(size_t(cols_)) {
    if (trace) {
      trace_ = *trace;
      rtl_->trace_open(trace->path);
      rtl_->trace_enable(false);
    }
  }

  ~RtlCore() override {
    if (trace_) rtl_->trace_close();
  }

  void at_cycle(int64_t machine_cycle) override { pass_start_ = machine_cycle; }

  void run_pass(const SipPass& pass, int32_t* out) override {
    const int groups = pass.column_groups;
    if (groups * pass.windows > cols_) {
      throw std::logic_error("Stripes pass has more columns than the verilated tile");
    }
    for (int t = 0; t < pass.tiles; ++t) {
      // Tile 0's waveform follows machine cycles: cycle 0 of the pass is pass_start_.
      if (trace_ && t == 0) rtl_->set_trace_origin(rtl_->cycle() - uint64_t(pass_start_));
      const int64_t clocked = stream_tile(pass, t, trace_ && t == 0);
      const int64_t expected = pass.stream_cycles - (groups - 1);
      if (clocked != expected) {
        throw std::logic_error("Stripes RTL pass took " + std::to_string(clocked) +
                               " cycles, the plan says " + std::to_string(expected));
      }
      drain_ = drain();
      if (trace_) rtl_->trace_enable(false);
      // The column groups' partial sums of each (filter, window), added outside the tile.
      for (int f = 0; f < pass.filters; ++f) {
        for (int w = 0; w < pass.windows; ++w) {
          uint32_t sum = 0;
          for (int g = 0; g < std::min<int64_t>(groups, pass.bricks); ++g) {
            sum += uint32_t(rtl_->acc(f, g * pass.windows + w));
          }
          out[(int64_t(t) * pass.filters + f) * pass.windows + w] = int32_t(sum);
        }
      }
    }
  }

  int64_t drain_cycles() override { return drain_; }
  const char* name() const override { return "rtl"; }

 private:
  // Clocks one tile through the pass; returns the cycles from the first preload to the last bit.
  // Column group g takes bricks g, g + P, ... back to back from cycle 1 + g; each brick's weights
  // are loaded in the cycle before its first bit (its previous brick's last bit).
  int64_t stream_tile(const SipPass& pass, int tile, bool traced) {
    const int groups = pass.column_groups, bits = pass.abits;
    std::vector<int64_t> count(static_cast<size_t>(groups), 0);
    int64_t end = 0;
    for (int g = 0; g < groups; ++g) {
      count[size_t(g)] = g < pass.bricks ? (pass.bricks - g + groups - 1) / groups : 0;
      if (count[size_t(g)] > 0) end = std::max(end, g + count[size_t(g)] * bits + 1);
    }
    for (int64_t c = 0; c < end; ++c) {
      std::fill(valid_.begin(), valid_.end(), 0);
      std::fill(load_.begin(), load_.end(), 0);
      std::fill(clear_.begin(), clear_.end(), 0);
      std::fill(negate_.begin(), negate_.end(), 0);
      std::fill(shift_.begin(), shift_.end(), 0);
      std::fill(act_bits_.begin(), act_bits_.end(), 0);
      std::fill(bus_.begin(), bus_.end(), 0);
      for (int g = 0; g < groups; ++g) {
        const int64_t since = c - 1 - g;  // cycles into the group's stream
        const int64_t k = since >= 0 ? since / bits : -1, bit = since >= 0 ? since % bits : 0;
        const bool streaming = k >= 0 && k < count[size_t(g)];
        // The next brick's weights in the last bit of this one (or in the cycle before the
        // first).
        const int64_t next = c == g ? 0 : (streaming && bit == bits - 1 ? k + 1 : -1);
        const bool loads = next >= 0 && next < count[size_t(g)];
        if (loads) put_weights(pass, tile, g + next * groups);
        for (int w = 0; w < pass.windows; ++w) {
          const int col = g * pass.windows + w;
          load_[size_t(col)] = loads;
          if (!streaming) continue;
          valid_[size_t(col)] = 1;
          clear_[size_t(col)] = k == 0 && bit == 0;
          shift_[size_t(col)] = uint8_t(bit);
          negate_[size_t(col)] = pass.act_signed && bit == bits - 1;
          const int32_t* a = pass.activations + ((g + k * groups) * pass.windows + w) * lanes_;
          for (int l = 0; l < lanes_; ++l) {
            act_bits_[size_t(col) * lanes_ + l] = uint8_t((uint32_t(a[l]) >> bit) & 1u);
          }
        }
      }
      if (traced && trace_) rtl_->trace_enable(trace_->in_window(pass_start_ + c));
      rtl::StripesTileCycle in;
      in.act_bits = act_bits_.data();
      in.weights = bus_.data();
      in.valid = valid_.data();
      in.clear = clear_.data();
      in.shift = shift_.data();
      in.negate = negate_.data();
      in.load_weights = load_.data();
      rtl_->step(in);
      if (rtl_->acc_valid()) ++landed_;
      for (int g = 0; g < groups; ++g) {
        const int64_t since = c - 1 - g;
        if (since >= 0 && since / bits < count[size_t(g)]) {
          ++issued_;
          break;  // one beat per cycle is what acc_valid can count
        }
      }
    }
    return end;
  }

  // Row f's weight bus = filter f's weights of brick `brick` on this tile.
  void put_weights(const SipPass& pass, int tile, int64_t brick) {
    for (int f = 0; f < pass.filters; ++f) {
      const int32_t* w =
          pass.weights + ((int64_t(tile) * pass.bricks + brick) * pass.filters + f) * lanes_;
      for (int l = 0; l < lanes_; ++l) bus_[size_t(f) * lanes_ + l] = w[l];
    }
  }

  // Idle cycles until every cycle that carried a beat has landed in the accumulators.
  int64_t drain() {
    int64_t cycles = 0;
    while (landed_ < issued_) {
      rtl_->idle(1);
      if (rtl_->acc_valid()) ++landed_;
      if (++cycles > 1000) throw std::logic_error("Stripes RTL tile never delivered its sums");
    }
    return cycles;
  }

  std::unique_ptr<rtl::StripesTileRtl> rtl_;
  int rows_, cols_, lanes_;
  std::vector<uint8_t> act_bits_;
  std::vector<int32_t> bus_;
  std::vector<uint8_t> valid_, clear_, shift_, negate_, load_;
  int64_t issued_ = 0, landed_ = 0, drain_ = kSipDrainCycles;
  int64_t pass_start_ = 0;
  std::optional<TraceRequest> trace_;
};

}  // namespace

std::unique_ptr<SipArrayCore> make_rtl_core(const StripesConfig& config) {
  return std::make_unique<RtlCore>(config, nullptr);
}

std::unique_ptr<SipArrayCore> make_traced_rtl_core(const StripesConfig& config,
                                                   const TraceRequest& trace) {
  return std::make_unique<RtlCore>(config, &trace);
}

}  // namespace haqsim::stripes
