#include "sim/bitfusion/bitfusion_analytic.h"

#include "sim/bitfusion/bitfusion_config.h"
#include "sim/bitfusion/bitfusion_timing.h"
#include "sim/bitfusion/tile_schedule.h"
#include "sim/bitfusion/tiler.h"

namespace haqsim {

BitFusionAnalytic::BitFusionAnalytic(ArchConfig config) : config_(std::move(config)) {
  bitfusion_config(config_);  // checks it is a BitFusion config
}

LayerStats BitFusionAnalytic::evaluate(const LayerWorkload& layer, LayerBits bits) {
  const BitFusionTiling tiling = choose_bitfusion_tiling(layer, config_, bits);
  const bitfusion::TileSchedule schedule =
      bitfusion::schedule_tiles(layer, bitfusion_config(config_), bits, tiling);
  const bitfusion::MachineActivity activity = bitfusion::time_schedule(schedule, config_);
  return bitfusion::layer_stats(layer, bits, config_, tiling, schedule, activity);
}

}  // namespace haqsim
