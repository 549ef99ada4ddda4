// `haqsim calibrate`: fits named parameters of an arch config to per-layer measurements of the
// user's own hardware, so that the models' numbers become the machine's.
//
// The fit minimizes the RMS of log(predicted / measured) over every measured row (cycles or
// milliseconds, and energy where the file gives it), because a 10% error on a 20-cycle layer
// and on a 2-million-cycle layer should weigh the same. Predictions come from the analytic
// backend, which every registered accelerator holds to its declared tolerance of SystemC (all
// three are exact), so a fit costs milliseconds per evaluation instead of a simulation.
//
// The optimizer is NLopt's: DIRECT-L, a deterministic global search over the box of bounds, then
// Subplex (a derivative-free local method that tolerates the objective's steps) to polish. Integer
// keys (ports, latencies, overheads) are rounded before every evaluation, which leaves the
// objective piecewise constant in them; a final pass steps each integer by +-1 and re-polishes the
// rest until nothing improves, since neither NLopt algorithm knows a parameter is integral.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/network.h"
#include "models/policy.h"
#include "sim/common/arch_config.h"

namespace haqsim {

// One measured layer: which layer of the network (by its quantizable index), at which bits,
// and what the hardware took.
struct Measurement {
  int line = 0;  // in the measurements file, for messages
  int layer = 0;
  LayerBits bits;
  double time = 0;                  // in `Measurements::time_unit`
  std::optional<double> energy_pj;  // when the file has an energy column
};

struct Measurements {
  std::string file;
  std::string time_unit;  // "cycles" or "ms"
  std::vector<Measurement> rows;
};

// Reads a CSV with a header naming its columns: `name` (the layer's name, as `haqsim simulate`
// reports it) or `layer` (its quantizable index); `wbits` and `abits` (1..8); `cycles` or `ms`
// (or `latency_ms`); optionally `energy_pj`, `energy_uj` or `energy_mj`. Other columns are
// ignored, so a layers.csv written by `haqsim simulate --out` is a valid measurements file.
// InputError naming the file, line and column for anything else.
Measurements read_measurements(const std::string& path, const Network& network);

// A parameter to fit: a dotted key of the config ("dram.latency_cycles"), its bounds, and
// whether the config holds it as an integer.
struct CalibrationParam {
  std::string key;
  double initial = 0;
  double lower = 0, upper = 0;
  bool integer = false;
};

// "dram.latency_cycles,energy.dpu_pj_per_binary_op=0.1:2" against the config's text: each key
// must name a numeric scalar of the config; bounds default to [value/4, value*4] (at least 1 for
// integers). InputError naming --params otherwise.
std::vector<CalibrationParam> parse_calibration_params(const std::string& text,
                                                       const ArchConfig& base);

// The fit's error at one point: RMS of log(predicted / measured) over every time and energy
// value, and Spearman's rank correlation of predicted and measured time.
struct CalibrationError {
  double rms_log = 0;
  double spearman = 0;
};

struct CalibratedLayer {
  const Measurement* measured = nullptr;
  std::string name;
  double before = 0, after = 0;  // predicted time, in the measurements' unit
};

struct CalibrationResult {
  std::vector<CalibrationParam> params;
  std::vector<double> fitted;  // per param, integers already rounded
  CalibrationError before, after;
  int evaluations = 0;
  std::vector<CalibratedLayer> layers;  // worst first, by |log(after / measured)|
  std::string calibrated_yaml;          // the base config's text with the fitted values
};

CalibrationResult calibrate(const ArchConfig& base, const Network& network,
                            const Measurements& measurements,
                            const std::vector<CalibrationParam>& params, int max_evaluations);

// `key` set to `value` in a config's YAML text, keeping every other line and comment; the
// value's line gets `comment` in front of its old comment. InputError if `key` is not a scalar
// on a line of its own (the fitted config then cannot say what was fitted where).
std::string set_yaml_scalar(const std::string& text, const std::string& file,
                            const std::string& key, const std::string& value,
                            const std::string& comment);

std::string format_calibration(const CalibrationResult& result, const Measurements& measurements,
                               int worst_layers);

}  // namespace haqsim
