#include "tools/app/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/atomic_file.h"
#include "tools/app/csv_field.h"
#include "tools/app/run_figures.h"

namespace haqsim {

namespace {

double cycles_to_ms(const NetworkRun& run, int64_t cycles) {
  return double(cycles) / (run.clock_mhz * 1e3);
}

// One report row: an array layer or a host layer, in network order.
struct Row {
  const LayerResult* array = nullptr;
  const HostLayerResult* host = nullptr;
  const LayerStats& stats() const { return array ? array->stats : host->stats; }
  const std::string& name() const { return array ? array->workload.name : host->workload.name; }
  LayerKind kind() const { return array ? array->workload.kind : host->workload.kind; }
  std::string shape() const {
    return array ? array->workload.shape_string() : host->workload.shape;
  }
  int64_t macs() const { return array ? array->workload.macs() : 0; }
};

// Array layers and host layers merged in network order (array layers of a run that did not
// record their network positions come first).
std::vector<Row> rows_of(const NetworkRun& run) {
  std::vector<std::pair<int, Row>> keyed;
  for (size_t i = 0; i < run.layers.size(); ++i) {
    const int at = run.layers[i].network_index;
    keyed.push_back(
        {at >= 0 ? at : -int(run.layers.size()) + int(i), Row{&run.layers[i], nullptr}});
  }
  for (const auto& h : run.host_layers) keyed.push_back({h.workload.layer_index, Row{nullptr, &h}});
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Row> rows;
  for (auto& [k, r] : keyed) rows.push_back(r);
  return rows;
}

// The widest name column the table grows to; longer names are shortened (full ones: layers.csv).
constexpr size_t kMaxNameWidth = 40;

// A layer name for the table: ONNX exports repeat each scope in the next path component
// (`/layer1/layer1.0/conv1/Conv`), so a component the following one starts with is dropped
// (`layer1.0/conv1/Conv`, as the HTML report's plots shorten them); a name still wider than the
// column keeps its tail, the most specific part, after "..".
std::string table_name(const std::string& name) {
  std::vector<std::string> parts;
  for (size_t at = 0; at <= name.size();) {
    const size_t slash = std::min(name.find('/', at), name.size());
    if (slash > at) parts.push_back(name.substr(at, slash - at));
    at = slash + 1;
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i + 1 < parts.size() && parts[i + 1].rfind(parts[i], 0) == 0) continue;
    out += (out.empty() ? "" : "/") + parts[i];
  }
  if (out.empty()) out = name;
  if (out.size() > kMaxNameWidth) out = ".." + out.substr(out.size() - (kMaxNameWidth - 2));
  return out;
}

}  // namespace

std::string format_table(const NetworkRun& run) {
  std::string out;
  out += fmt::format("{} on {} ({}, {} backend, {} MHz)\n", run.model, run.arch_name, run.arch_type,
                     to_string(run.backend), run.clock_mhz);
  out += fmt::format("network: {}\npolicy: {}\n\n", run.instance, run.policy_source);
  const std::vector<Row> rows = rows_of(run);
  // The name column is as wide as the longest (shortened) name, within 16..kMaxNameWidth.
  size_t width = 16;
  bool shortened = false;
  for (const Row& r : rows) {
    const std::string name = table_name(r.name());
    width = std::max(width, name.size());
    shortened = shortened || name != r.name();
  }
  // Units as in layers.csv and summary.json: ms, mJ; DRAM in kB (10^3 bytes, as size_mb's MB).
  const auto header = fmt::format(
      "{:>3} {:<{}} {:<7} {:>5} {:>9} {:>11} {:>6} {:>6} {:<7} {:>9} "
      "{:>10} {:>10} {:<17}\n",
      "#", "layer", width, "kind", "w/a", "MMACs", "cycles", "stall%", "util%", "bound", "lat(ms)",
      "energy(mJ)", "DRAM(kB)", "mapping");
  out += header;
  out += std::string(header.size() - 1, '-') + "\n";
  for (const Row& r : rows) {
    const LayerStats& s = r.stats();
    out += fmt::format(
        "{:>3} {:<{}} {:<7} {:>5} {:>9.2f} {:>11} {:>6.1f} {:>6.1f} {:<7} {:>9.4f} {:>10.4f} "
        "{:>10.1f} {:<17}\n",
        r.array ? std::to_string(r.array->workload.quant_index) : "-", table_name(r.name()), width,
        to_string(r.kind()),
        r.array ? fmt::format("{}/{}", r.array->bits.wbits, r.array->bits.abits) : "host",
        r.macs() / 1e6, s.cycles, 100.0 * s.stall_cycles / std::max<int64_t>(1, s.cycles),
        100.0 * s.utilization, s.bound(), cycles_to_ms(run, s.cycles), s.energy.total_pj() * 1e-9,
        (s.dram_read_bytes + s.dram_write_bytes) / 1e3, s.mapping);
  }
  out += std::string(header.size() - 1, '-') + "\n";
  int64_t stall = 0, dram = 0;
  int memory_bound = 0;
  double useful = 0, peak_time = 0;
  for (const auto& l : run.layers) {
    stall += l.stats.stall_cycles;
    dram += l.stats.dram_read_bytes + l.stats.dram_write_bytes;
    memory_bound += l.stats.memory_bound ? 1 : 0;
    useful += l.stats.utilization * l.stats.cycles;
    peak_time += l.stats.cycles;
  }
  for (const auto& l : run.host_layers) {
    stall += l.stats.stall_cycles;
    dram += l.stats.dram_read_bytes + l.stats.dram_write_bytes;
    peak_time += l.stats.cycles;  // the array is idle meanwhile
  }
  out += fmt::format(
      "{:>3} {:<{}} {:<7} {:>5} {:>9.2f} {:>11} {:>6.1f} {:>6.1f} {:<7} {:>9.4f} {:>10.4f} "
      "{:>10.1f}\n",
      "", "total", width, "", "", run.total_macs() / 1e6, run.total_cycles(),
      100.0 * stall / std::max<int64_t>(1, run.total_cycles()),
      100.0 * useful / std::max(1.0, peak_time), fmt::format("{}mem", memory_bound),
      run.latency_ms(), run.energy_mj(), dram / 1e3);
  if (shortened) {
    out +=
        "layer names shortened (a scope repeated by the next part dropped, the longest cut "
        "at the front): full names in layers.csv\n";
  }
  const EnergyBreakdown e = run.total_energy();
  out += fmt::format(
      "\nlatency {:.4f} ms | energy {:.4f} mJ (compute {:.1f}%, buffers {:.1f}%, DRAM {:.1f}%, "
      "static {:.1f}%) | {} of {} array layers memory-bound\n",
      run.latency_ms(), run.energy_mj(), 100 * e.compute_pj / e.total_pj(),
      100 * e.buffer_pj / e.total_pj(), 100 * e.dram_pj / e.total_pj(),
      100 * e.static_pj / e.total_pj(), memory_bound, run.layers.size());
  if (!run.host_layers.empty()) {
    out += fmt::format(
        "host layers ('-' rows, not on the array): {}, {} cycles = {:.1f}% of the total (declared "
        "host model, arch config's host:)\n",
        run.host_layers.size(), run.host_cycles(),
        100.0 * double(run.host_cycles()) / double(std::max<int64_t>(1, run.total_cycles())));
  }
  out += format_run_figures(run);
  const nlohmann::json exact = run.bit_exact();
  if (!exact.is_null()) {
    out += exact.get<bool>()
               ? "outputs: bit-exact with the reference on every layer\n"
               : "outputs: MISMATCH with the reference (see summary.json per_layer)\n";
  }
  if (run.logits_match_reference) {
    out += *run.logits_match_reference
               ? "network: logits equal the integer reference's (host requantization between "
                 "layers)\n"
               : "network: logits DIFFER from the integer reference's\n";
  }
  return out;
}

std::string to_csv(const NetworkRun& run) {
  std::string out =
      "layer,name,kind,on_array,shape,wbits,abits,macs,cycles,compute_cycles,stall_cycles";
  const auto& stages = run.layers.empty() ? std::vector<StageStats>{} : run.layers[0].stats.stages;
  for (const auto& st : stages) {
    out += fmt::format(",{0}_busy,{0}_wait_token,{0}_wait_memory", st.name);
  }
  out +=
      ",dram_read_bytes,dram_write_bytes,transfer_cycles,utilization,mapping_utilization,"
      "stall_fraction,bound,mapping,latency_ms,energy_mj,energy_compute_mj,energy_buffer_mj,"
      "energy_dram_mj,energy_static_mj\n";
  for (const Row& r : rows_of(run)) {
    const LayerStats& s = r.stats();
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}",
                       r.array ? std::to_string(r.array->workload.quant_index) : "",
                       csv_field(r.name()), to_string(r.kind()), r.array ? "true" : "false",
                       csv_field(r.shape()), r.array ? std::to_string(r.array->bits.wbits) : "",
                       r.array ? std::to_string(r.array->bits.abits) : "", r.macs(), s.cycles,
                       s.compute_cycles, s.stall_cycles);
    // Host rows: the array's stages did nothing (the host's own time is compute/stall).
    for (size_t k = 0; k < stages.size(); ++k) {
      if (r.array && k < s.stages.size()) {
        out += fmt::format(",{},{},{}", s.stages[k].busy, s.stages[k].wait_token,
                           s.stages[k].wait_memory);
      } else {
        out += ",0,0,0";
      }
    }
    out += fmt::format(
        ",{},{},{},{:.6f},{:.6f},{:.4f},{},{},{:.6f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f}\n",
        s.dram_read_bytes, s.dram_write_bytes, s.transfer_cycles, s.utilization,
        s.mapping_utilization, s.stall_fraction(), s.bound(), csv_field(s.mapping),
        cycles_to_ms(run, s.cycles), s.energy.total_pj() * 1e-9, s.energy.compute_pj * 1e-9,
        s.energy.buffer_pj * 1e-9, s.energy.dram_pj * 1e-9, s.energy.static_pj * 1e-9);
  }
  return out;
}

std::string to_summary_json(const NetworkRun& run) {
  using nlohmann::json;
  const EnergyBreakdown e = run.total_energy();
  json layers = json::array();
  int memory_bound = 0;
  for (const Row& r : rows_of(run)) {
    const LayerStats& s = r.stats();
    if (r.array) memory_bound += s.memory_bound ? 1 : 0;
    json stages = json::array();
    for (const auto& st : s.stages) {
      stages.push_back({{"name", st.name},
                        {"busy", st.busy},
                        {"wait_token", st.wait_token},
                        {"wait_memory", st.wait_memory}});
    }
    json buffers = json::array();
    for (const auto& b : s.buffers) {
      buffers.push_back(
          {{"name", b.name}, {"read_bits", b.read_bits}, {"write_bits", b.write_bits}});
    }
    json details = json::object();
    for (const auto& [k, v] : s.details) details[k] = v;
    json buffer_energy = json::object();
    for (const auto& [k, v] : s.energy.buffer_detail_pj) buffer_energy[k] = v * 1e-9;
    const LayerResult* l = r.array;
    layers.push_back(
        {{"layer", l ? json(l->workload.quant_index) : json()},
         {"name", r.name()},
         {"kind", to_string(r.kind())},
         {"on_array", l != nullptr},
         {"operator", l ? json() : json(r.host->workload.op)},
         {"shape", r.shape()},
         {"wbits", l ? json(l->bits.wbits) : json()},
         {"abits", l ? json(l->bits.abits) : json()},
         {"input_signed", l ? json(l->workload.input_signed) : json()},
         {"macs", r.macs()},
         {"cycles", s.cycles},
         {"compute_cycles", s.compute_cycles},
         {"stall_cycles", s.stall_cycles},
         {"stages", stages},
         {"dram_read_bytes", s.dram_read_bytes},
         {"dram_write_bytes", s.dram_write_bytes},
         {"transfer_cycles", s.transfer_cycles},
         {"buffers", buffers},
         {"utilization", s.utilization},
         {"mapping_utilization", s.mapping_utilization},
         {"stall_fraction", s.stall_fraction()},
         {"bound", s.bound()},
         {"mapping", s.mapping},
         {"latency_ms", cycles_to_ms(run, s.cycles)},
         {"energy_mj", s.energy.total_pj() * 1e-9},
         {"energy_breakdown_mj",
          {{"compute", s.energy.compute_pj * 1e-9},
           {"buffers", s.energy.buffer_pj * 1e-9},
           {"buffer_detail", buffer_energy},
           {"dram", s.energy.dram_pj * 1e-9},
           {"static", s.energy.static_pj * 1e-9}}},
         {"details", details},
         {"bit_exact", s.bit_exact ? nlohmann::json(*s.bit_exact) : nlohmann::json()}});
  }
  json summary = {
      {"arch", run.arch_name},
      {"arch_file", run.arch_file},
      {"accelerator", run.arch_type},
      {"clock_mhz", run.clock_mhz},
      {"model", run.model},
      {"model_file", run.model_file.empty() ? json() : json(run.model_file)},
      {"onnx_opset", run.model_opset > 0 ? json(run.model_opset) : json()},
      {"onnx_producer", run.model_file.empty() ? json() : json(run.model_producer)},
      {"network_instance", run.instance},
      {"backend", to_string(run.backend)},
      {"resolution", run.resolution},
      {"batch", run.batch},
      {"policy", run.policy_source},
      {"operands", run.operands},
      {"logits_match_reference",
       run.logits_match_reference ? nlohmann::json(*run.logits_match_reference) : nlohmann::json()},
      {"layers", run.layers.size()},
      {"host_layers", run.host_layers.size()},
      {"total_macs", run.total_macs()},
      {"weights", run.weights},
      {"total_cycles", run.total_cycles()},
      {"array_cycles", run.array_cycles()},
      {"array_latency_ms", cycles_to_ms(run, run.array_cycles())},
      {"host_cycles", run.host_cycles()},
      {"latency_ms", run.latency_ms()},
      {"energy_mj", run.energy_mj()},
      {"energy_breakdown_mj",
       {{"compute", e.compute_pj * 1e-9},
        {"buffers", e.buffer_pj * 1e-9},
        {"dram", e.dram_pj * 1e-9},
        {"static", e.static_pj * 1e-9}}},
      {"memory_bound_layers", memory_bound},
      // True only when every layer's outputs were compared with the reference and all matched;
      // null when the backend does not execute data (analytic).
      {"bit_exact", run.bit_exact()},
      {"per_layer", layers},
  };
  add_run_figures(summary, run);
  return summary.dump(2) + "\n";
}

void write_report(const std::string& dir, const NetworkRun& run) {
  // Render both before writing either, so a failure leaves neither behind.
  const std::string csv = to_csv(run);
  const std::string json = to_summary_json(run);
  write_file_atomically(dir + "/layers.csv", csv);
  write_file_atomically(dir + "/summary.json", json);
}

}  // namespace haqsim
