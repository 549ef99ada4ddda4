// The verilated Stripes tile computes exact bit-serial inner products, the way a Stripes host
// drives it, and its timing matches the documented pipeline depth.
//
// The host side here (run_tile) plays each column's list of sums: a sum is a list of bricks (L
// activations of one window against L weights of every filter), and each brick is sent LSB first,
// one bit per beat, with shift = bit position and negate on the sign bit of a signed activation.
// A brick's weights go into the SIPs' registers in the cycle before its first beat, which is the
// cycle of the previous brick's last beat when the row weight bus is free (so back-to-back bricks
// need no bubble). The row bus is shared by the columns: one weight brick per cycle, granted in
// rotating order; columns that want the same brick load it together, as every column of a
// convolution does. Every sum's accumulators are read in exactly the step its last beat lands
// (pipeline_depth() steps after issue, before the next sum's clear lands), so every value check
// also checks the timing contract. Results are compared with a plain int64 dot product wrapped to
// 32 bits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "rtl/stripes/stripes_tile_rtl.h"

namespace {

using haqsim::rtl::make_stripes_tile_rtl;
using haqsim::rtl::StripesTileCycle;
using haqsim::rtl::StripesTileRtl;

struct Precision {
  int bits;
  bool is_signed;
  int64_t lo() const { return is_signed ? -(int64_t{1} << (bits - 1)) : 0; }
  int64_t hi() const {
    return is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
  }
};

constexpr Precision kWeight{16, true};

// Uniform in the precision's range, with one value in five pinned to a range end (where sign
// handling and adder widths break).
int64_t random_value(Precision p, std::mt19937& rng) {
  const int pick = std::uniform_int_distribution<int>(0, 9)(rng);
  if (pick == 0) return p.lo();
  if (pick == 1) return p.hi();
  return std::uniform_int_distribution<int64_t>(p.lo(), p.hi())(rng);
}

// Accumulators are two's complement 32 bit and wrap, so the reference wraps the exact sum.
int32_t wrap32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(v));
}

// --- the host ----------------------------------------------------------------------------------

// Weight bricks, each [filters][lanes]: what the row weight buses carry in one load.
using WeightPool = std::vector<std::vector<int32_t>>;

struct Brick {
  int weight_id;              // index into the WeightPool
  std::vector<int64_t> acts;  // [lanes], in the sum's activation precision
};

struct Sum {
  Precision act;
  std::vector<Brick> bricks;
};

// What one column computes: sums one after the other, each started with `clear`.
struct ColumnJob {
  int start = 0;  // first step at which the column may use the bus or compute
  std::vector<Sum> sums;
};

struct HostOptions {
  double bubble = 0.0;  // probability that a computing column skips a cycle (valid low)
  unsigned seed = 1;
};

// Plays `jobs` (one per column) on `tile` from its current cycle, checks every sum of every column
// in the step it lands, and returns the number of steps taken.
uint64_t run_tile(StripesTileRtl& tile, const WeightPool& pool, const std::vector<ColumnJob>& jobs,
                  const HostOptions& options = {}) {
  const auto shape = tile.shape();
  const int filters = shape.filters, windows = shape.windows, lanes = shape.lanes;
  const int depth = tile.pipeline_depth();
  EXPECT_EQ(static_cast<int>(jobs.size()), windows);
  std::mt19937 rng(options.seed);
  std::bernoulli_distribution bubble(options.bubble);

  // Each column's bricks in issue order, with the sum they belong to.
  struct Item {
    const Sum* sum;
    const Brick* brick;
    bool first_of_sum, last_of_sum;
  };
  struct Column {
    std::vector<Item> items;
    int cur = 0;      // brick being (or next to be) computed
    int loaded = -1;  // brick in the weight registers
    int bit = 0;      // next bit of brick `cur`
  };
  std::vector<Column> cols(windows);
  for (int w = 0; w < windows; ++w) {
    for (const Sum& sum : jobs[w].sums) {
      for (std::size_t b = 0; b < sum.bricks.size(); ++b) {
        cols[w].items.push_back({&sum, &sum.bricks[b], b == 0, b + 1 == sum.bricks.size()});
      }
    }
  }

  struct Pending {
    uint64_t check_after_step;
    int window;
    const Sum* sum;
  };
  std::vector<Pending> pending;

  std::vector<uint8_t> act_bits(static_cast<std::size_t>(windows) * lanes);
  std::vector<uint8_t> valid(windows), clear(windows), shift(windows), negate(windows),
      load(windows);
  int rotate = 0;
  uint64_t step = 0;
  auto all_done = [&] {
    return std::all_of(cols.begin(), cols.end(),
                       [](const Column& c) { return c.cur == static_cast<int>(c.items.size()); });
  };
  while (!all_done() || !pending.empty()) {
    std::fill(act_bits.begin(), act_bits.end(), 0);
    for (auto* v : {&valid, &clear, &shift, &negate, &load}) std::fill(v->begin(), v->end(), 0);

    // Which columns compute this cycle, and which brick each wants in its registers next.
    std::vector<int> target(windows, -1);
    std::vector<bool> computing(windows, false);
    for (int w = 0; w < windows; ++w) {
      Column& c = cols[w];
      const int n = static_cast<int>(c.items.size());
      if (static_cast<int>(step) < jobs[w].start || c.cur == n) continue;
      if (c.loaded == c.cur) {
        computing[w] = !bubble(rng);
        // The next brick may load at the edge that ends the current brick's last beat: that beat
        // still multiplies by the registers' old contents.
        const int bits = c.items[c.cur].sum->act.bits;
        if (computing[w] && c.bit == bits - 1 && c.cur + 1 < n) target[w] = c.cur + 1;
      } else {
        target[w] = c.cur;  // stalled: the brick's weights are not loaded yet
      }
    }

    // Row bus arbitration: the first requester in rotating order owns the bus; every requester of
    // the same weight brick loads with it.
    int bus_brick = -1;
    for (int k = 0; k < windows && bus_brick < 0; ++k) {
      const int w = (rotate + k) % windows;
      if (target[w] >= 0) bus_brick = cols[w].items[target[w]].brick->weight_id;
    }
    rotate = (rotate + 1) % windows;
    for (int w = 0; w < windows; ++w) {
      if (target[w] >= 0 && cols[w].items[target[w]].brick->weight_id == bus_brick) load[w] = 1;
    }

    for (int w = 0; w < windows; ++w) {
      if (!computing[w]) continue;
      const Column& c = cols[w];
      const Item& item = c.items[c.cur];
      const Precision act = item.sum->act;
      valid[w] = 1;
      shift[w] = static_cast<uint8_t>(c.bit);
      negate[w] = act.is_signed && c.bit == act.bits - 1;
      clear[w] = item.first_of_sum && c.bit == 0;
      for (int l = 0; l < lanes; ++l) {
        // Two's complement bits: the sign bit of a signed activation is its top bit.
        act_bits[w * lanes + l] = (static_cast<uint64_t>(item.brick->acts[l]) >> c.bit) & 1u;
      }
      if (item.last_of_sum && c.bit == act.bits - 1) {
        pending.push_back({step + depth - 1, w, item.sum});
      }
    }

    StripesTileCycle in;
    in.act_bits = act_bits.data();
    in.weights = bus_brick >= 0 ? pool[bus_brick].data() : nullptr;
    in.valid = valid.data();
    in.clear = clear.data();
    in.shift = shift.data();
    in.negate = negate.data();
    in.load_weights = load.data();
    tile.step(in);

    for (auto it = pending.begin(); it != pending.end();) {
      if (it->check_after_step != step) {
        ++it;
        continue;
      }
      EXPECT_TRUE(tile.acc_valid()) << "after step " << step;
      for (int f = 0; f < filters; ++f) {
        int64_t expected = 0;
        for (const Brick& brick : it->sum->bricks) {
          for (int l = 0; l < lanes; ++l) {
            expected += pool[brick.weight_id][f * lanes + l] * brick.acts[l];
          }
        }
        EXPECT_EQ(tile.acc(f, it->window), wrap32(expected))
            << "filter " << f << ", window " << it->window << ", after step " << step << ", "
            << it->sum->act.bits << "-bit " << (it->sum->act.is_signed ? "signed" : "unsigned")
            << " activations, " << it->sum->bricks.size() << " bricks";
      }
      it = pending.erase(it);
    }

    for (int w = 0; w < windows; ++w) {
      Column& c = cols[w];
      if (load[w]) c.loaded = target[w];
      if (computing[w] && ++c.bit == c.items[c.cur].sum->act.bits) {
        c.bit = 0;
        ++c.cur;
      }
    }
    ++step;
  }
  return step;
}

WeightPool random_weights(int bricks, const StripesTileRtl& tile, std::mt19937& rng) {
  const auto shape = tile.shape();
  WeightPool pool(bricks);
  for (auto& brick : pool) {
    brick.resize(static_cast<std::size_t>(shape.filters) * shape.lanes);
    for (auto& w : brick) w = static_cast<int32_t>(random_value(kWeight, rng));
  }
  return pool;
}

Brick random_brick(int weight_id, Precision act, int lanes, std::mt19937& rng) {
  Brick brick{weight_id, std::vector<int64_t>(lanes)};
  for (auto& a : brick.acts) a = random_value(act, rng);
  return brick;
}

// A convolution's schedule: every column (window) runs the same filter bricks in lockstep, each
// sum over `bricks_per_sum[k]` bricks, with its own activations.
uint64_t convolve(StripesTileRtl& tile, Precision act, const std::vector<int>& bricks_per_sum,
                  unsigned seed) {
  std::mt19937 rng(seed);
  const auto shape = tile.shape();
  int total = 0;
  for (int n : bricks_per_sum) total += n;
  const WeightPool pool = random_weights(total, tile, rng);
  std::vector<ColumnJob> jobs(shape.windows);
  for (auto& job : jobs) {
    int id = 0;
    for (int n : bricks_per_sum) {
      Sum sum{act, {}};
      for (int b = 0; b < n; ++b) sum.bricks.push_back(random_brick(id++, act, shape.lanes, rng));
      job.sums.push_back(sum);
    }
  }
  return run_tile(tile, pool, jobs);
}

// --- convolution-style bricks, every activation precision ----------------------------------------

class StripesTilePrecisions : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(StripesTilePrecisions, RandomBricksMatchReference) {
  const auto [bits, is_signed] = GetParam();
  auto tile = make_stripes_tile_rtl(2, 3, 4);
  // Three sums of 3, 1 and 2 bricks back to back: several bricks per sum, and a clear in the
  // middle of the stream (each next sum starts while the previous one is still in the pipeline).
  const std::vector<int> sums = {3, 1, 2};
  const uint64_t steps = convolve(*tile, {bits, is_signed}, sums, 100u * bits + is_signed);
  // One load cycle, then 6 bricks of `bits` beats without a bubble, then the pipeline drain.
  EXPECT_EQ(steps, 1 + 6u * bits + tile->pipeline_depth() - 1);
}

std::string precision_name(const ::testing::TestParamInfo<StripesTilePrecisions::ParamType>& info) {
  const auto& [bits, is_signed] = info.param;
  return "a" + std::to_string(bits) + (is_signed ? "s" : "u");
}

INSTANTIATE_TEST_SUITE_P(Small2x3x4, StripesTilePrecisions,
                         ::testing::Combine(::testing::Range(1, 17), ::testing::Bool()),
                         precision_name);

TEST(StripesTilePaper16x16x16, RandomBricksMatchReference) {
  auto tile = make_stripes_tile_rtl(16, 16, 16);
  for (const Precision act : {Precision{16, true}, Precision{16, false}, Precision{8, true},
                              Precision{5, false}, Precision{1, false}, Precision{2, true}}) {
    const uint64_t steps = convolve(*tile, act, {4, 2}, 7u * act.bits + act.is_signed);
    EXPECT_EQ(steps, 1 + 6u * act.bits + tile->pipeline_depth() - 1);
  }
}

// The adder tree's headroom: all lanes at the extreme weight with every activation bit set.
TEST(StripesTilePaper16x16x16, TreeHoldsExtremeBricks) {
  auto tile = make_stripes_tile_rtl(16, 16, 16);
  const int f = 16, w = 16, l = 16;
  std::vector<int32_t> weights(f * l);
  for (int r = 0; r < f; ++r) {
    for (int k = 0; k < l; ++k) weights[r * l + k] = r % 2 ? 32767 : -32768;
  }
  const std::vector<uint8_t> ones(w * l, 1), all(w, 1), none(w, 0), shifts(w, 0);
  StripesTileCycle load;
  load.weights = weights.data();
  load.load_weights = all.data();
  tile->step(load);
  StripesTileCycle beat;
  beat.act_bits = ones.data();
  beat.valid = all.data();
  beat.clear = all.data();
  beat.shift = shifts.data();
  beat.negate = none.data();
  tile->step(beat);
  tile->idle(1);
  for (int r = 0; r < f; ++r) {
    for (int c = 0; c < w; ++c) EXPECT_EQ(tile->acc(r, c), r % 2 ? 16 * 32767 : 16 * -32768);
  }
}

// --- per-column control --------------------------------------------------------------------------

// Columns at different bit positions, bricks and precisions in the same cycle, as a fully
// connected layer staggers them: every column has its own weights (so the row bus is
// time-shared), its own start, its own sums, and random bubbles.
void stagger(StripesTileRtl& tile, unsigned seed, double bubble) {
  std::mt19937 rng(seed);
  const auto shape = tile.shape();
  const int bricks_per_column = 5;
  const WeightPool pool = random_weights(shape.windows * bricks_per_column, tile, rng);
  std::vector<ColumnJob> jobs(shape.windows);
  for (int w = 0; w < shape.windows; ++w) {
    jobs[w].start = std::uniform_int_distribution<int>(0, 2 * shape.windows)(rng);
    int id = w * bricks_per_column;
    for (int n : {2, 3}) {
      const Precision act{std::uniform_int_distribution<int>(1, 16)(rng), rng() % 2 == 0};
      Sum sum{act, {}};
      for (int b = 0; b < n; ++b) sum.bricks.push_back(random_brick(id++, act, shape.lanes, rng));
      jobs[w].sums.push_back(sum);
    }
  }
  run_tile(tile, pool, jobs, {bubble, seed});
}

TEST(StripesTileColumns, StaggeredColumnsSmall) {
  auto tile = make_stripes_tile_rtl(2, 3, 4);
  for (unsigned seed = 1; seed <= 50; ++seed) stagger(*tile, seed, seed % 2 ? 0.0 : 0.2);
}

TEST(StripesTileColumns, StaggeredColumnsPaper) {
  auto tile = make_stripes_tile_rtl(16, 16, 16);
  for (unsigned seed = 1; seed <= 10; ++seed) stagger(*tile, seed, seed % 2 ? 0.0 : 0.2);
}

// --- timing --------------------------------------------------------------------------------------

// A tile whose weight registers hold `value` in every lane of every SIP.
void load_uniform_weights(StripesTileRtl& tile, int32_t value) {
  const auto s = tile.shape();
  const std::vector<int32_t> weights(static_cast<std::size_t>(s.filters) * s.lanes, value);
  const std::vector<uint8_t> all(s.windows, 1);
  StripesTileCycle in;
  in.weights = weights.data();
  in.load_weights = all.data();
  tile.step(in);
}

TEST(StripesTileTiming, StreamCompletesAfterPipelineDepth) {
  auto tile = make_stripes_tile_rtl(2, 3, 4);
  // Documented in stripes_sip.sv / stripes_tile.sv; read from the RTL's localparam.
  ASSERT_EQ(tile->pipeline_depth(), 2);
  const int depth = tile->pipeline_depth();
  load_uniform_weights(*tile, 1);

  // T beats with every activation bit set: beat b adds 4 << b (4 lanes of weight 1), so the
  // accumulator tells exactly which beats have landed.
  const int beats = 5;
  const std::vector<uint8_t> ones(3 * 4, 1), all(3, 1), none(3, 0);
  std::vector<int32_t> landed_sum(beats + 1, 0);
  for (int b = 0; b < beats; ++b) landed_sum[b + 1] = landed_sum[b] + (4 << b);

  for (int s = 0; s < beats + depth + 2; ++s) {
    if (s < beats) {
      const std::vector<uint8_t> shift(3, static_cast<uint8_t>(s)), first(3, s == 0);
      StripesTileCycle in;
      in.act_bits = ones.data();
      in.valid = all.data();
      in.clear = first.data();
      in.shift = shift.data();
      in.negate = none.data();
      tile->step(in);
    } else {
      tile->idle(1);
    }
    // After step s (the (s+1)-th), beats 0..s-depth+1 are in: a beat needs `depth` steps counting
    // its own.
    const int landed = std::clamp(s - depth + 2, 0, beats);
    for (int f = 0; f < 2; ++f) {
      for (int w = 0; w < 3; ++w) EXPECT_EQ(tile->acc(f, w), landed_sum[landed]) << "step " << s;
    }
    const int just_landed = s - depth + 1;
    EXPECT_EQ(tile->acc_valid(), just_landed >= 0 && just_landed < beats) << "after step " << s;
  }
  // In particular the stream of `beats` beats is complete after beats + depth - 1 steps (landed
  // == beats) and not one step earlier.
}

TEST(StripesTileTiming, NegateShiftWrapAndClearInTheMiddle) {
  auto tile = make_stripes_tile_rtl(2, 3, 4);
  load_uniform_weights(*tile, 3);
  const std::vector<uint8_t> ones(3 * 4, 1), all(3, 1), none(3, 0);
  auto beat = [&](int shift, bool negate, bool clear) {
    const std::vector<uint8_t> s(3, static_cast<uint8_t>(shift)), n(3, negate), c(3, clear);
    StripesTileCycle in;
    in.act_bits = ones.data();
    in.valid = all.data();
    in.clear = c.data();
    in.shift = s.data();
    in.negate = n.data();
    tile->step(in);
  };
  beat(4, false, true);  // +12 << 4
  beat(0, true, false);  // -12
  beat(30, true, true);  // restart: -(12 << 30) = -(3 << 32) wraps to 0
  EXPECT_EQ(tile->acc(0, 0), 192 - 12);
  beat(31, false, false);  // +(12 << 31) wraps to 0 as well
  EXPECT_EQ(tile->acc(1, 2), 0);
  beat(29, true, false);  // -(12 << 29) = -(3 << 31) wraps to INT32_MIN
  tile->idle(1);
  EXPECT_EQ(tile->acc(1, 2), INT32_MIN);
  tile->reset();
  EXPECT_EQ(tile->acc(1, 2), 0);
  EXPECT_FALSE(tile->acc_valid());
}

// --- weight registers ----------------------------------------------------------------------------

// One beat of column(s) `cols` with every activation bit set, shift 0: adds the sum of the SIP's
// weight registers. Optionally drives `bus` with load_weights on the same columns.
void beat_all_ones(StripesTileRtl& tile, const std::vector<uint8_t>& cols, bool clear,
                   const std::vector<int32_t>* bus = nullptr, bool load = false) {
  const auto s = tile.shape();
  const std::vector<uint8_t> ones(static_cast<std::size_t>(s.windows) * s.lanes, 1),
      zeros(s.windows, 0), c(s.windows, clear);
  StripesTileCycle in;
  in.act_bits = ones.data();
  in.valid = cols.data();
  in.clear = c.data();
  in.shift = zeros.data();
  in.negate = zeros.data();
  in.weights = bus ? bus->data() : nullptr;
  in.load_weights = load ? cols.data() : nullptr;
  tile.step(in);
}

TEST(StripesTileWeights, LoadInAComputingCycleTakesEffectAfterIt) {
  auto tile = make_stripes_tile_rtl(2, 3, 4);
  const std::vector<uint8_t> all(3, 1);
  // Rows differ so a mix-up of rows would show: row f, lane l holds base + 10 f + l.
  auto weights = [](int32_t base) {
    std::vector<int32_t> w(2 * 4);
    for (int f = 0; f < 2; ++f) {
      for (int l = 0; l < 4; ++l) w[f * 4 + l] = base + 10 * f + l;
    }
    return w;
  };
  auto row_sum = [](int32_t base, int f) { return 4 * base + 40 * f + 6; };
  const auto a = weights(100), b = weights(-2000), c = weights(7);

  load_uniform_weights(*tile, 0);
  StripesTileCycle load_a;
  load_a.weights = a.data();
  load_a.load_weights = all.data();
  tile->step(load_a);
  beat_all_ones(*tile, all, true, &b, /*load=*/true);    // computes with A, loads B at its edge
  beat_all_ones(*tile, all, false, &c, /*load=*/false);  // B; C on the bus is not loaded
  beat_all_ones(*tile, all, false);                      // still B
  tile->idle(1);
  for (int f = 0; f < 2; ++f) {
    for (int w = 0; w < 3; ++w) {
      EXPECT_EQ(tile->acc(f, w), row_sum(100, f) + 2 * row_sum(-2000, f)) << f << "," << w;
    }
  }
}

TEST(StripesTileWeights, LoadIsPerColumnAndResetClearsRegisters) {
  auto tile = make_stripes_tile_rtl(2, 3, 4);
  const std::vector<uint8_t> all(3, 1), middle = {0, 1, 0};
  load_uniform_weights(*tile, 5);
  const std::vector<int32_t> nines(2 * 4, -9);
  StripesTileCycle load_middle;
  load_middle.weights = nines.data();
  load_middle.load_weights = middle.data();
  tile->step(load_middle);
  beat_all_ones(*tile, all, true);
  tile->idle(1);
  for (int f = 0; f < 2; ++f) {
    EXPECT_EQ(tile->acc(f, 0), 20);
    EXPECT_EQ(tile->acc(f, 1), -36);
    EXPECT_EQ(tile->acc(f, 2), 20);
  }
  // Only the middle column computes: the others keep their sums.
  beat_all_ones(*tile, middle, false);
  tile->idle(1);
  EXPECT_EQ(tile->acc(1, 0), 20);
  EXPECT_EQ(tile->acc(1, 1), -72);

  tile->reset();
  beat_all_ones(*tile, all, true);
  tile->idle(1);
  for (int f = 0; f < 2; ++f) {
    for (int w = 0; w < 3; ++w) EXPECT_EQ(tile->acc(f, w), 0) << "weights survived reset";
  }
}

// --- factory and tracing -------------------------------------------------------------------------

TEST(StripesTileFactory, ListsVariantsAndRejectsUnknownShapes) {
  const auto variants = haqsim::rtl::stripes_tile_rtl_variants();
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(std::make_tuple(variants[0].filters, variants[0].windows, variants[0].lanes),
            std::make_tuple(2, 3, 4));
  EXPECT_EQ(std::make_tuple(variants[1].filters, variants[1].windows, variants[1].lanes),
            std::make_tuple(16, 16, 16));
  for (const auto& v : variants) {
    auto tile = make_stripes_tile_rtl(v.filters, v.windows, v.lanes);
    EXPECT_EQ(tile->shape().filters, v.filters);
    EXPECT_EQ(tile->shape().windows, v.windows);
    EXPECT_EQ(tile->shape().lanes, v.lanes);
    EXPECT_EQ(tile->weight_bits(), 16);
    EXPECT_EQ(tile->pipeline_depth(), 2);
    EXPECT_EQ(tile->cycle(), 1u);  // the reset cycle
    EXPECT_FALSE(tile->acc_valid());
  }
  try {
    make_stripes_tile_rtl(4, 4, 4);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("F=4, W=4, L=4"), std::string::npos) << what;
    EXPECT_NE(what.find("2x3x4, 16x16x16"), std::string::npos) << what;
  }
}

TEST(StripesTileTrace, WritesOnlyTheEnabledCycleWindow) {
  EXPECT_THROW(make_stripes_tile_rtl(2, 3, 4)->trace_open("unused.vcd"), std::logic_error);

  const auto path = std::filesystem::path(::testing::TempDir()) / "stripes_window.vcd";
  {
    auto tile = make_stripes_tile_rtl(2, 3, 4, /*trace=*/true);
    const std::vector<uint8_t> all(3, 1);
    const uint64_t start = tile->cycle();  // reset took one cycle
    tile->idle(2);
    tile->trace_open(path.string());  // records from cycle start + 2
    beat_all_ones(*tile, all, true);
    tile->idle(2);
    tile->trace_enable(false);  // window: cycles start+2 .. start+4
    tile->idle(3);
    tile->trace_close();
    ASSERT_EQ(tile->cycle(), start + 8);
  }
  std::ifstream vcd(path);
  ASSERT_TRUE(vcd.good());
  std::stringstream text;
  text << vcd.rdbuf();
  const std::string s = text.str();
  EXPECT_NE(s.find("$enddefinitions"), std::string::npos);
  EXPECT_NE(s.find("acc_valid"), std::string::npos);
  EXPECT_NE(s.find("load_weights"), std::string::npos);
  EXPECT_NE(s.find("\n#30\n"), std::string::npos);  // cycle 3 (start = 1): first in the window
  EXPECT_NE(s.find("\n#55\n"), std::string::npos);  // rising edge of cycle 5: last in the window
  EXPECT_EQ(s.find("\n#25\n"), std::string::npos);  // before the window
  EXPECT_EQ(s.find("\n#60\n"), std::string::npos);  // after the window
  std::filesystem::remove(path);
}

}  // namespace
