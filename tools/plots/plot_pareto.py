#!/usr/bin/python3
"""Pareto fronts of a sweep: latency and energy against the resource estimate (BISMO: the larger
of the LUT and BRAM fractions of the device, so > 1 means it does not fit; BitFusion: area in mm2). Points that do not fit the device budget are hollow;
the front (no other point is both cheaper and faster) is drawn as a line and labelled.

usage: plot_pareto.py sweep.csv out.png"""

import argparse
import csv

import matplotlib.pyplot as plt

from plotio import PlotInputError, read_csv, run_main

RESULT_COLUMNS = {"point", "total_cycles", "latency_ms", "energy_mj", "utilization", "dram_bytes", "luts",
                  "bram36", "lut_fraction", "bram_fraction", "area_mm2", "area_fraction", "fits"}


def resource_axis(path):
    with open(path, newline="") as f:
        header = next(csv.reader(f), [])
    if "lut_fraction" in header:
        return header, "device_fraction", "device resources used (max of LUT and BRAM36 fractions)"
    if "area_mm2" in header:
        return header, "area_mm2", "area (mm$^2$)"
    raise PlotInputError(f"{path}: line 1: missing column 'lut_fraction' or 'area_mm2' (not a sweep.csv?)")


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
    header, resource, resource_label = resource_axis(sweep_csv)
    bismo = resource == "device_fraction"
    numeric = ["latency_ms", "energy_mj"] + (["lut_fraction", "bram_fraction"] if bismo else [resource])
    rows = read_csv(sweep_csv, numeric=numeric, text=["fits"])
    if bismo:
        for r in rows:
            r[resource] = max(r["lut_fraction"], r["bram_fraction"])
    for i, r in enumerate(rows):
        if r["fits"] not in ("true", "false"):
            raise PlotInputError(f"{sweep_csv}: line {i + 2}: column 'fits': expected true or false, "
                                 f"found '{r['fits']}'")
    params = [c for c in header if c not in RESULT_COLUMNS]
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
        if bismo:
            ax.axvline(1.0, color="tab:red", linestyle=":", linewidth=1)
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
