#!/usr/bin/python3
"""Search progress from episodes.csv: reward per episode (warm-up, DDPG and random episodes
marked) and the best accuracy found so far.

usage: plot_search.py episodes.csv out.png"""

import argparse

import matplotlib.pyplot as plt

from plotio import read_csv, run_main

KIND_STYLE = {"warmup": ("tab:gray", "warm-up (random)"), "ddpg": ("tab:blue", "DDPG"),
              "random": ("tab:orange", "random search")}


def plot(episodes_csv, out_png, title=None):
    rows = read_csv(episodes_csv, numeric=["episode", "accuracy", "reward", "best_accuracy"], text=["kind"])
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
    bottom.plot([r["episode"] for r in rows], [r["accuracy"] for r in rows], ".", color="tab:gray",
                markersize=3, label="accuracy of the episode")
    bottom.step([r["episode"] for r in rows], [r["best_accuracy"] for r in rows], where="post",
                color="tab:green", label="best accuracy so far")
    bottom.set_xlabel("episode")
    bottom.set_ylabel("accuracy")
    bottom.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("episodes_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.episodes_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
