// BitFusion's analytic backend: the tiler's tiling, its tile schedule, and the machine's timing
// replayed without data (bitfusion_timing.h), so it gives the SystemC model's cycles, traffic and
// energy exactly at a fraction of its cost. (The tiler's own closed-form estimate, after the
// authors' simulator, only ranks tilings.)
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
