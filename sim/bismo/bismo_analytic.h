// Closed-form BISMO model: execute cycles from the tile plan, DRAM transfer time from the bytes
// the plan fetches and writes, overlap from the three-stage pipeline (fetch, execute, result run
// concurrently, so the slowest bounds the layer), plus the first fetch and the last write that
// cannot overlap. Energy from the config's table.
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
