#include "tools/app/verify.h"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "base/input_error.h"
#include "models/workload.h"
#include "sim/registry.h"
#include "tools/app/csv_field.h"

namespace haqsim {

bool VerifiedLayer::ok() const {
  return analytic_within_tolerance && systemc_bit_exact && rtl_equals_systemc.value_or(true) &&
         rtl_bit_exact.value_or(true);
}

bool VerifyReport::ok() const {
  for (const VerifiedLayer& l : layers) {
    if (!l.ok()) return false;
  }
  return !layers.empty();
}

std::vector<int> parse_layer_list(const std::string& text, int count) {
  auto fail = [&](const std::string& what) {
    throw InputError({"", 0, "--layers"},
                     fmt::format("layer indices in [0, {}] as 3,5-7", count - 1), what);
  };
  std::vector<int> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t dash = item.find('-');
    try {
      size_t used = 0;
      const int first = std::stoi(item.substr(0, dash), &used);
      if (used != (dash == std::string::npos ? item.size() : dash)) fail("'" + item + "'");
      int last = first;
      if (dash != std::string::npos) {
        last = std::stoi(item.substr(dash + 1), &used);
        if (used != item.size() - dash - 1) fail("'" + item + "'");
      }
      if (first < 0 || last >= count || last < first) fail("'" + item + "'");
      for (int i = first; i <= last; ++i) out.push_back(i);
    } catch (const std::logic_error&) {
      fail("'" + item + "'");
    }
  }
  if (out.empty()) fail("'" + text + "'");
  return out;
}

namespace {

bool same_statistics(const LayerStats& a, const LayerStats& b) {
  if (a.cycles != b.cycles || a.compute_cycles != b.compute_cycles ||
      a.dram_read_bytes != b.dram_read_bytes || a.dram_write_bytes != b.dram_write_bytes ||
      a.stages.size() != b.stages.size()) {
    return false;
  }
  for (std::size_t s = 0; s < a.stages.size(); ++s) {
    if (a.stages[s].busy != b.stages[s].busy || a.stages[s].wait_token != b.stages[s].wait_token ||
        a.stages[s].wait_memory != b.stages[s].wait_memory) {
      return false;
    }
  }
  return true;
}

}  // namespace

VerifyReport verify_layers(const ArchConfig& config, const Network& network, const Policy& policy,
                           const std::vector<int>& layers, uint64_t seed) {
  VerifyReport report;
  report.arch_file = config.file;
  report.model = network.name;
  report.tolerance = accelerators().at(config.type).analytic_tolerance();
  ModelOptions options;
  options.seed = seed;
  auto analytic = make_cost_model(config, Backend::kAnalytic);
  auto systemc = make_cost_model(config, Backend::kSystemC, options);
  std::unique_ptr<LayerCostModel> rtl;
  try {
    rtl = make_cost_model(config, Backend::kRtl, options);
  } catch (const InputError& e) {
    report.rtl_note = e.expected().empty() ? e.what() : "needs " + e.expected();
  } catch (const BackendUnavailable& e) {
    report.rtl_note = e.what();
  }
  const std::vector<LayerWorkload> workloads = lower_network(network);
  for (int index : layers) {
    const LayerWorkload& w = workloads[size_t(index)];
    VerifiedLayer v;
    v.layer = index;
    v.name = w.name;
    v.kind = to_string(w.kind);
    v.bits = policy.layers[size_t(index)];
    const LayerStats a = analytic->evaluate(w, v.bits);
    const LayerStats s = systemc->evaluate(w, v.bits);
    v.analytic_cycles = a.cycles;
    v.systemc_cycles = s.cycles;
    v.analytic_difference = double(a.cycles) / double(s.cycles) - 1.0;
    // The declared tolerance, plus a rounding margin for exact models.
    v.analytic_within_tolerance = std::abs(v.analytic_difference) <= report.tolerance + 1e-12;
    v.systemc_bit_exact = s.bit_exact.value_or(false);
    if (rtl) {
      const LayerStats r = rtl->evaluate(w, v.bits);
      v.rtl_cycles = r.cycles;
      v.rtl_equals_systemc = same_statistics(r, s);
      v.rtl_bit_exact = r.bit_exact.value_or(false);
    }
    report.layers.push_back(v);
  }
  return report;
}

std::string format_verify_table(const VerifyReport& r) {
  const std::string held =
      r.tolerance == 0 ? std::string("exactly equal to systemc (the accelerator declares it exact)")
                       : fmt::format("to {:.1f}% of systemc (the accelerator's declared tolerance)",
                                     100 * r.tolerance);
  std::string out =
      fmt::format("{}, {}: analytic held {}{}\n", r.arch_file, r.model, held,
                  r.rtl_note.empty() ? "" : fmt::format("; no rtl column: {}", r.rtl_note));
  out += fmt::format("{:>3} {:<18} {:<7} {:>5} {:>12} {:>12} {:>8} {:>12} {:>7} {:>10} {:>4}\n",
                     "#", "layer", "kind", "w/a", "analytic", "systemc", "an-sc", "rtl", "rtl=sc",
                     "bit-exact", "ok");
  for (const VerifiedLayer& l : r.layers) {
    out += fmt::format(
        "{:>3} {:<18} {:<7} {:>5} {:>12} {:>12} {:>7.2f}% {:>12} {:>7} {:>10} {:>4}\n", l.layer,
        l.name.substr(0, 18), l.kind, fmt::format("{}/{}", l.bits.wbits, l.bits.abits),
        l.analytic_cycles, l.systemc_cycles, 100 * l.analytic_difference,
        l.rtl_cycles ? std::to_string(*l.rtl_cycles) : std::string("-"),
        l.rtl_equals_systemc ? (*l.rtl_equals_systemc ? "yes" : "NO") : "-",
        l.systemc_bit_exact && l.rtl_bit_exact.value_or(true) ? "yes" : "NO",
        l.ok() ? "ok" : "FAIL");
  }
  int failed = 0;
  for (const VerifiedLayer& l : r.layers) failed += !l.ok();
  out += failed == 0
             ? fmt::format("verified: all {} layers agree\n", r.layers.size())
             : fmt::format("verification FAILED on {} of {} layers\n", failed, r.layers.size());
  return out;
}

std::string verify_csv(const VerifyReport& r) {
  std::string out =
      "layer,name,kind,wbits,abits,analytic_cycles,systemc_cycles,analytic_difference,"
      "rtl_cycles,rtl_equals_systemc,systemc_bit_exact,rtl_bit_exact,ok\n";
  auto opt = [](const std::optional<bool>& b) { return b ? (*b ? "true" : "false") : ""; };
  for (const VerifiedLayer& l : r.layers) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{:.6f},{},{},{},{},{}\n", l.layer, csv_field(l.name), l.kind,
        l.bits.wbits, l.bits.abits, l.analytic_cycles, l.systemc_cycles, l.analytic_difference,
        l.rtl_cycles ? std::to_string(*l.rtl_cycles) : std::string(), opt(l.rtl_equals_systemc),
        l.systemc_bit_exact ? "true" : "false", opt(l.rtl_bit_exact), l.ok() ? "true" : "false");
  }
  return out;
}

}  // namespace haqsim
