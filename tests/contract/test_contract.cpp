// The contract every registered accelerator keeps, checked for each of them on each backend from
// the registry (tests/contract/contract_fixture.h): a new machine gets every test below by
// registering and shipping its configs.
//
// Cycle-accurate backends (systemc, rtl):
//   OutputsBitExact            every layer kind, bit pairs from 1 to 8, equals the direct
//                              convolution reference (sim/common/layer_job.h), on every instance
//   CyclesDoNotDependOnData    other operands: other outputs, the same cycles, stages, traffic
//   OptionsAreHonoured         verify on/off, and the seed changes operands but not timing
//   ThousandsOfRunsInOneProcess
//   VcdWindow                  a traced layer writes a VCD of exactly the requested window, and
//                              tracing changes no number
//   QuantizedNetworkEndToEnd   a quantized MobileNet-V1 run layer by layer through the machine,
//                              the host requantizing between layers, gives the reference logits
// rtl:   EqualsSystemC         the verilated core gives the behavioural core's cycles, stage
//                              statistics, traffic, energy and outputs
// analytic: WithinDeclaredToleranceOfSystemC on MobileNet-V1/V2 layers at 64 px and
//           RandomShapesWithinToleranceOfSystemC on generated layers of every kind, and
//           AccountsEveryCycle
// configs: ErrorsNameTheKey, ResourcesAndShape
// Long (ctest -L long, HAQSIM_LONG=1): whole MobileNet-V1/V2 at 224 under four policies on every
// shipped instance, bit-exact, and rtl == systemc layer by layer.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "models/quant/quantized_network.h"
#include "models/zoo.h"
#include "sim/registry.h"
#include "tests/cli/vcd_reader.h"
#include "tests/contract/contract_fixture.h"
#include "tests/test_temp_dir.h"
#include "tools/app/quantized_network_run.h"

namespace haqsim::contract {
namespace {

ModelOptions options(bool verify, uint64_t seed = 1) {
  ModelOptions o;
  o.verify = verify;
  o.seed = seed;
  return o;
}

LayerJobResult run(LayerCostModel& model, const LayerJob& job) {
  LayerExecutor* executor = model.executor();
  if (executor == nullptr) throw std::logic_error("a cycle-accurate model that does not execute");
  return executor->run(job);
}

void expect_same_timing(const LayerStats& a, const LayerStats& b, const std::string& what,
                        bool same_core = true) {
  EXPECT_EQ(a.cycles, b.cycles) << what;
  EXPECT_EQ(a.compute_cycles, b.compute_cycles) << what;
  EXPECT_EQ(a.stall_cycles, b.stall_cycles) << what;
  ASSERT_EQ(a.stages.size(), b.stages.size()) << what;
  for (std::size_t s = 0; s < a.stages.size(); ++s) {
    EXPECT_EQ(a.stages[s].busy, b.stages[s].busy) << what << " " << a.stages[s].name;
    EXPECT_EQ(a.stages[s].wait_token, b.stages[s].wait_token) << what << " " << a.stages[s].name;
    EXPECT_EQ(a.stages[s].wait_memory, b.stages[s].wait_memory) << what << " " << a.stages[s].name;
  }
  EXPECT_EQ(a.dram_read_bytes, b.dram_read_bytes) << what;
  EXPECT_EQ(a.dram_write_bytes, b.dram_write_bytes) << what;
  EXPECT_EQ(a.energy.total_pj(), b.energy.total_pj()) << what;
  EXPECT_EQ(a.mapping, b.mapping) << what;
  ASSERT_EQ(a.details.size(), b.details.size()) << what;
  for (std::size_t d = 0; d < a.details.size(); ++d) {
    if (same_core || a.details[d].first != "core") {
      EXPECT_EQ(a.details[d], b.details[d]) << what;
    }
  }
}

// The smallest runnable instance of the type on the backend (by the array's peak work), for the
// tests that need one instance only.
Instance smallest(const Case& c) {
  std::vector<Instance> all = runnable_instances(c.type, c.backend);
  if (all.empty()) throw std::logic_error("no instance of " + c.type + " runs on this backend");
  return all.back();  // shipped first, then tests/contract/instances: the small ones last
}

// --- cycle-accurate backends --------------------------------------------------------------------

class CycleAccurate : public ::testing::TestWithParam<Case> {};

TEST_P(CycleAccurate, OutputsBitExact) {
  const Case c = GetParam();
  const std::vector<Instance> instances = runnable_instances(c.type, c.backend);
  ASSERT_FALSE(instances.empty()) << "no instance of " << c.type << " runs on "
                                  << to_string(c.backend);
  for (const Instance& instance : instances) {
    auto model = make_cost_model(instance.config, c.backend, options(true));
    for (const LayerWorkload& layer : contract_layers()) {
      for (LayerBits bits : contract_bits()) {
        const LayerJob job = make_synthetic_job(layer, bits, 7 + bits.wbits);
        const LayerJobResult r = run(*model, job);
        ASSERT_EQ(r.accumulators, reference_accumulators(job))
            << describe(instance.file, layer, bits);
        EXPECT_GE(r.stats.cycles, r.stats.compute_cycles) << describe(instance.file, layer, bits);
        EXPECT_GT(r.stats.compute_cycles, 0) << describe(instance.file, layer, bits);
      }
    }
  }
}

TEST_P(CycleAccurate, CyclesDoNotDependOnData) {
  const Case c = GetParam();
  const Instance instance = smallest(c);
  auto model = make_cost_model(instance.config, c.backend, options(false));
  for (const LayerWorkload& layer : contract_layers()) {
    for (LayerBits bits : {LayerBits{2, 2}, LayerBits{8, 4}, LayerBits{5, 7}}) {
      const LayerJobResult a = run(*model, make_synthetic_job(layer, bits, 1));
      const LayerJobResult b = run(*model, make_synthetic_job(layer, bits, 2));
      const std::string what = describe(instance.file, layer, bits);
      EXPECT_NE(a.accumulators, b.accumulators) << what;
      expect_same_timing(a.stats, b.stats, what);
    }
  }
}

TEST_P(CycleAccurate, OptionsAreHonoured) {
  const Case c = GetParam();
  const Instance instance = smallest(c);
  const LayerWorkload layer = contract_layers()[0];
  const LayerStats checked =
      make_cost_model(instance.config, c.backend, options(true, 1))->evaluate(layer, {4, 5});
  const LayerStats unchecked =
      make_cost_model(instance.config, c.backend, options(false, 1))->evaluate(layer, {4, 5});
  const LayerStats other_seed =
      make_cost_model(instance.config, c.backend, options(true, 99))->evaluate(layer, {4, 5});
  EXPECT_EQ(checked.bit_exact, std::optional<bool>(true));
  EXPECT_FALSE(unchecked.bit_exact.has_value());
  EXPECT_EQ(other_seed.bit_exact, std::optional<bool>(true));
  expect_same_timing(checked, unchecked, "verify on/off");
  expect_same_timing(checked, other_seed, "seed 1/99");
}

TEST_P(CycleAccurate, ThousandsOfRunsInOneProcess) {
  const Case c = GetParam();
  const Instance instance = smallest(c);
  auto model = make_cost_model(instance.config, c.backend, options(true));
  LayerWorkload layer = contract_layers()[2];  // pointwise
  const int runs = c.backend == Backend::kRtl ? 300 : 2000;
  const int64_t first = model->evaluate(layer, {2, 2}).cycles;
  for (int i = 0; i < runs; ++i) {
    const LayerStats s = model->evaluate(layer, {2, 2});
    ASSERT_EQ(s.cycles, first) << "run " << i;
    ASSERT_TRUE(s.bit_exact.value_or(false)) << "run " << i;
  }
}

TEST_P(CycleAccurate, VcdWindow) {
  const Case c = GetParam();
  const Instance instance = smallest(c);
  const LayerWorkload layer = contract_layers()[1];
  const LayerStats untraced =
      make_cost_model(instance.config, c.backend, options(true))->evaluate(layer, {8, 8});
  ASSERT_GT(untraced.cycles, 60) << "the window below must lie inside the layer";
  const std::string dir =
      (haqsim_test_temp_dir() / ("haqsim-contract-vcd-" + c.type + "-" + to_string(c.backend)))
          .string();
  std::filesystem::create_directories(dir);
  ModelOptions traced = options(true);
  traced.trace = TraceRequest{dir + "/layer.vcd", layer.quant_index, 20, 60};
  auto model = make_cost_model(instance.config, c.backend, traced);
  const LayerStats s = model->evaluate(layer, {8, 8});
  expect_same_timing(untraced, s, "traced vs untraced");
  EXPECT_EQ(s.bit_exact, std::optional<bool>(true));
  const testing::Vcd vcd = testing::read_vcd(dir + "/layer.vcd");
  EXPECT_FALSE(vcd.variables.empty());
  ASSERT_FALSE(vcd.times.empty());
  // Time units: one cycle (SystemC signals) or ten per cycle (verilated arrays).
  const int64_t per_cycle = c.backend == Backend::kRtl ? 10 : 1;
  for (int64_t t : vcd.times) {
    EXPECT_GE(t, 20 * per_cycle) << "a change before the window";
    EXPECT_LT(t, 60 * per_cycle) << "a change after the window";
  }
  // Another layer is not traced: the file is this layer's.
  std::filesystem::remove(dir + "/layer.vcd");
  LayerWorkload other = layer;
  other.quant_index = layer.quant_index + 1;
  model->evaluate(other, {8, 8});
  EXPECT_FALSE(std::filesystem::exists(dir + "/layer.vcd"));
  std::filesystem::remove_all(dir);
}

TEST_P(CycleAccurate, QuantizedNetworkEndToEnd) {
  const Case c = GetParam();
  const Instance instance = smallest(c);
  NetworkSpec spec;
  spec.resolution = 32;
  spec.classes = 10;
  spec.batch = 1;
  const Network net = build_mobilenet_v1(spec);
  Policy policy = Policy::uniform(net.quantizable_count(), 8, 8);
  for (int i = 1; i + 1 < net.quantizable_count(); ++i)
    policy.layers[size_t(i)] = {2 + i % 7, 3 + i % 6};
  const QuantizedNetwork qnet = make_synthetic_quantized_network(net, policy, 5);
  const IntTensor input = make_synthetic_input(qnet, 1, 5);
  auto model = make_cost_model(instance.config, c.backend, options(true));
  const QuantizedNetworkRun r = run_quantized_network_on(*model, qnet, input, c.backend);
  EXPECT_TRUE(r.logits_match_reference);
  for (const LayerResult& l : r.report.layers) {
    EXPECT_EQ(l.stats.bit_exact, std::optional<bool>(true)) << l.workload.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, CycleAccurate, ::testing::ValuesIn(cycle_accurate_cases()),
                         case_name);

// --- rtl == systemc -----------------------------------------------------------------------------

class Rtl : public ::testing::TestWithParam<Case> {};

TEST_P(Rtl, EqualsSystemC) {
  const Case c = GetParam();
  const std::vector<Instance> instances = runnable_instances(c.type, Backend::kRtl);
  ASSERT_FALSE(instances.empty());
  for (const Instance& instance : instances) {
    auto systemc = make_cost_model(instance.config, Backend::kSystemC, options(false));
    auto rtl = make_cost_model(instance.config, Backend::kRtl, options(false));
    for (const LayerWorkload& layer : contract_layers()) {
      for (LayerBits bits : {LayerBits{8, 8}, LayerBits{2, 3}, LayerBits{5, 1}}) {
        const LayerJob job = make_synthetic_job(layer, bits, 11);
        const LayerJobResult a = run(*systemc, job), b = run(*rtl, job);
        const std::string what = describe(instance.file, layer, bits);
        ASSERT_EQ(a.accumulators, b.accumulators) << what;
        expect_same_timing(a.stats, b.stats, what, /*same_core=*/false);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, Rtl, ::testing::ValuesIn(rtl_cases()), case_name);

// --- analytic -----------------------------------------------------------------------------------

class Analytic : public ::testing::TestWithParam<std::string> {};

// MobileNet-V1 and V2 layers at 64 px (shapes and mappings as at 224, fast) on every shipped
// instance, at three precision pairs.
TEST_P(Analytic, WithinDeclaredToleranceOfSystemC) {
  const std::string type = GetParam();
  const double tolerance = accelerators().at(type).analytic_tolerance();
  NetworkSpec spec;
  spec.resolution = 64;
  int compared = 0;
  for (const Instance& instance : instances_of(type)) {
    if (!instance.shipped) continue;
    spec.batch = instance.config.batch;
    auto analytic = make_cost_model(instance.config, Backend::kAnalytic);
    auto systemc = make_cost_model(instance.config, Backend::kSystemC, options(false));
    for (const Network& net : {build_mobilenet_v1(spec), build_mobilenet_v2(spec)}) {
      for (const LayerWorkload& layer : lower_network(net)) {
        for (LayerBits bits : {LayerBits{8, 8}, LayerBits{4, 4}, LayerBits{2, 3}}) {
          const double sc = double(systemc->evaluate(layer, bits).cycles);
          const double an = double(analytic->evaluate(layer, bits).cycles);
          EXPECT_NEAR(sc / an, 1.0, tolerance)
              << instance.file << " " << net.name << " " << layer.name << " w" << bits.wbits << "a"
              << bits.abits << ": systemc " << sc << " analytic " << an;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 0) << "no shipped instance of " << type;
}

// Generated layers of every kind with shapes no array divides (channel counts, spatial sizes,
// kernels including non-square ones, strides, groups), at random precisions, on every shipped
// instance: the analytic model within the declared tolerance of the SystemC model on each.
TEST_P(Analytic, RandomShapesWithinToleranceOfSystemC) {
  const std::string type = GetParam();
  const double tolerance = accelerators().at(type).analytic_tolerance();
  std::mt19937 rng(20261203);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<LayerWorkload> layers;
  for (int i = 0; i < 48; ++i) {
    Layer l;
    l.name = "random" + std::to_string(i);
    const int kind = i % 6;  // conv, depthwise, pointwise, grouped, fc, non-square conv
    const int channels = pick(1, 150);
    l.in_channels = kind == 1 ? channels : pick(1, 150);
    l.out_channels = kind == 1 ? channels : pick(1, 200);
    l.groups = kind == 1 ? channels : 1;
    if (kind == 3) {
      const int g = pick(2, 6);
      l.groups = g;
      l.in_channels = g * pick(1, 24);
      l.out_channels = g * pick(1, 24);
    }
    l.kernel_h = kind == 2 || kind == 4 ? 1 : (kind == 5 ? pick(1, 7) : 1 + 2 * pick(0, 2));
    l.kernel_w = kind == 5 ? pick(1, 7) : l.kernel_h;
    l.set_stride_pad(kind == 4 ? 1 : pick(1, 2), (std::min(l.kernel_h, l.kernel_w) - 1) / 2);
    l.in_height = kind == 4 ? 1 : pick(std::max(l.kernel_h, 1), 30);
    l.in_width = kind == 4 ? 1 : pick(std::max(l.kernel_w, 1), 30);
    l.out_height = l.geometry_out_height();
    l.out_width = l.geometry_out_width();
    l.op = kind == 4 ? LayerOp::kFullyConnected : LayerOp::kConv;
    l.input_unsigned = pick(0, 1) == 1;
    l.quant_index = i;
    layers.push_back(lower_layer(l, pick(1, 2)));
  }
  // Imported geometries: dilation, per-axis strides, asymmetric pads, on standard, depthwise
  // and grouped convolutions, and products of two activations.
  for (int i = 0; i < 24; ++i) {
    Layer l;
    l.name = "geometry" + std::to_string(i);
    const int kind = i % 4;  // conv, depthwise, grouped, matmul
    if (kind == 3) {
      const int heads = pick(1, 6);
      l.op = LayerOp::kMatMul;
      l.groups = heads;
      l.in_channels = heads * pick(1, 40);
      l.out_channels = heads * pick(1, 40);
      l.in_height = l.out_height = pick(1, 60);
      l.in_width = l.out_width = 1;
    } else {
      l.op = LayerOp::kConv;
      const int channels = pick(1, 64), g = pick(2, 4);
      l.groups = kind == 1 ? channels : (kind == 2 ? g : 1);
      l.in_channels = kind == 1 ? channels : (kind == 2 ? g * pick(1, 16) : pick(1, 48));
      l.out_channels = kind == 1 ? channels : (kind == 2 ? g * pick(1, 16) : pick(1, 48));
      l.kernel_h = pick(1, 5);
      l.kernel_w = pick(1, 5);
      l.stride_h = pick(1, 3);
      l.stride_w = pick(1, 3);
      l.dilation_h = pick(1, 3);
      l.dilation_w = pick(1, 3);
      l.pad_top = pick(0, 3);
      l.pad_left = pick(0, 3);
      l.pad_bottom = pick(0, 3);
      l.pad_right = pick(0, 3);
      l.in_height = pick(int(l.dilation_h * (l.kernel_h - 1) + 1), 30);
      l.in_width = pick(int(l.dilation_w * (l.kernel_w - 1) + 1), 30);
      l.out_height = l.geometry_out_height();
      l.out_width = l.geometry_out_width();
    }
    l.input_unsigned = pick(0, 1) == 1;
    l.quant_index = 48 + i;
    layers.push_back(lower_layer(l, pick(1, 2)));
  }
  int compared = 0;
  for (const Instance& instance : instances_of(type)) {
    if (!instance.shipped) continue;
    auto analytic = make_cost_model(instance.config, Backend::kAnalytic);
    auto systemc = make_cost_model(instance.config, Backend::kSystemC, options(false));
    for (const LayerWorkload& layer : layers) {
      const LayerBits bits{pick(1, 8), pick(1, 8)};
      const double sc = double(systemc->evaluate(layer, bits).cycles);
      const double an = double(analytic->evaluate(layer, bits).cycles);
      EXPECT_NEAR(sc / an, 1.0, tolerance)
          << describe(instance.file, layer, bits) << " g" << layer.groups << " k" << layer.kernel_h
          << "x" << layer.kernel_w << ": systemc " << sc << " analytic " << an;
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
}

TEST_P(Analytic, AccountsEveryCycle) {
  for (const Instance& instance : instances_of(GetParam())) {
    auto model = make_cost_model(instance.config, Backend::kAnalytic);
    for (const LayerWorkload& layer : contract_layers()) {
      for (LayerBits bits : contract_bits()) {
        const LayerStats s = model->evaluate(layer, bits);
        const std::string what = describe(instance.file, layer, bits);
        EXPECT_GT(s.compute_cycles, 0) << what;
        EXPECT_EQ(s.cycles, s.compute_cycles + s.stall_cycles) << what;
        EXPECT_GT(s.energy.total_pj(), 0) << what;
        EXPECT_GT(s.dram_read_bytes, 0) << what;
        EXPECT_GT(s.utilization, 0) << what;
        EXPECT_LE(s.utilization, 1.0) << what;
        EXPECT_FALSE(s.mapping.empty()) << what;
        EXPECT_FALSE(s.bit_exact.has_value()) << what;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, Analytic, ::testing::ValuesIn(all_types()),
                         [](const auto& info) { return info.param; });

// --- configs ------------------------------------------------------------------------------------

class Configs : public ::testing::TestWithParam<std::string> {};

// The parse of `yaml` (as if it were `file`) fails naming `key`.
void expect_error_names(const std::string& file, const YAML::Node& yaml, const std::string& key,
                        const std::string& what) {
  YAML::Emitter out;
  out << yaml;
  try {
    parse_arch_config(YamlInput::load_string(out.c_str(), file), out.c_str());
    ADD_FAILURE() << what << ": parsed without an error";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(file), std::string::npos) << what << ": " << message;
    EXPECT_NE(message.find("'" + key + "'"), std::string::npos) << what << ": " << message;
  }
}

// For every key of the machine's own section: a wrong type and a misspelling are named; a
// missing key is either optional or named.
TEST_P(Configs, ErrorsNameTheKey) {
  const std::string type = GetParam();
  int checked = 0;
  for (const Instance& instance : instances_of(type)) {
    const YAML::Node original = YAML::Load(read_whole_file(instance.file));
    ASSERT_TRUE(original[type].IsMap()) << instance.file << ": no '" << type << "' section";
    std::vector<std::string> keys;
    for (const auto& kv : original[type]) keys.push_back(kv.first.as<std::string>());
    for (const std::string& key : keys) {
      YAML::Node wrong = YAML::Clone(original);
      wrong[type][key] = "not-a-value";
      expect_error_names(instance.file, wrong, type + "." + key, "a string for " + key);

      YAML::Node missing = YAML::Clone(original);
      missing[type].remove(key);
      YAML::Emitter out;
      out << missing;
      try {
        parse_arch_config(YamlInput::load_string(out.c_str(), instance.file), out.c_str());
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'" + type + "." + key + "'"), std::string::npos)
            << "without " << key << ": " << e.what();
      }
      ++checked;
    }
    YAML::Node typo = YAML::Clone(original);
    typo[type]["no_such_key"] = 1;
    expect_error_names(instance.file, typo, type + ".no_such_key", "an unknown key");
    YAML::Node no_section = YAML::Clone(original);
    no_section.remove(type);
    expect_error_names(instance.file, no_section, type, "no section");
  }
  EXPECT_GT(checked, 0);
}

TEST_P(Configs, ResourcesAndShape) {
  const std::vector<Instance> instances = instances_of(GetParam());
  ASSERT_FALSE(instances.empty()) << "no config of type " << GetParam();
  bool any_shipped = false;
  for (const Instance& instance : instances) {
    any_shipped |= instance.shipped;
    ASSERT_TRUE(instance.config.machine) << instance.file;
    EXPECT_FALSE(instance.config.machine->shape().empty()) << instance.file;
    const std::vector<ResourceUse> resources = instance.config.resources();
    ASSERT_FALSE(resources.empty()) << instance.file;
    for (const ResourceUse& r : resources) {
      EXPECT_GT(r.used, 0) << instance.file << " " << r.name;
      EXPECT_FALSE(r.fraction_name.empty()) << instance.file << " " << r.name;
    }
    if (instance.shipped) {
      EXPECT_TRUE(instance.config.fits()) << instance.file;
    }
  }
  EXPECT_TRUE(any_shipped) << "ship at least one config of " << GetParam() << " in arch-configs/";
}

INSTANTIATE_TEST_SUITE_P(Registry, Configs, ::testing::ValuesIn(all_types()),
                         [](const auto& info) { return info.param; });

// --- long: whole networks -----------------------------------------------------------------------

Policy mixed_policy(int layers, int kind) {
  Policy p = Policy::uniform(layers, 8, 8);
  std::mt19937 rng(1234 + kind);
  std::uniform_int_distribution<int> any(1, 8);
  for (int i = 0; i < layers; ++i) {
    switch (kind) {
      case 0:  // uniform 8/8
        break;
      case 1:  // a sweep through the precision pairs
        p.layers[size_t(i)] = {2 + i % 7, 8 - i % 7};
        break;
      case 2:  // HAQ-style: first and last at 8, the rest at 2
        if (i != 0 && i != layers - 1) p.layers[size_t(i)] = {2, 2};
        break;
      default:  // random, 1 to 8 bits
        p.layers[size_t(i)] = {any(rng), any(rng)};
    }
  }
  return p;
}

class CycleAccurateLong : public ::testing::TestWithParam<Case> {};

// Every layer of MobileNet-V1 and V2 at 224 (batch from the config) on every shipped instance the
// backend runs, under 8/8 and three mixed policies: bit-exact with the reference, and on rtl
// equal to systemc in every statistic.
TEST_P(CycleAccurateLong, FullNetworksAcrossPolicies) {
  if (!std::getenv("HAQSIM_LONG")) GTEST_SKIP() << "set HAQSIM_LONG=1 (ctest -L long does)";
  const Case c = GetParam();
  for (const Instance& instance : runnable_instances(c.type, c.backend)) {
    if (!instance.shipped) continue;
    NetworkSpec spec;
    spec.batch = instance.config.batch;
    auto model = make_cost_model(instance.config, c.backend, options(false));
    auto systemc = c.backend == Backend::kRtl
                       ? make_cost_model(instance.config, Backend::kSystemC, options(false))
                       : nullptr;
    for (const char* name : {"mobilenet_v1", "mobilenet_v2"}) {
      const std::vector<LayerWorkload> layers = lower_network(build_model(name, spec));
      for (int kind = 0; kind < 4; ++kind) {
        const Policy policy = mixed_policy(int(layers.size()), kind);
        for (const LayerWorkload& layer : layers) {
          const LayerBits bits = policy.layers[size_t(layer.quant_index)];
          const LayerJob job = make_synthetic_job(layer, bits, uint64_t(layer.quant_index + 1));
          const LayerJobResult r = run(*model, job);
          const std::string what =
              describe(instance.file, layer, bits) + " " + name + " policy " + std::to_string(kind);
          ASSERT_EQ(r.accumulators, reference_accumulators(job)) << what;
          if (systemc) {
            expect_same_timing(run(*systemc, job).stats, r.stats, what, false);
          }
        }
        std::printf("%s %s %s policy %d: %zu layers bit-exact%s\n", instance.file.c_str(), name,
                    to_string(c.backend), kind, layers.size(), systemc ? ", equal to systemc" : "");
        std::fflush(stdout);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, CycleAccurateLong, ::testing::ValuesIn(cycle_accurate_cases()),
                         case_name);

}  // namespace
}  // namespace haqsim::contract
