// Stripes' analytic backend: the plan's passes (stripes_plan.h) timed without data and without
// SystemC, with the machine's rules (stripes_machine.h: outstanding loads held back only by the
// synapse-buffer slots and, when inputs are reloaded, the neuron memory's halves; compute waiting
// for its data and an NBout half; stores freeing the halves; DramChannel for every transfer), so
// it gives the SystemC machine's cycles at the cost of a loop over the passes. Energy from the
// config's table through the account_energy() the SystemC model also uses.
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
