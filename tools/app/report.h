// Per-layer reports of a network run: a terminal table for people, layers.csv and summary.json
// for scripts. Column meanings are listed in the README ("Report columns").
#pragma once

#include <string>

#include "tools/app/network_run.h"

namespace haqsim {

std::string format_table(const NetworkRun& run);
std::string to_csv(const NetworkRun& run);
std::string to_summary_json(const NetworkRun& run);

// Writes DIR/layers.csv and DIR/summary.json; each appears whole or not at all.
void write_report(const std::string& dir, const NetworkRun& run);

}  // namespace haqsim
