// Stripes' behavioural core: each (filter, window) sum of a pass as a dot product over its bricks'
// lanes. A SIP's sum over activation bits b of (+/-) 2^b * sum_l(bit_b(a_l) ? w_l : 0) is exactly
// sum_l w_l * a_l in two's complement, and the accumulator wraps at 32 bits, as unsigned 32-bit
// arithmetic does; the RTL core and the contract tests check both claims.
#include "sim/stripes/sip_array_core.h"
#include "sim/stripes/stripes_plan.h"

namespace haqsim::stripes {

namespace {

class BehaviouralCore : public SipArrayCore {
 public:
  explicit BehaviouralCore(const StripesConfig& config) : lanes_(config.lanes) {}

  void run_pass(const SipPass& pass, int32_t* out) override {
    const int64_t lanes = lanes_;
    for (int t = 0; t < pass.tiles; ++t) {
      for (int f = 0; f < pass.filters; ++f) {
        for (int w = 0; w < pass.windows; ++w) {
          uint32_t acc = 0;
          for (int64_t b = 0; b < pass.bricks; ++b) {
            const int32_t* wt =
                pass.weights + ((int64_t(t) * pass.bricks + b) * pass.filters + f) * lanes;
            const int32_t* act = pass.activations + (b * pass.windows + w) * lanes;
            for (int64_t l = 0; l < lanes; ++l) acc += uint32_t(wt[l]) * uint32_t(act[l]);
          }
          out[(int64_t(t) * pass.filters + f) * pass.windows + w] = int32_t(acc);
        }
      }
    }
  }

  int64_t drain_cycles() override { return kSipDrainCycles; }
  const char* name() const override { return "behavioural"; }

 private:
  int lanes_;
};

}  // namespace

std::unique_ptr<SipArrayCore> make_behavioural_core(const StripesConfig& config) {
  return std::make_unique<BehaviouralCore>(config);
}

}  // namespace haqsim::stripes
