#include "sim/bismo/bismo_config.h"

#include <fmt/format.h>

#include <stdexcept>

namespace haqsim {

const char* to_string(BismoDepthwiseMapping mapping) {
  switch (mapping) {
    case BismoDepthwiseMapping::kAuto:
      return "auto";
    case BismoDepthwiseMapping::kPerChannel:
      return "per_channel";
    case BismoDepthwiseMapping::kBlockDiagonal:
      return "block_diagonal";
    case BismoDepthwiseMapping::kWeightPlanes:
      return "weight_planes";
  }
  return "?";
}

double BismoConfig::estimated_luts() const {
  return dm * dn * (1.17 * dk + 44.1);
}

int64_t BismoConfig::estimated_bram36() const {
  auto ceil_div = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  return ceil_div(dk, 32) * (dm * ceil_div(lhs_depth, 1024) + dn * ceil_div(rhs_depth, 1024));
}

std::unique_ptr<MachineConfig> BismoConfig::clone() const {
  return std::make_unique<BismoConfig>(*this);
}

std::vector<ResourceUse> BismoConfig::resources() const {
  return {{"luts", "lut_fraction", "LUTs", estimated_luts(), double(device_luts), 1, "device.luts"},
          {"bram36", "bram_fraction", "BRAM36", double(estimated_bram36()), double(device_bram36),
           0, "device.bram36"}};
}

std::string BismoConfig::shape() const {
  return fmt::format("{}x{}x{}", dm, dk, dn);
}

namespace {

constexpr int64_t kMaxDim = 4096;
constexpr int64_t kMaxOperandBits = 8;

int power_of_two(const YamlInput& in, const std::string& key, int64_t min, int64_t max) {
  const int64_t v = in.integer(key, min, max);
  if ((v & (v - 1)) != 0) {
    in.fail(key, fmt::format("a power of two in [{}, {}]", min, max), std::to_string(v));
  }
  return static_cast<int>(v);
}

}  // namespace

std::unique_ptr<BismoConfig> parse_bismo_config(const YamlInput& in, const YamlInput& energy,
                                                const YamlInput& device) {
  auto b = std::make_unique<BismoConfig>();
  b->dm = static_cast<int>(in.integer("dm", 1, kMaxDim));
  b->dk = power_of_two(in, "dk", 8, kMaxDim);  // bit planes are packed in bytes
  b->dn = static_cast<int>(in.integer("dn", 1, kMaxDim));
  // Each half of a buffer (the other half is being fetched) must hold one Dk-bit word of every
  // bit plane of an 8-bit operand, or no tile of an 8-bit layer fits (the planner's smallest
  // K chunk): 2 x 8 words at least.
  b->lhs_depth = power_of_two(in, "lhs_depth", 2 * kMaxOperandBits, 1 << 24);
  b->rhs_depth = power_of_two(in, "rhs_depth", 2 * kMaxOperandBits, 1 << 24);
  b->result_depth = static_cast<int>(in.integer("result_depth", 1, 1 << 16));
  b->instruction_overhead_cycles =
      static_cast<int>(in.integer("instruction_overhead_cycles", 0, 1000));
  const std::string mapping = in.choice_or(
      "depthwise_mapping", "auto", {"auto", "per_channel", "block_diagonal", "weight_planes"});
  for (BismoDepthwiseMapping m :
       {BismoDepthwiseMapping::kAuto, BismoDepthwiseMapping::kPerChannel,
        BismoDepthwiseMapping::kBlockDiagonal, BismoDepthwiseMapping::kWeightPlanes}) {
    if (mapping == to_string(m)) b->depthwise_mapping = m;
  }
  in.reject_unknown_keys();

  b->dpu_pj_per_binary_op = energy.number("dpu_pj_per_binary_op", 0, 1e6);
  b->buffer_read_pj_per_bit = energy.number("buffer_read_pj_per_bit", 0, 1e6);
  b->buffer_write_pj_per_bit = energy.number("buffer_write_pj_per_bit", 0, 1e6);

  b->device_luts = device.integer("luts", 1, int64_t(1) << 40);
  b->device_bram36 = device.integer("bram36", 1, int64_t(1) << 40);
  return b;
}

const BismoConfig& bismo_config(const ArchConfig& config) {
  const auto* b = dynamic_cast<const BismoConfig*>(config.machine.get());
  if (b == nullptr) {
    throw std::logic_error(fmt::format("{}: a '{}' config where a BISMO one was needed",
                                       config.file.empty() ? config.name : config.file,
                                       config.type));
  }
  return *b;
}

BismoConfig& bismo_config(ArchConfig& config) {
  return const_cast<BismoConfig&>(bismo_config(static_cast<const ArchConfig&>(config)));
}

}  // namespace haqsim
