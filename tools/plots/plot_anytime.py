#!/usr/bin/python3
"""Anytime comparison of a search's methods: the best budget-meeting accuracy each method has found
against the accuracy evaluations it spent, and against its wall time, one line per method
(episodes.csv; DDPG's warm-up counts as DDPG). The ILP spends its evaluations on sensitivities and
measures one policy, so it is a single point at its evaluation count (comparison.csv); the best
uniform policy within the budget is a horizontal line. Accuracy is the search's metric (its
validation subset), the one every method optimizes.

usage: plot_anytime.py RUN_DIR out.png"""

import os

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, read_csv, run_main

def plot(run_dir, out_png, title=None):
    rows = read_csv(os.path.join(run_dir, "episodes.csv"),
                    numeric=["episode", "accuracy", "cost", "budget", "seconds"], text=["kind"])
    methods = []
    for r in rows:
        if style.method_of(r["kind"]) not in methods:
            methods.append(style.method_of(r["kind"]))
    fig, (by_evals, by_time) = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    ends = {by_evals: [], by_time: []}
    for m in methods:
        sel = [r for r in rows if style.method_of(r["kind"]) == m]
        best, xs, ts, ys, elapsed = None, [], [], [], 0.0
        for n, r in enumerate(sel, start=1):
            elapsed += r["seconds"]
            if r["cost"] <= r["budget"] * (1 + 1e-9) and (best is None or r["accuracy"] > best):
                best = r["accuracy"]
            if best is not None:
                xs.append(n)
                ts.append(elapsed)
                ys.append(best)
        color = style.method_color(m)
        if not ys:
            continue  # no policy of this method met the budget
        for ax, x in ((by_evals, xs), (by_time, ts)):
            ax.step(x, ys, where="post", color=color, label=f"{m}: best {ys[-1]:.2f}%")
            # The line's name at its end: the lines cross, the legend alone does not say which is which.
            ends[ax].append((x[-1], ys[-1], f"{m} {ys[-1]:.2f}%", color))
    comparison = os.path.join(run_dir, "comparison.csv")
    if os.path.isfile(comparison):
        # `evaluations` came with the searchers; older runs' tables lack it.
        table = read_csv(comparison, numeric=["accuracy"], text=["method", "meets_budget"])
        for r in table:
            if r["method"] == "ilp" and r["meets_budget"] == "true" and r.get("evaluations"):
                by_evals.scatter([float(r["evaluations"])], [r["accuracy"]], color=style.method_color("ilp"), marker="*",
                                 s=80, zorder=3, label=f"ilp {r['accuracy']:.2f}% (sensitivities + 1)")
        uniform = [r for r in table if r["method"].startswith("uniform-") and r["meets_budget"] == "true"]
        if uniform:
            u = max(uniform, key=lambda r: r["accuracy"])
            for ax in (by_evals, by_time):
                ax.axhline(u["accuracy"], color="gray", linestyle="--", linewidth=0.8, label=f"{u['method']} {u['accuracy']:.2f}% (best uniform)")
    by_evals.set_xlabel("accuracy evaluations")
    by_evals.set_ylabel("best accuracy within the budget so far (%)")
    by_time.set_xlabel("wall time (s)")
    by_evals.legend(loc="lower right")
    # The first policies are often hopeless; the interesting range is near the best.
    # Every method's final best stays in view, however low.
    finals = [y for _, y, _, _ in ends[by_evals]]
    values = [float(v) for line in by_evals.get_lines() for v in line.get_ydata()]
    if values:
        low = min([max(values) - 20.0] + finals)
        by_evals.set_ylim(max(min(values), low) - 3.0, max(values) + 1.5)
    fig.suptitle(title or "Anytime: best policy found so far, per method")
    fig.tight_layout()
    for ax, items in ends.items():
        style.end_labels(ax, items)
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("run_dir")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.run_dir, a.out_png)


if __name__ == "__main__":
    run_main(main)
