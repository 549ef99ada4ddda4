// BISMO's analytic backend: the layer's fetch / execute / result programs timed without data
// and without SystemC (bismo_timing.h), so it gives the SystemC machine's cycles, stage
// statistics and traffic at the cost of a loop over the layer's tiles. Energy from the config's
// table through the account_energy() the SystemC model also uses.
#pragma once

#include "sim/common/cost_model.h"

namespace haqsim {

class BismoAnalytic : public LayerCostModel {
 public:
  explicit BismoAnalytic(ArchConfig config);
  LayerStats evaluate(const LayerWorkload& layer, LayerBits bits) override;
  const ArchConfig& config() const override { return config_; }

 private:
  ArchConfig config_;
};

}  // namespace haqsim
