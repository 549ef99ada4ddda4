#include "sim/bitfusion/bitfusion_config.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

const char* to_string(BitFusionDepthwiseMapping mapping) {
  return mapping == BitFusionDepthwiseMapping::kRowShared ? "row_shared" : "taps_on_rows";
}

double BitFusionConfig::estimated_area_mm2() const {
  const double reference_units = 16.0 * 32.0;
  const double units = rows * cols / reference_units;
  return core_area_mm2 * units + (total_area_mm2 - core_area_mm2) +
         (act_per_unit ? act_per_unit_area_mm2 * units : 0.0);
}

std::unique_ptr<MachineConfig> BitFusionConfig::clone() const {
  return std::make_unique<BitFusionConfig>(*this);
}

std::vector<ResourceUse> BitFusionConfig::resources() const {
  return {{"area_mm2", "area_fraction", "mm2", estimated_area_mm2(), device_area_mm2, 4,
           "device.area_budget_mm2"}};
}

std::string BitFusionConfig::shape() const {
  return fmt::format("{}x{}", rows, cols);
}

std::unique_ptr<BitFusionConfig> parse_bitfusion_config(const YamlInput& in,
                                                        const YamlInput& energy,
                                                        const YamlInput& device) {
  constexpr int64_t kMaxDim = 4096;
  auto f = std::make_unique<BitFusionConfig>();
  f->rows = static_cast<int>(in.integer("rows", 1, kMaxDim));
  f->cols = static_cast<int>(in.integer("cols", 1, kMaxDim));
  const int64_t max_buffer = int64_t(1) << 32;  // 4 GiB: beyond any on-chip SRAM
  f->wbuf_bytes = in.integer("wbuf_bytes", 16, max_buffer);
  f->ibuf_bytes = in.integer("ibuf_bytes", 16, max_buffer);
  f->obuf_bytes = in.integer("obuf_bytes", 16, max_buffer);
  f->accumulator_bits = static_cast<int>(in.integer("accumulator_bits", 16, 64));
  f->act_per_unit = in.boolean_or("act_per_unit", false);
  const std::string dw =
      in.choice_or("depthwise_mapping", "row_shared", {"row_shared", "taps_on_rows"});
  f->depthwise_mapping = dw == "taps_on_rows" ? BitFusionDepthwiseMapping::kTapsOnRows
                                              : BitFusionDepthwiseMapping::kRowShared;
  if (f->depthwise_mapping == BitFusionDepthwiseMapping::kTapsOnRows && !f->act_per_unit) {
    in.fail("depthwise_mapping",
            "row_shared, or taps_on_rows together with 'act_per_unit: true' (taps_on_rows needs "
            "each column's Fusion Units to see their own channel's activations, an extension "
            "beyond the published array that is charged in area and energy)",
            "taps_on_rows without act_per_unit");
  }
  const std::string out =
      in.choice_or("output_precision", "requantized", {"requantized", "partial_sums"});
  f->output_precision = out == "partial_sums" ? BitFusionOutputPrecision::kPartialSums
                                              : BitFusionOutputPrecision::kRequantized;
  in.reject_unknown_keys();

  f->core_pj_per_cycle = energy.number("core_pj_per_cycle", 0, 1e9);
  f->wbuf_read_pj_per_bit = energy.number("wbuf_read_pj_per_bit", 0, 1e6);
  f->wbuf_write_pj_per_bit = energy.number("wbuf_write_pj_per_bit", 0, 1e6);
  f->ibuf_read_pj_per_bit = energy.number("ibuf_read_pj_per_bit", 0, 1e6);
  f->ibuf_write_pj_per_bit = energy.number("ibuf_write_pj_per_bit", 0, 1e6);
  f->obuf_read_pj_per_bit = energy.number("obuf_read_pj_per_bit", 0, 1e6);
  f->obuf_write_pj_per_bit = energy.number("obuf_write_pj_per_bit", 0, 1e6);
  f->act_per_unit_pj_per_bit = energy.number_or("act_per_unit_pj_per_bit", 0, 0, 1e6);

  f->core_area_mm2 = device.number("core_area_mm2", 0, 1e6, true);
  f->total_area_mm2 = device.number("total_area_mm2", f->core_area_mm2, 1e6);
  f->device_area_mm2 = device.number_or("area_budget_mm2", 0, 0, 1e6);
  f->act_per_unit_area_mm2 = device.number_or("act_per_unit_area_mm2", 0, 0, 1e6);
  return f;
}

const BitFusionConfig& bitfusion_config(const ArchConfig& config) {
  const auto* f = dynamic_cast<const BitFusionConfig*>(config.machine.get());
  if (f == nullptr) {
    throw std::logic_error(fmt::format("{}: a '{}' config where a BitFusion one was needed",
                                       config.file.empty() ? config.name : config.file,
                                       config.type));
  }
  return *f;
}

BitFusionConfig& bitfusion_config(ArchConfig& config) {
  return const_cast<BitFusionConfig&>(bitfusion_config(static_cast<const ArchConfig&>(config)));
}

}  // namespace haqsim
