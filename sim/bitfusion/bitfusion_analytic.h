// Closed-form BitFusion model, after the authors' simulator: compute cycles
// batch * ceil(oc/cols) * oh*ow*kh*kw * ceil(ic/(rows*pf)) summed over the chosen tiles, memory
// time from the tiler's DRAM traffic over the interface width, overlapped by double buffering,
// plus the first load and last store and one fill/drain of the systolic array. Energy from the
// 45 nm table through the account_energy() the SystemC model also uses.
#pragma once

#include "sim/common/cost_model.h"

namespace haqsim {

class BitFusionAnalytic : public LayerCostModel {
 public:
  explicit BitFusionAnalytic(ArchConfig config);
  LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) override;
  const ArchConfig& config() const override { return config_; }

 private:
  ArchConfig config_;
};

}  // namespace haqsim
