#!/usr/bin/python3
"""Renders a haqsim run directory as one self-contained HTML page (plots embedded as base64 PNG).
Every page opens with a summary table (fixed precision, the unit in each label) and has tables that
sort by any column when its header is clicked.

Recognized directories (by the files they hold):
  simulate  layers.csv + summary.json         summary, per-layer table, latency, energy and policy
  sweep     sweep.csv (+ sweep.json)          summary, Pareto fronts with the device budgets, points
  search    episodes.csv, search.json,        summary, the methods' winners, accuracy against
            comparison.csv, layers.csv +      latency/energy/size of every evaluated policy with the
            summary.json of the best policy,  budget, search progress, anytime comparison, the ILP's
            reference_8bit/ (+ ilp_front.csv) front, the best policy against 8-bit per layer
  codesign  codesign.csv + codesign.json      summary, accuracy against cost over the array grid,
            (+ front.csv)                     the Pareto front, front and point tables
The PNGs are also kept in RUN_DIR/plots/. Exit code 2 names the file and column of a malformed
input; nothing is written then.

usage: haqsim report RUN_DIR [--out FILE]"""

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import plot_anytime  # noqa: E402
import plot_codesign  # noqa: E402
import plot_energy  # noqa: E402
import plot_evaluated  # noqa: E402
import plot_ilp_front  # noqa: E402
import plot_latency  # noqa: E402
import plot_pareto  # noqa: E402
import plot_policy  # noqa: E402
import plot_search  # noqa: E402
import plot_versus_8bit  # noqa: E402
import report_tables  # noqa: E402
from html_page import Page  # noqa: E402
from plotio import ArgumentParser, PlotInputError, read_json, run_main  # noqa: E402


def network_section(page, d, prefix, what, plots=True):
    layers, summary = os.path.join(d, "layers.csv"), os.path.join(d, "summary.json")
    page.heading(what)
    if os.path.isfile(summary):
        page.html(report_tables.simulate_summary(summary))
    page.html(report_tables.layer_table(layers))
    if plots:
        page.plot(f"{prefix}latency.png", plot_latency.plot, layers, title=f"{what}: per-layer latency")
        page.plot(f"{prefix}energy.png", plot_energy.plot, layers, summary_json=summary,
                  title=f"{what}: per-layer energy")
        page.plot(f"{prefix}policy.png", plot_policy.plot, layers, title=f"{what}: policy")


def search_sections(page, run_dir):
    path = lambda name: os.path.join(run_dir, name)
    exists = lambda name: os.path.isfile(path(name))
    search = read_json(path("search.json")) if exists("search.json") else {}
    page.heading("Summary")
    page.html(report_tables.search_summary(search, path("comparison.csv") if exists("comparison.csv") else None))
    if exists("comparison.csv"):
        page.heading("Each method's winner")
        page.html(report_tables.comparison_table(path("comparison.csv")))
    page.heading("Every evaluated policy")
    page.plot("search_evaluated.png", plot_evaluated.plot, run_dir,
              caption="accuracy against latency, energy and weight size of every evaluated policy; the "
                      "budget dashed, each method's winner a star")
    page.heading("Search progress")
    page.plot("search_progress.png", plot_search.plot, path("episodes.csv"))
    page.plot("search_anytime.png", plot_anytime.plot, run_dir)
    if exists("ilp_front.csv") and exists("search.json"):
        with open(path("ilp_front.csv")) as f:
            measured = "accuracy" in f.readline().strip().split(",")
        if measured:
            page.plot("search_ilp_front.png", plot_ilp_front.plot, run_dir)
        else:  # written before the front's policies were measured: nothing to draw them against
            page.note("ilp_front.csv has no accuracy column (an older search): no ILP front plot.")
    ref = os.path.join(run_dir, "reference_8bit")
    if exists("layers.csv") and os.path.isfile(os.path.join(ref, "layers.csv")):
        page.heading("Best policy against 8-bit, per layer")
        page.html(report_tables.versus_8bit_table(path("layers.csv"), os.path.join(ref, "layers.csv")))
        page.plot("best_vs_8bit.png", plot_versus_8bit.plot, path("layers.csv"), os.path.join(ref, "layers.csv"))
    if exists("layers.csv"):
        network_section(page, run_dir, "best_", "Best policy")
    if os.path.isfile(os.path.join(ref, "layers.csv")):
        network_section(page, ref, "reference_8bit_", "Fixed 8-bit reference")


def build(run_dir, plot_dir):
    path = lambda name: os.path.join(run_dir, name)
    exists = lambda name: os.path.isfile(path(name))
    page = Page(f"haqsim report: {os.path.basename(os.path.abspath(run_dir))}", plot_dir)
    found = False
    if exists("episodes.csv"):
        found = True
        search_sections(page, run_dir)
    elif exists("layers.csv"):
        found = True
        network_section(page, run_dir, "", "Simulation")
    if exists("sweep.csv"):
        found = True
        page.heading("Sweep")
        page.html(report_tables.sweep_summary(path("sweep.csv"),
                                              read_json(path("sweep.json")) if exists("sweep.json") else {}))
        page.plot("sweep_pareto.png", plot_pareto.plot, path("sweep.csv"))
        page.heading("Every point")
        page.html(report_tables.csv_table(path("sweep.csv"), limit=500))
    if exists("codesign.csv"):
        found = True
        page.heading("Co-design")
        page.html(report_tables.codesign_summary(read_json(path("codesign.json")), path("codesign.csv")))
        page.plot("codesign_front.png", plot_codesign.plot, run_dir)
        if exists("front.csv"):
            page.heading("Pareto front")
            page.html(report_tables.csv_table(path("front.csv")))
        page.heading("Every configuration")
        page.html(report_tables.csv_table(path("codesign.csv"), limit=500))
    if not found:
        raise PlotInputError(
            f"{run_dir}: no layers.csv, sweep.csv, codesign.csv or episodes.csv: not a haqsim run directory")
    return page.render()


def main():
    p = ArgumentParser(prog="haqsim report", description=__doc__)
    p.add_argument("run_dir")
    p.add_argument("--out", help="HTML file (default RUN_DIR/report.html)")
    a = p.parse_args()
    if not os.path.isdir(a.run_dir):
        raise PlotInputError(f"{a.run_dir}: not a directory")
    out = a.out or os.path.join(a.run_dir, "report.html")
    # Plots go to a scratch directory first; only a complete report replaces RUN_DIR/plots.
    scratch = tempfile.mkdtemp(prefix=".plots.", dir=a.run_dir)
    try:
        page = build(a.run_dir, scratch)
        plots = os.path.join(a.run_dir, "plots")
        shutil.rmtree(plots, ignore_errors=True)
        os.chmod(scratch, 0o755)  # mkdtemp makes it private
        os.rename(scratch, plots)
        tmp = out + f".tmp.{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(page)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"wrote {out} and {os.path.join(a.run_dir, 'plots')}/")


if __name__ == "__main__":
    run_main(main)
