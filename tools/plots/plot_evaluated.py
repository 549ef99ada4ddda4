#!/usr/bin/python3
"""Every policy a search evaluated (episodes.csv): its accuracy against its latency, energy and
weight size, one panel each, coloured by method (hollow when it missed the budget). The budget is a
dashed line on the constrained panel; each method's winner (comparison.csv) is a star, the uniform
policies gray squares and the 8-bit reference a black diamond, on every panel. Accuracy is the
search's metric (its validation subset), the one every method optimized.

usage: plot_evaluated.py RUN_DIR out.png"""

import os

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, PlotInputError, read_csv, read_json, run_main

PANELS = [("latency", "latency_ms", "latency (ms)"), ("energy", "energy_mj", "energy (mJ)"),
          ("size", "size_mb", "weight size (MB)")]


def plot(run_dir, out_png, title=None):
    rows = read_csv(os.path.join(run_dir, "episodes.csv"),
                    numeric=["accuracy", "latency_ms", "energy_mj", "size_mb", "cost", "budget"], text=["kind"])
    search_json = os.path.join(run_dir, "search.json")
    search = read_json(search_json) if os.path.isfile(search_json) else {}
    constraint = search.get("constraint")
    if constraint is None:
        # Older directories: the constrained column is the one `cost` equals.
        constraint = next((name for name, column, _ in PANELS if all(abs(r[column] - r["cost"]) <= 1e-9 * max(1, r["cost"])
                                                                  for r in rows)), None)
    if constraint is not None and constraint not in [p[0] for p in PANELS]:
        raise PlotInputError(f"{search_json}: key 'constraint': expected latency, energy or size, found '{constraint}'")
    budget = float(search["budget"]) if "budget" in search else rows[0]["budget"]
    comparison_csv = os.path.join(run_dir, "comparison.csv")
    table = read_csv(comparison_csv, numeric=["accuracy", "latency_ms", "energy_mj", "size_mb"],
                     text=["method", "meets_budget"]) if os.path.isfile(comparison_csv) else []
    methods = []
    for r in rows:
        if style.method_of(r["kind"]) not in methods:
            methods.append(style.method_of(r["kind"]))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), sharey=True)
    for ax, (name, column, label) in zip(axes, PANELS):
        for m in methods:
            sel = [r for r in rows if style.method_of(r["kind"]) == m]
            ok = [r for r in sel if r["cost"] <= r["budget"] * (1 + 1e-9)]
            over = [r for r in sel if r["cost"] > r["budget"] * (1 + 1e-9)]
            color = style.method_color(m)
            ax.scatter([r[column] for r in ok], [r["accuracy"] for r in ok], s=14, color=color, alpha=0.8,
                       label=f"{m} ({len(sel)} evaluated)")
            ax.scatter([r[column] for r in over], [r["accuracy"] for r in over], s=14, facecolors="none",
                       edgecolors=color, alpha=0.8)
        for r in table:
            m = r["method"]
            if m in ("8-bit", "fixed 8-bit"):
                ax.scatter([r[column]], [r["accuracy"]], marker="D", s=36, color=style.REFERENCE_COLOR, zorder=4,
                           label="8-bit")
            elif m.startswith("uniform"):
                ax.scatter([r[column]], [r["accuracy"]], marker="s", s=20, color="tab:gray", zorder=3,
                           label="uniform k-bit" if r is next(t for t in table if t["method"].startswith("uniform"))
                           else None)
            elif r["meets_budget"] == "true":
                ax.scatter([r[column]], [r["accuracy"]], marker="*", s=180, color=style.method_color(m),
                           edgecolors="black", linewidths=0.6, zorder=5, label=f"{m} winner")
        if name == constraint:
            style.budget_line(ax, budget, label=f"budget {style.figure(budget)}")
            ax.set_title(f"{label}: the constraint")
        else:
            ax.set_title(label)
        values = [r[column] for r in rows] + [r[column] for r in table]
        style.readable_axis(ax, values, axis="x")
        ax.set_xlabel(label)
    axes[0].set_ylabel("accuracy (%), search subset")
    axes[0].legend(loc="lower right", fontsize=7)
    # Hopeless policies (near chance) would squash the interesting range.
    best = max([r["accuracy"] for r in rows] + [r["accuracy"] for r in table])
    low = min(r["accuracy"] for r in rows)
    axes[0].set_ylim(max(low - 1.0, best - 40.0), best + 1.5)
    fig.suptitle(title or f"Every evaluated policy ({len(rows)}), hollow: over the budget")
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("run_dir")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.run_dir, a.out_png)


if __name__ == "__main__":
    run_main(main)
