#include "tools/app/calibrate.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlopt.hpp>
#include <numeric>
#include <regex>
#include <set>
#include <sstream>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "base/yaml_input.h"
#include "models/workload.h"
#include "sim/registry.h"
#include "tools/app/config_patch.h"

namespace haqsim {

namespace {

// One CSV record as RFC 4180 writes it (quoted fields may hold commas and doubled quotes); the
// measurement files are small and flat, so a record is one line.
std::vector<std::string> split_csv_record(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

std::optional<double> parse_number(const std::string& text) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::logic_error&) {
  }
  return std::nullopt;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  auto ranks = [](const std::vector<double>& v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return v[x] < v[y]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
      size_t j = i;
      while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
      for (size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * double(i + j);  // ties: mean rank
      i = j + 1;
    }
    return r;
  };
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = double(a.size());
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
  const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

std::string value_text(const CalibrationParam& p, double v) {
  return p.integer ? std::to_string(std::llround(v)) : fmt::format("{:.6g}", v);
}

// Predicts the measured rows under one assignment of the parameters. Configs that the
// accelerator rejects (a port count of 0, a buffer that no longer fits) are infeasible points
// rather than errors: the optimizer is told they are very bad and moves on.
class CalibrationObjective {
 public:
  CalibrationObjective(const ArchConfig& base, const Network& network, const Measurements& m,
                       const std::vector<CalibrationParam>& params)
      : base_(base), workloads_(lower_network(network)), m_(m), params_(params) {
    for (const CalibrationParam& p : params_) keys_.push_back(p.key);
  }

  static constexpr double kInfeasible = 1e3;

  // RMS log error at `values` (integers rounded); fills `times` with the predicted times.
  double error(const std::vector<double>& values, std::vector<double>* times = nullptr) {
    std::vector<std::string> texts;
    for (size_t i = 0; i < params_.size(); ++i) texts.push_back(value_text(params_[i], values[i]));
    if (!times) {
      if (auto it = memo_.find(texts); it != memo_.end()) return it->second;
    }
    ++evaluations_;
    double result = kInfeasible;
    try {
      const ArchConfig config = config_with_values(base_.content, base_.file, keys_, texts);
      auto model = make_cost_model(config, Backend::kAnalytic);
      std::map<std::tuple<int, int, int>, LayerStats> seen;
      double sum = 0;
      int terms = 0;
      if (times) times->clear();
      for (const Measurement& row : m_.rows) {
        const auto key = std::make_tuple(row.layer, row.bits.wbits, row.bits.abits);
        auto it = seen.find(key);
        if (it == seen.end()) {
          it = seen.emplace(key, model->evaluate(workloads_[size_t(row.layer)], row.bits)).first;
        }
        const LayerStats& s = it->second;
        const double t =
            m_.time_unit == "ms" ? config.cycles_to_ms(double(s.cycles)) : double(s.cycles);
        if (times) times->push_back(t);
        sum += std::pow(std::log(t / row.time), 2);
        ++terms;
        if (row.energy_pj) {
          sum += std::pow(std::log(s.energy.total_pj() / *row.energy_pj), 2);
          ++terms;
        }
      }
      result = std::sqrt(sum / terms);
      if (!std::isfinite(result)) result = kInfeasible;
    } catch (const InputError&) {
      result = kInfeasible;
    }
    memo_[texts] = result;
    if (result < best_error_) {
      best_error_ = result;
      best_ = values;
      for (size_t i = 0; i < params_.size(); ++i) {
        if (params_[i].integer) best_[i] = double(std::llround(best_[i]));
      }
    }
    return result;
  }

  CalibrationError measure(const std::vector<double>& values) {
    std::vector<double> predicted, measured;
    CalibrationError e;
    e.rms_log = error(values, &predicted);
    for (const Measurement& row : m_.rows) measured.push_back(row.time);
    e.spearman = predicted.size() == measured.size() ? spearman(predicted, measured) : 0.0;
    return e;
  }

  std::vector<double> predicted_times(const std::vector<double>& values) {
    std::vector<double> t;
    error(values, &t);
    return t;
  }

  int evaluations() const { return evaluations_; }
  const std::vector<double>& best() const { return best_; }
  double best_error() const { return best_error_; }

 private:
  const ArchConfig& base_;
  std::vector<LayerWorkload> workloads_;
  const Measurements& m_;
  const std::vector<CalibrationParam>& params_;
  std::vector<std::string> keys_;
  std::map<std::vector<std::string>, double> memo_;
  int evaluations_ = 0;
  std::vector<double> best_;
  double best_error_ = std::numeric_limits<double>::infinity();
};

// The optimizers work on u in [0, 1]^n: log-spaced between positive bounds (latencies and
// energies are scale parameters: 20 -> 40 is as far as 40 -> 80), linear otherwise.
struct UnitBox {
  std::vector<CalibrationParam> params;
  double to_value(size_t i, double u) const {
    const CalibrationParam& p = params[i];
    if (p.lower > 0)
      return std::exp(std::log(p.lower) + u * (std::log(p.upper) - std::log(p.lower)));
    return p.lower + u * (p.upper - p.lower);
  }
  double to_unit(size_t i, double v) const {
    const CalibrationParam& p = params[i];
    const double u =
        p.lower > 0 ? (std::log(v) - std::log(p.lower)) / (std::log(p.upper) - std::log(p.lower))
                    : (v - p.lower) / (p.upper - p.lower);
    return std::clamp(u, 0.0, 1.0);
  }
};

// Runs one NLopt algorithm over the dimensions `free` (the others stay at `values`) and leaves
// the best point the objective has seen in `values`.
void run_nlopt(nlopt::algorithm algorithm, const UnitBox& box, const std::vector<size_t>& free,
               CalibrationObjective& objective, std::vector<double>& values, int max_evaluations) {
  if (free.empty() || max_evaluations <= 0) return;
  struct Context {
    const UnitBox* box;
    const std::vector<size_t>* free;
    CalibrationObjective* objective;
    std::vector<double> values;
  } ctx{&box, &free, &objective, values};
  nlopt::opt opt(algorithm, unsigned(free.size()));
  opt.set_lower_bounds(std::vector<double>(free.size(), 0.0));
  opt.set_upper_bounds(std::vector<double>(free.size(), 1.0));
  opt.set_maxeval(max_evaluations);
  opt.set_xtol_rel(1e-7);
  opt.set_min_objective(
      [](const std::vector<double>& u, std::vector<double>&, void* data) {
        auto* c = static_cast<Context*>(data);
        std::vector<double> v = c->values;
        for (size_t k = 0; k < c->free->size(); ++k) {
          v[(*c->free)[k]] = c->box->to_value((*c->free)[k], u[k]);
        }
        return c->objective->error(v);
      },
      &ctx);
  std::vector<double> u;
  for (size_t i : free) u.push_back(box.to_unit(i, values[i]));
  double minimum = 0;
  try {
    opt.optimize(u, minimum);
  } catch (const std::exception&) {
    // NLopt signals round-off limits and the like by throwing; the best point seen still stands.
  }
  if (!objective.best().empty()) values = objective.best();
}

}  // namespace

Measurements read_measurements(const std::string& path, const Network& network) {
  Measurements m;
  m.file = path;
  const std::vector<LayerWorkload> workloads = lower_network(network);
  std::istringstream in(read_whole_file(path));
  std::string line;
  if (!std::getline(in, line)) {
    throw InputError({path, 1, ""}, "a CSV header (name or layer, wbits, abits, cycles or ms)",
                     "an empty file");
  }
  std::map<std::string, size_t> column;
  const std::vector<std::string> header = split_csv_record(line);
  for (size_t i = 0; i < header.size(); ++i) column[trim(header[i])] = i;
  auto has = [&](const char* c) { return column.count(c) > 0; };
  if (!has("name") && !has("layer")) {
    throw InputError({path, 1, ""}, "a 'name' or 'layer' column", "'" + trim(line) + "'");
  }
  for (const char* c : {"wbits", "abits"}) {
    if (!has(c)) throw InputError({path, 1, c}, "a '" + std::string(c) + "' column", "none");
  }
  std::string time_column;
  for (const char* c : {"cycles", "ms", "latency_ms"}) {
    if (has(c)) {
      time_column = c;
      break;
    }
  }
  if (time_column.empty()) {
    throw InputError({path, 1, ""}, "a 'cycles', 'ms' or 'latency_ms' column",
                     "'" + trim(line) + "'");
  }
  m.time_unit = time_column == "cycles" ? "cycles" : "ms";
  std::string energy_column;
  double energy_scale = 0;
  for (auto [c, scale] : {std::pair{"energy_pj", 1.0}, {"energy_uj", 1e6}, {"energy_mj", 1e9}}) {
    if (has(c)) {
      energy_column = c;
      energy_scale = scale;
      break;
    }
  }

  for (int n = 2; std::getline(in, line); ++n) {
    if (trim(line).empty()) continue;
    const std::vector<std::string> f = split_csv_record(line);
    if (f.size() != header.size()) {
      throw InputError({path, n, ""}, fmt::format("{} fields, as the header has", header.size()),
                       fmt::format("{}", f.size()));
    }
    // A layers.csv's host rows (pooling, element-wise, ...) are not the array's: its model and
    // the keys being fitted do not cost them.
    if (has("on_array") && trim(f[column["on_array"]]) == "false") continue;
    Measurement row;
    row.line = n;
    const std::string name = has("name") ? trim(f[column["name"]]) : "";
    if (!name.empty()) {
      auto it = std::find_if(workloads.begin(), workloads.end(),
                             [&](const LayerWorkload& w) { return w.name == name; });
      if (it == workloads.end()) {
        throw InputError({path, n, "name"},
                         fmt::format("a layer of {} (e.g. '{}')", network.name,
                                     workloads.empty() ? "" : workloads.front().name),
                         "'" + name + "'");
      }
      row.layer = int(it - workloads.begin());
    } else {
      const std::string text = has("layer") ? trim(f[column["layer"]]) : "";
      const auto v = parse_number(text);
      if (!v || *v != std::floor(*v) || *v < 0 || *v >= double(workloads.size())) {
        throw InputError({path, n, "layer"},
                         fmt::format("a quantizable-layer index in [0, {}]", workloads.size() - 1),
                         "'" + text + "'");
      }
      row.layer = int(*v);
    }
    int* bits[] = {&row.bits.wbits, &row.bits.abits};
    const char* bit_columns[] = {"wbits", "abits"};
    for (int b = 0; b < 2; ++b) {
      const std::string text = trim(f[column[bit_columns[b]]]);
      const auto v = parse_number(text);
      if (!v || *v != std::floor(*v) || *v < 1 || *v > 8) {
        throw InputError({path, n, bit_columns[b]}, "an integer from 1 to 8", "'" + text + "'");
      }
      *bits[b] = int(*v);
    }
    const std::string time_text = trim(f[column[time_column]]);
    const auto time = parse_number(time_text);
    if (!time || *time <= 0) {
      throw InputError({path, n, time_column}, "a positive number", "'" + time_text + "'");
    }
    row.time = *time;
    if (!energy_column.empty()) {
      const std::string text = trim(f[column[energy_column]]);
      const auto e = parse_number(text);
      if (!e || *e <= 0) {
        throw InputError({path, n, energy_column}, "a positive number", "'" + text + "'");
      }
      row.energy_pj = *e * energy_scale;
    }
    m.rows.push_back(row);
  }
  if (m.rows.empty()) throw InputError({path, 2, ""}, "at least one measured layer", "none");
  return m;
}

std::vector<CalibrationParam> parse_calibration_params(const std::string& text,
                                                       const ArchConfig& base) {
  const YAML::Node tree = YAML::Load(base.content);
  std::vector<CalibrationParam> params;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string item;
  static const std::regex spec(R"(^([A-Za-z0-9_.]+)(=([^:]+):(.+))?$)");
  while (std::getline(in, item, ',')) {
    std::smatch match;
    if (!std::regex_match(item, match, spec)) {
      throw InputError({"", 0, "--params"}, "KEY or KEY=LOW:HIGH, comma-separated",
                       "'" + item + "'");
    }
    CalibrationParam p;
    p.key = match[1];
    if (!seen.insert(p.key).second) {
      throw InputError({"", 0, "--params"}, "each key once", "'" + p.key + "' twice");
    }
    const YAML::Node node = config_key_node(tree, p.key);
    const auto initial = node && node.IsScalar() ? parse_number(node.Scalar()) : std::nullopt;
    if (!initial) {
      throw InputError({base.file, 0, p.key}, "a numeric key of the config to fit",
                       node ? "'" + YAML::Dump(node) + "'" : "no such key");
    }
    p.initial = *initial;
    p.integer = std::regex_match(node.Scalar(), std::regex(R"(^-?[0-9]+$)"));
    if (match[2].matched) {
      const auto lo = parse_number(match[3]), hi = parse_number(match[4]);
      if (!lo || !hi || *lo >= *hi) {
        throw InputError({"", 0, "--params"}, "LOW < HIGH, both numbers", "'" + item + "'");
      }
      p.lower = *lo;
      p.upper = *hi;
    } else if (p.initial > 0) {
      p.lower = p.integer ? std::max(1.0, std::floor(p.initial / 4)) : p.initial / 4;
      p.upper = p.integer ? std::max(p.lower + 1, std::ceil(p.initial * 4)) : p.initial * 4;
    } else {
      throw InputError({"", 0, "--params"},
                       "explicit bounds (KEY=LOW:HIGH) for a key whose value is not positive",
                       fmt::format("{} = {}", p.key, p.initial));
    }
    params.push_back(p);
  }
  if (params.empty()) throw InputError({"", 0, "--params"}, "at least one key", "none");
  return params;
}

std::string set_yaml_scalar(const std::string& text, const std::string& file,
                            const std::string& key, const std::string& value,
                            const std::string& comment) {
  const std::vector<std::string> target = split_config_key(key);
  std::vector<std::pair<size_t, std::string>> path;  // (indent, key) of the enclosing maps
  static const std::regex entry(R"(^(\s*)([A-Za-z0-9_]+):(.*)$)");
  std::istringstream in(text);
  std::string out, line;
  bool done = false;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch match;
    if (!done && std::regex_match(line, match, entry)) {
      const size_t indent = size_t(match.length(1));
      while (!path.empty() && path.back().first >= indent) path.pop_back();
      path.emplace_back(indent, match[2]);
      bool same = path.size() == target.size();
      for (size_t i = 0; same && i < target.size(); ++i) same = path[i].second == target[i];
      if (same) {
        const std::string rest = match[3];
        const size_t hash = rest.find(" #");
        const std::string old_value = trim(rest.substr(0, hash));
        if (old_value.empty()) {
          throw InputError({file, n, key}, "a scalar value on the key's line", "a nested map");
        }
        const std::string old_comment =
            hash == std::string::npos ? "" : trim(rest.substr(hash + 2));
        line = fmt::format("{}{}: {}  # {}{}", std::string(match[1]), std::string(match[2]), value,
                           comment, old_comment.empty() ? "" : ". Was: " + old_comment);
        done = true;
      }
    }
    out += line + "\n";
  }
  if (!done) {
    throw InputError({file, 0, key}, "the key on a line of its own in block style", "no such line");
  }
  return out;
}

CalibrationResult calibrate(const ArchConfig& base, const Network& network,
                            const Measurements& measurements,
                            const std::vector<CalibrationParam>& params, int max_evaluations) {
  CalibrationResult result;
  result.params = params;
  CalibrationObjective objective(base, network, measurements, params);
  std::vector<double> initial;
  for (const CalibrationParam& p : params) initial.push_back(p.initial);
  result.before = objective.measure(initial);
  const std::vector<double> before_times = objective.predicted_times(initial);

  UnitBox box{params};
  std::vector<size_t> all(params.size()), continuous;
  std::iota(all.begin(), all.end(), 0);
  for (size_t i = 0; i < params.size(); ++i) {
    if (!params[i].integer) continuous.push_back(i);
  }
  std::vector<double> values = initial;
  // Global first: the integer keys make the landscape a staircase that local methods stall on.
  run_nlopt(nlopt::GN_DIRECT_L, box, all, objective, values, max_evaluations * 3 / 5);
  run_nlopt(nlopt::LN_SBPLX, box, all, objective, values, max_evaluations / 5);
  // Integer polish: one step at a time on each integer key, the continuous keys re-fitted.
  for (bool improved = true; improved && objective.evaluations() < 2 * max_evaluations;) {
    improved = false;
    for (size_t i = 0; i < params.size(); ++i) {
      if (!params[i].integer) continue;
      for (double step : {-1.0, 1.0}) {
        std::vector<double> candidate = objective.best();
        const double before = objective.best_error();
        candidate[i] += step;
        if (candidate[i] < params[i].lower || candidate[i] > params[i].upper) continue;
        objective.error(candidate);
        std::vector<double> polished = candidate;
        // run_nlopt leaves the objective's best in `polished`; only moves that beat `before`
        // change it, so a worse neighbour is dropped here.
        run_nlopt(nlopt::LN_SBPLX, box, continuous, objective, polished, 200);
        if (objective.best_error() < before - 1e-12) improved = true;
      }
    }
  }
  result.fitted = objective.best();
  result.after = objective.measure(result.fitted);
  result.evaluations = objective.evaluations();

  const std::vector<double> after_times = objective.predicted_times(result.fitted);
  const std::vector<LayerWorkload> workloads = lower_network(network);
  for (size_t r = 0; r < measurements.rows.size(); ++r) {
    const Measurement& row = measurements.rows[r];
    result.layers.push_back(
        {&row, workloads[size_t(row.layer)].name, before_times[r], after_times[r]});
  }
  std::stable_sort(result.layers.begin(), result.layers.end(),
                   [](const CalibratedLayer& a, const CalibratedLayer& b) {
                     return std::abs(std::log(a.after / a.measured->time)) >
                            std::abs(std::log(b.after / b.measured->time));
                   });

  std::string yaml = base.content;
  std::string fitted_lines;
  for (size_t i = 0; i < params.size(); ++i) {
    const std::string text = value_text(params[i], result.fitted[i]);
    yaml = set_yaml_scalar(yaml, base.file, params[i].key, text,
                           fmt::format("CALIBRATED by haqsim calibrate (was {})",
                                       value_text(params[i], params[i].initial)));
    fitted_lines +=
        fmt::format("#   {}: {} -> {} (bounds {} to {})\n", params[i].key,
                    value_text(params[i], params[i].initial), text,
                    value_text(params[i], params[i].lower), value_text(params[i], params[i].upper));
  }
  const bool energy = !measurements.rows.empty() && measurements.rows.front().energy_pj.has_value();
  result.calibrated_yaml =
      fmt::format(
          "# Calibrated by `haqsim calibrate` from {} against {} ({} measured layers, {}{}).\n"
          "# Fitted (lines marked CALIBRATED):\n{}"
          "# RMS log error {:.4f} -> {:.4f}; Spearman rho {:.4f} -> {:.4f}.\n",
          base.file, measurements.file, measurements.rows.size(), measurements.time_unit,
          energy ? " and energy" : "", fitted_lines, result.before.rms_log, result.after.rms_log,
          result.before.spearman, result.after.spearman) +
      yaml;
  // The written file must be a valid config that holds exactly the fitted values.
  const YamlInput check = YamlInput::load_string(result.calibrated_yaml, base.file);
  parse_arch_config(check, result.calibrated_yaml);
  return result;
}

std::string format_calibration(const CalibrationResult& r, const Measurements& m,
                               int worst_layers) {
  const bool energy = !m.rows.empty() && m.rows.front().energy_pj.has_value();
  std::string out = fmt::format(
      "calibrated {} parameter(s) against {} ({} layers, {}{}) in {} model evaluations\n",
      r.params.size(), m.file, m.rows.size(), m.time_unit, energy ? " and energy" : "",
      r.evaluations);
  out += fmt::format("  {:<36} {:>12} {:>12}   {}\n", "parameter", "before", "fitted", "bounds");
  for (size_t i = 0; i < r.params.size(); ++i) {
    const CalibrationParam& p = r.params[i];
    out += fmt::format("  {:<36} {:>12} {:>12}   [{}, {}]\n", p.key, value_text(p, p.initial),
                       value_text(p, r.fitted[i]), value_text(p, p.lower), value_text(p, p.upper));
  }
  out += fmt::format("  {:<36} {:>12.4f} {:>12.4f}\n", "RMS log error", r.before.rms_log,
                     r.after.rms_log);
  out += fmt::format("  {:<36} {:>12.4f} {:>12.4f}\n", "Spearman rho (time)", r.before.spearman,
                     r.after.spearman);
  const int shown = std::min<int>(worst_layers, int(r.layers.size()));
  if (shown > 0) {
    out += fmt::format("worst {} layer(s) after the fit ({}):\n", shown, m.time_unit);
    out += fmt::format("  {:>5} {:>5} {:<24} {:>5} {:>14} {:>14} {:>14} {:>9}\n", "line", "layer",
                       "name", "w/a", "measured", "before", "fitted", "error");
    for (int i = 0; i < shown; ++i) {
      const CalibratedLayer& l = r.layers[size_t(i)];
      out +=
          fmt::format("  {:>5} {:>5} {:<24} {:>5} {:>14.6g} {:>14.6g} {:>14.6g} {:>8.2f}%\n",
                      l.measured->line, l.measured->layer, l.name.substr(0, 24),
                      fmt::format("{}/{}", l.measured->bits.wbits, l.measured->bits.abits),
                      l.measured->time, l.before, l.after, 100 * (l.after / l.measured->time - 1));
    }
  }
  return out;
}

}  // namespace haqsim
