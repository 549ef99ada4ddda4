// Closed-form Stripes model: compute cycles from the plan (the passes' stream cycles), DRAM time
// from the bytes the plan loads and stores over the interface, overlapped by the three-stage
// pipeline: loads run ahead (outstanding requests), so they bound the layer only in total, and
// then the passes after the last load still follow it; compute and store alternate through the
// two NBout halves, so each pass takes the longer of its stream and its write. Plus what cannot
// overlap: the first pass's loads before it, the last pass's drain and write after it. Energy from
// the config's table through the account_energy() the SystemC model also uses.
#pragma once

#include "sim/common/cost_model.h"

namespace haqsim::stripes {

class StripesAnalytic : public LayerCostModel {
 public:
  explicit StripesAnalytic(ArchConfig config);
  LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) override;
  const ArchConfig& config() const override { return config_; }

 private:
  ArchConfig config_;
};

}  // namespace haqsim::stripes
