#!/usr/bin/python3
"""Pareto fronts of a sweep: latency and energy against each resource estimate of the machine (the
resource columns the sweep wrote, whatever the accelerator), one row of panels per resource with its
device budget as a dashed line. Points that do not fit the device are hollow; the front (no other
point is both cheaper and faster) is drawn as a line, its points numbered as in sweep.csv's `point`
column with their parameters listed in a box. Axes are linear, or log with plain labelled ticks when
the values span more than a factor of 20.

usage: plot_pareto.py sweep.csv out.png"""

import csv
import json
import os

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, PlotInputError, read_csv, run_main

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


def budget_of(rows, column, fraction, meta_budget):
    """A resource's budget: sweep.json's, else the estimate over its fraction of the budget."""
    if meta_budget:
        return float(meta_budget)
    for r in rows:
        if r[fraction]:
            return r[column] / r[fraction]
    return None


def plot(sweep_csv, out_png, title=None):
    header, resources = resource_columns(sweep_csv)
    rows = read_csv(sweep_csv, numeric=["point", "latency_ms", "energy_mj"] + [r for r, _, _ in resources],
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
    budgets = resource_budgets(sweep_csv)
    result_columns = {"point", "fits"} | set(METRIC_COLUMNS) | {c for r in resources for c in r[:2]}
    params = [c for c in header if c not in result_columns]
    fits = [r for r in rows if r["fits"] == "true"]
    over = [r for r in rows if r["fits"] != "true"]
    # One row of panels per resource, each with its own budget line; latency and energy side by side.
    fig, axes = plt.subplots(len(resources), 2, figsize=(14, 4.3 * len(resources)), squeeze=False)
    on_front, labelled = set(), []
    for (column, fraction, unit), panel_row in zip(resources, axes):
        budget = budget_of(rows, column, fraction, budgets.get(column))
        for ax, metric, name in ((panel_row[0], "latency_ms", "latency (ms)"),
                                 (panel_row[1], "energy_mj", "energy (mJ)")):
            ax.scatter([r[column] for r in fits], [r[metric] for r in fits], color="tab:blue", s=22,
                       label="fits the device")
            if over:
                ax.scatter([r[column] for r in over], [r[metric] for r in over], facecolors="none",
                           edgecolors=style.BUDGET_COLOR, s=22, label="over a budget")
            base = fits or rows
            front = pareto(base, column, metric)
            ax.plot([base[i][column] for i in front], [base[i][metric] for i in front], "-",
                    color=style.FRONT_COLOR, label="Pareto front")
            on_front.update(int(base[i]["point"]) for i in front)
            style.budget_line(ax, budget, label=f"budget {style.figure(budget)} {unit}"
                              if budget else None)
            style.readable_axis(ax, [r[column] for r in rows] + ([budget] if budget else []), axis="x")
            style.readable_axis(ax, [r[metric] for r in rows], axis="y")
            ax.set_xlabel(style.resource_label(column, unit))
            ax.set_ylabel(name)
            ax.legend(loc="upper right")
            labelled.append((ax, [(base[i][column], base[i][metric]) for i in front],
                             [str(int(base[i]["point"])) for i in front]))
    # Front points are labelled by their point number; the box says which shape each one is.
    fig.tight_layout()
    for ax, points, texts in labelled:
        style.place_labels(ax, points, texts)
    lines = [f"{int(r['point']):>3}: {label(r, params)}" for r in rows if int(r["point"]) in on_front]
    style.legend_box(axes[0][1], lines, title="front points")
    fig.suptitle(title or f"Sweep: {len(rows)} points, {len(fits)} fit the device "
                 f"(front points numbered as in the table)")
    style.save(fig, out_png)


def resource_budgets(path):
    """{column: budget} from sweep.json next to the CSV (missing or malformed: none)."""
    meta = os.path.join(os.path.dirname(path) or ".", "sweep.json")
    out = {}
    if os.path.isfile(meta):
        try:
            with open(meta) as f:
                for r in json.load(f).get("resources", []):
                    if r.get("budget"):
                        out[r["column"]] = float(r["budget"])
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # the budget is then derived from the fraction columns
    return out


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("sweep_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.sweep_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
