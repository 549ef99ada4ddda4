#!/usr/bin/python3
"""Search progress from episodes.csv: reward per episode (warm-up, DDPG, random and evolution
episodes marked) and each method's best accuracy within the budget so far, labelled at its end.

usage: plot_search.py episodes.csv out.png"""

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, read_csv, run_main

KIND_STYLE = {"warmup": (style.METHOD_COLORS["warmup"], "DDPG warm-up (random)"),
              "ddpg": (style.METHOD_COLORS["ddpg"], "DDPG"), "random": (style.METHOD_COLORS["random"], "random search"),
              "evolution": (style.METHOD_COLORS["evolution"], "evolution")}


def plot(episodes_csv, out_png, title=None):
    rows = read_csv(episodes_csv, numeric=["episode", "accuracy", "reward"], text=["kind"],
                    optional=["best_accuracy"])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.5), sharex=True)
    for kind, (color, label) in KIND_STYLE.items():
        sel = [r for r in rows if r["kind"] == kind]
        if sel:
            top.scatter([r["episode"] for r in sel], [r["reward"] for r in sel], s=8, color=color, label=label)
    other = [r for r in rows if r["kind"] not in KIND_STYLE]
    if other:
        top.scatter([r["episode"] for r in other], [r["reward"] for r in other], s=8, color="black", label="other")
    top.set_ylabel("reward")
    top.legend(fontsize=8)
    top.set_title(title or "Search progress")
    bottom.plot([r["episode"] for r in rows], [r["accuracy"] for r in rows], ".", color="#bbb",
                markersize=3, label="accuracy of each episode")
    # Best so far per method: the methods' episodes interleave, one line over all would zigzag.
    methods = []
    for r in rows:
        if style.method_of(r["kind"]) not in methods:
            methods.append(style.method_of(r["kind"]))
    ends = []
    for m in methods:
        best = [r for r in rows if style.method_of(r["kind"]) == m and r["best_accuracy"] is not None]
        if not best:
            continue
        color = style.method_color(m)
        bottom.step([r["episode"] for r in best], [r["best_accuracy"] for r in best], where="post", color=color,
                    label=f"{m}: best within the budget so far")
        ends.append((best[-1]["episode"], best[-1]["best_accuracy"], f"{m} {best[-1]['best_accuracy']:.2f}%", color))
    bottom.set_xlabel("episode")
    bottom.set_ylabel("accuracy (%)")
    bottom.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    style.end_labels(bottom, ends)
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("episodes_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.episodes_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
