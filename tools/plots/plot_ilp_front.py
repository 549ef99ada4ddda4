#!/usr/bin/python3
"""The ILP's front against the other searchers: the ILP's optimum at budgets across the range
(ilp_front.csv, each policy measured on the images the winners are ranked on) as a line of
accuracy against the constrained cost, with every method's winner, the uniform policies and the
8-bit reference from comparison.csv as points on the same axes, and the search's budget as a
vertical line. A winner above the line found a policy the ILP's additive sensitivities missed;
a winner below it lost to the ILP at its own cost.

usage: plot_ilp_front.py RUN_DIR out.png"""

import os

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, read_csv, read_json, run_main

COST = {"latency": ("latency_ms", "latency (ms)"), "energy": ("energy_mj", "energy (mJ)"),
        "size": ("size_mb", "weight size (MB)")}


def ranked(row):
    """The accuracy a candidate was ranked by: held-out when measured, else the search's."""
    return row["rerank_accuracy"] if row["rerank_accuracy"] != "" else row["accuracy"]


def plot(run_dir, out_png, title=None):
    search = read_json(os.path.join(run_dir, "search.json"))
    column, label = COST[search.get("constraint", "latency")]
    front = read_csv(os.path.join(run_dir, "ilp_front.csv"), numeric=[column, "accuracy", "budget_fraction"])
    table = read_csv(os.path.join(run_dir, "comparison.csv"), numeric=[column, "accuracy"],
                     text=["method", "rerank_accuracy"])
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.plot([r[column] for r in front], [r["accuracy"] for r in front], "-o", color=style.method_color("ilp"),
            markersize=3, linewidth=1, label="ilp optimum at 5%..100% of the 8-bit cost")
    for r in table:
        y = float(ranked(r))
        m = r["method"]
        if m.startswith("uniform-"):
            ax.scatter([r[column]], [y], color="gray", marker="s", s=18, zorder=3)
            ax.annotate(m.split("-")[1], (r[column], y), fontsize=7, color="gray",
                        xytext=(3, -9), textcoords="offset points")
        elif m == "8-bit":
            ax.scatter([r[column]], [y], color=style.REFERENCE_COLOR, marker="D", s=36, zorder=3, label=f"8-bit {y:.2f}%")
        else:
            ax.scatter([r[column]], [y], color=style.method_color(m), marker="*", s=120, zorder=4,
                       edgecolors="black", linewidths=0.6, label=f"{m} winner {y:.2f}%")
    budget = float(search["budget"])
    style.budget_line(ax, budget, label=f"budget {style.figure(budget)} {search.get('budget_unit', '')}")
    # The interesting region: from the cheapest measured policy that is not hopeless up.
    good = [r["accuracy"] for r in front if r["accuracy"] > 0] + [float(ranked(r)) for r in table]
    top = max(good)
    ax.set_ylim(max(0.0, top - 15.0), top + 1.0)
    ax.set_xlabel(label)
    ax.set_ylabel("top-1 (%), held-out validation images" if table[0]["rerank_accuracy"] != ""
                  else "top-1 (%), search subset")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title or "ILP front and the searchers' winners (uniform k-bit in gray)")
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("run_dir")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.run_dir, a.out_png)


if __name__ == "__main__":
    run_main(main)
