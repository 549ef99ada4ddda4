#include "tools/app/run_figures.h"

#include <fmt/format.h>

#include <cmath>

namespace haqsim {

namespace {

std::string amount(const ResourceUse& r, double value) {
  return fmt::format("{:.{}f}", value, r.decimals);
}

// Budgets are mostly whole numbers of a datasheet (53,200 LUTs); print them as written.
std::string budget(const ResourceUse& r) {
  return r.budget == std::floor(r.budget) ? fmt::format("{:.0f}", r.budget) : amount(r, r.budget);
}

}  // namespace

bool run_fits(const NetworkRun& run) {
  for (const ResourceUse& r : run.resources) {
    if (!r.fits()) return false;
  }
  return true;
}

std::vector<std::string> exceeded_budgets(const NetworkRun& run) {
  std::vector<std::string> out;
  for (const ResourceUse& r : run.resources) {
    if (r.fits()) continue;
    out.push_back(fmt::format("{} {} exceeds {} = {} ({}, {:.0f}% of it)", r.unit,
                              amount(r, r.used),
                              r.budget_key.empty() ? r.name + " budget" : r.budget_key, budget(r),
                              run.device, 100 * r.fraction()));
  }
  return out;
}

double images_per_second(const NetworkRun& run) {
  const double ms = run.latency_ms();
  return ms > 0 ? run.batch * 1e3 / ms : 0.0;
}

double ms_per_image(const NetworkRun& run) {
  return run.batch > 0 ? run.latency_ms() / run.batch : 0.0;
}

std::string format_run_figures(const NetworkRun& run) {
  std::string out;
  if (!run.resources.empty()) {
    std::string parts;
    for (const ResourceUse& r : run.resources) {
      parts += parts.empty() ? "" : ", ";
      parts += fmt::format("{} {}", amount(r, r.used), r.unit);
      if (r.has_budget()) {
        parts += fmt::format(" ({:.1f}% of {} {})", 100 * r.fraction(), r.budget_key, budget(r));
      }
    }
    const std::vector<std::string> over = exceeded_budgets(run);
    out += fmt::format("resources (estimate): {} on {}: {}\n", parts, run.device,
                       over.empty() ? "fits" : "DOES NOT FIT");
    for (const std::string& o : over) out += "  warning: " + o + "\n";
  }
  if (run.batch > 1) {
    out += fmt::format(
        "throughput: batch {} in {:.4f} ms = {:.1f} images/s, {:.4f} ms per image (every image "
        "of a batch completes with the batch)\n",
        run.batch, run.latency_ms(), images_per_second(run), ms_per_image(run));
  }
  return out;
}

void add_run_figures(nlohmann::json& summary, const NetworkRun& run) {
  nlohmann::json resources = nlohmann::json::object();
  for (const ResourceUse& r : run.resources) {
    resources[r.name] = {
        {"unit", r.unit},
        {"used", r.used},
        {"budget", r.has_budget() ? nlohmann::json(r.budget) : nlohmann::json()},
        {"budget_key", r.budget_key},
        {"fraction", r.has_budget() ? nlohmann::json(r.fraction()) : nlohmann::json()}};
  }
  summary["device"] = run.device;
  summary["resources"] = resources;
  summary["fits"] = run_fits(run);
  summary["images_per_s"] = images_per_second(run);
  summary["ms_per_image"] = ms_per_image(run);
}

}  // namespace haqsim
