// Figures of a whole network run besides its per-layer rows, for `haqsim simulate`'s table
// footer and summary.json (and every report written through tools/app/report.h):
//  - the instance's resource estimate against its device's budget, and whether it fits -- the
//    same ResourceUse (the machine's resource model) that a sweep's resource columns and `fits`
//    come from, so a simulated instance and its sweep point agree;
//  - throughput: images per second and milliseconds per image of a batch. A batch runs layer by
//    layer, so every image of it is done when the batch is (the latency is the batch's);
//    ms per image is that latency shared out over the batch's images.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/app/network_run.h"

namespace haqsim {

// Every resource within its budget (a resource without a budget fits).
bool run_fits(const NetworkRun& run);

// One message per resource over its budget, naming the resource, the estimate, the budget's
// config key and value and the device: "BRAM36 256 exceeds device.bram36 = 140 (Zynq-7020)".
std::vector<std::string> exceeded_budgets(const NetworkRun& run);

double images_per_second(const NetworkRun& run);
double ms_per_image(const NetworkRun& run);

// The table's footer lines: resources and fit (with the exceeded budgets), and throughput when
// the batch holds more than one image.
std::string format_run_figures(const NetworkRun& run);

// Adds device, resources (per resource: unit, used, budget, budget_key, fraction), fits,
// images_per_s and ms_per_image to a summary.json object.
void add_run_figures(nlohmann::json& summary, const NetworkRun& run);

}  // namespace haqsim
