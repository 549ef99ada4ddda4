#!/usr/bin/python3
"""Renders a haqsim run directory as one self-contained HTML page (plots embedded as base64 PNG).

Recognized directories (by the files they hold):
  simulate  layers.csv + summary.json         latency, energy and policy per layer
  sweep     sweep.csv (+ sweep.json)          Pareto fronts, table of points
  search    episodes.csv, policy.yaml, layers.csv + summary.json of the best policy,
            reference_8bit/, comparison.csv   search progress, anytime comparison of the methods,
            (+ ilp_front.csv)                 the ILP's front with every winner on it, policy, per-layer plots of the best policy next to the 8-bit reference, comparison
            table
  codesign  codesign.csv + codesign.json      accuracy against cost over the array grid, the Pareto
            (+ front.csv)                     front labelled by shape, the policies of the front,
                                              front and point tables
The PNGs are also kept in RUN_DIR/plots/. Exit code 2 names the file and column of a malformed
input; nothing is written then.

usage: report.py RUN_DIR [--out FILE]"""

import argparse
import base64
import csv
import html
import os
import shutil
import sys
import tempfile

import plot_anytime
import plot_ilp_front
import plot_codesign
import plot_energy
import plot_latency
import plot_pareto
import plot_policy
import plot_search
from plotio import PlotInputError, read_json, run_main


def table(path, limit=None):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise PlotInputError(f"{path}: empty file")
    head, body = rows[0], rows[1:]
    shown = body if limit is None else body[:limit]
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    for r in shown:
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    if limit is not None and len(body) > limit:
        out.append(f"<p>{len(body) - limit} more rows in {html.escape(os.path.basename(path))}.</p>")
    return "\n".join(out)


def summary_block(summary_json):
    s = read_json(summary_json)
    keys = ["arch", "accelerator", "model", "network_instance", "backend", "policy", "batch", "layers",
            "total_cycles", "latency_ms", "energy_mj", "memory_bound_layers", "bit_exact"]
    items = "".join(f"<tr><th>{k}</th><td>{html.escape(str(s.get(k)))}</td></tr>" for k in keys if k in s)
    return f"<table class='kv'>{items}</table>"


class Page:
    def __init__(self, title, plot_dir):
        self.title = title
        self.plot_dir = plot_dir
        self.parts = []

    def heading(self, text):
        self.parts.append(f"<h2>{html.escape(text)}</h2>")

    def html(self, text):
        self.parts.append(text)

    def plot(self, name, render, *args, **kwargs):
        path = os.path.join(self.plot_dir, name)
        render(*args, path, **kwargs)
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        self.parts.append(f"<figure><img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>"
                          f"<figcaption>{html.escape(name)}</figcaption></figure>")

    def render(self):
        style = ("body{font-family:sans-serif;max-width:1300px;margin:auto;padding:1em}"
                 "img{max-width:100%}table{border-collapse:collapse;font-size:12px;margin:0.5em 0}"
                 "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                 "table.kv th{text-align:left}figcaption{font-size:11px;color:#666}")
        return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                f"<style>{style}</style></head><body><h1>{html.escape(self.title)}</h1>\n"
                + "\n".join(self.parts) + "\n</body></html>\n")


def network_section(page, d, prefix, what):
    layers, summary = os.path.join(d, "layers.csv"), os.path.join(d, "summary.json")
    page.heading(what)
    if os.path.isfile(summary):
        page.html(summary_block(summary))
    page.plot(f"{prefix}latency.png", plot_latency.plot, layers, title=f"{what}: per-layer latency")
    page.plot(f"{prefix}energy.png", plot_energy.plot, layers, summary_json=summary,
              title=f"{what}: per-layer energy")
    page.plot(f"{prefix}policy.png", plot_policy.plot, layers, title=f"{what}: policy")


def build(run_dir, plot_dir):
    exists = lambda name: os.path.isfile(os.path.join(run_dir, name))
    page = Page(f"haqsim report: {os.path.basename(os.path.abspath(run_dir))}", plot_dir)
    found = False
    if exists("episodes.csv"):
        found = True
        page.heading("Search progress")
        page.plot("search_progress.png", plot_search.plot, os.path.join(run_dir, "episodes.csv"))
        page.plot("search_anytime.png", plot_anytime.plot, run_dir)
        if exists("ilp_front.csv") and exists("search.json"):
            page.plot("search_ilp_front.png", plot_ilp_front.plot, run_dir)
        if exists("comparison.csv"):
            page.heading("Comparison")
            page.html(table(os.path.join(run_dir, "comparison.csv")))
        if exists("layers.csv"):
            network_section(page, run_dir, "best_", "Best policy")
        ref = os.path.join(run_dir, "reference_8bit")
        if os.path.isfile(os.path.join(ref, "layers.csv")):
            network_section(page, ref, "reference_8bit_", "Fixed 8-bit reference")
    elif exists("layers.csv"):
        found = True
        network_section(page, run_dir, "", "Simulation")
    if exists("sweep.csv"):
        found = True
        page.heading("Sweep")
        if exists("sweep.json"):
            meta = read_json(os.path.join(run_dir, "sweep.json"))
            keys = ["grid", "base", "model", "backend", "policy", "resolution", "batch", "total_points", "shard"]
            page.html("<table class='kv'>" + "".join(
                f"<tr><th>{k}</th><td>{html.escape(str(meta.get(k)))}</td></tr>" for k in keys if k in meta)
                      + "</table>")
        page.plot("sweep_pareto.png", plot_pareto.plot, os.path.join(run_dir, "sweep.csv"))
        page.html(table(os.path.join(run_dir, "sweep.csv"), limit=200))
    if exists("codesign.csv"):
        found = True
        page.heading("Co-design")
        meta = read_json(os.path.join(run_dir, "codesign.json"))
        keys = ["grid", "base", "model", "backend", "constraint", "target", "budget", "budget_unit", "methods",
                "reference_8bit_test_accuracy", "test_images", "total_points", "shard"]
        page.html("<table class='kv'>" + "".join(
            f"<tr><th>{k}</th><td>{html.escape(str(meta.get(k)))}</td></tr>" for k in keys if k in meta)
                  + "</table>")
        page.plot("codesign_front.png", plot_codesign.plot, run_dir)
        if exists("front.csv"):
            page.heading("Pareto front")
            page.html(table(os.path.join(run_dir, "front.csv")))
        page.heading("Every configuration")
        page.html(table(os.path.join(run_dir, "codesign.csv"), limit=200))
    if not found:
        raise PlotInputError(
            f"{run_dir}: no layers.csv, sweep.csv, codesign.csv or episodes.csv: not a haqsim run directory")
    return page.render()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run_dir")
    p.add_argument("--out", help="HTML file (default RUN_DIR/report.html)")
    a = p.parse_args()
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
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    run_main(main)
