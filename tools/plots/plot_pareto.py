#!/usr/bin/python3
"""Pareto fronts of a sweep: latency and energy against the resource estimate of the machine (the
resource columns the sweep wrote, whatever the accelerator: with one resource, its value with the
device budget as a line; with several, the largest fraction of its budget, so > 1 means it does not
fit). Points that do not fit the device budget are hollow; the front (no other point is both
cheaper and faster) is drawn as a line and labelled.

usage: plot_pareto.py sweep.csv out.png"""

import argparse
import csv
import json
import os

import matplotlib.pyplot as plt

from plotio import PlotInputError, read_csv, run_main

METRIC_COLUMNS = ["total_cycles", "latency_ms", "energy_mj", "utilization", "dram_bytes"]


def resource_columns(path):
    """(header, [(resource column, fraction column, unit)]): the sweep writes its resources between
    dram_bytes and fits, every estimate first, then every fraction of the budget; sweep.json next to
    the CSV gives their units."""
    with open(path, newline="") as f:
        header = next(csv.reader(f), [])
    if "dram_bytes" not in header or "fits" not in header:
        raise PlotInputError(f"{path}: line 1: missing column 'dram_bytes' or 'fits' (not a sweep.csv?)")
    between = header[header.index("dram_bytes") + 1:header.index("fits")]
    if not between or len(between) % 2:
        raise PlotInputError(f"{path}: line 1: expected resource columns and their fractions between "
                             f"'dram_bytes' and 'fits', found {between}")
    n = len(between) // 2
    units = {}
    meta = os.path.join(os.path.dirname(path) or ".", "sweep.json")
    if os.path.isfile(meta):
        try:
            with open(meta) as f:
                for r in json.load(f).get("resources", []):
                    units[r["column"]] = r.get("unit", r["column"])
        except (ValueError, KeyError, TypeError):
            pass  # units are cosmetic; the columns themselves come from the CSV
    return header, [(between[i], between[n + i], units.get(between[i], between[i])) for i in range(n)]


def number_or_none(text):
    return float(text) if text not in ("", None) else None


def pareto(points, x, y):
    """Indices of points not dominated in (x, y), both minimized, sorted by x."""
    front, best = [], float("inf")
    for i in sorted(range(len(points)), key=lambda i: (points[i][x], points[i][y])):
        if points[i][y] < best:
            front.append(i)
            best = points[i][y]
    return front


def label(row, params):
    return " ".join(f"{p.split('.')[-1]}={row[p]}" for p in params)


def plot(sweep_csv, out_png, title=None):
    header, resources = resource_columns(sweep_csv)
    rows = read_csv(sweep_csv, numeric=["latency_ms", "energy_mj"] + [r for r, _, _ in resources],
                    text=["fits"] + [f for _, f, _ in resources])
    for i, r in enumerate(rows):
        if r["fits"] not in ("true", "false"):
            raise PlotInputError(f"{sweep_csv}: line {i + 2}: column 'fits': expected true or false, "
                                 f"found '{r['fits']}'")
        for _, f, _ in resources:
            try:
                r[f] = number_or_none(r[f])
            except ValueError:
                raise PlotInputError(f"{sweep_csv}: line {i + 2}: column '{f}': expected a number or "
                                     f"nothing, found '{r[f]}'")
    budgeted = [(c, f, u) for c, f, u in resources if all(r[f] is not None for r in rows)]
    budget_line = None
    if len(resources) == 1:
        column, fraction, unit = resources[0]
        resource, resource_label = column, f"{column} ({unit})"
        if budgeted and rows[0][fraction]:
            budget_line = rows[0][column] / rows[0][fraction]
    elif budgeted:
        resource = "device_fraction"
        resource_label = ("device resources used (max of " + " and ".join(u for _, _, u in budgeted) +
                          " fractions)")
        for r in rows:
            r[resource] = max(r[f] for _, f, _ in budgeted)
        budget_line = 1.0
    else:
        resource, resource_label = resources[0][0], f"{resources[0][0]} ({resources[0][2]})"
    result_columns = {"point", "fits"} | set(METRIC_COLUMNS) | {c for r in resources for c in r[:2]}
    params = [c for c in header if c not in result_columns]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    for ax, metric, name in ((axes[0], "latency_ms", "latency (ms)"), (axes[1], "energy_mj", "energy (mJ)")):
        fits = [r for r in rows if r["fits"] == "true"]
        over = [r for r in rows if r["fits"] != "true"]
        ax.scatter([r[resource] for r in fits], [r[metric] for r in fits], color="tab:blue", s=22,
                   label="fits the device")
        if over:
            ax.scatter([r[resource] for r in over], [r[metric] for r in over], facecolors="none",
                       edgecolors="tab:red", s=22, label="over budget")
        front = pareto(fits or rows, resource, metric)
        base = fits or rows
        ax.plot([base[i][resource] for i in front], [base[i][metric] for i in front], "-", color="tab:green",
                label="Pareto front")
        for i in front:
            ax.annotate(label(base[i], params), (base[i][resource], base[i][metric]), fontsize=6,
                        xytext=(3, 3), textcoords="offset points")
        if budget_line is not None:
            ax.axvline(budget_line, color="tab:red", linestyle=":", linewidth=1, label="device budget")
        ax.set_xlabel(resource_label)
        ax.set_ylabel(name)
        ax.set_yscale("log")
        ax.legend(fontsize=8)
    fig.suptitle(title or f"Sweep: {len(rows)} points")
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("sweep_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.sweep_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
