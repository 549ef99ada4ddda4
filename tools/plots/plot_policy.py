#!/usr/bin/python3
"""A quantization policy as bars per layer, in the style of HAQ's Figures 3-5: weight bits above
the axis, activation bits below, depthwise and pointwise (and other) layers in their own colours.

usage: plot_policy.py layers.csv out.png"""

import argparse

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from plotio import KIND_COLORS, on_array, read_csv, run_main


def plot(layers_csv, out_png, title=None):
    # Host rows (pooling, element-wise, ...) have no bits: the policy is the array layers'.
    rows = read_csv(layers_csv, numeric=["wbits", "abits"], text=["name", "kind"], keep=on_array)
    x = list(range(len(rows)))
    colors = [KIND_COLORS.get(r["kind"], "tab:gray") for r in rows]
    fig, ax = plt.subplots(figsize=(max(8, 0.32 * len(rows)), 4.2))
    ax.bar(x, [r["wbits"] for r in rows], color=colors)
    ax.bar(x, [-r["abits"] for r in rows], color=colors, alpha=0.55, hatch="//", edgecolor="white")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylim(-8.9, 8.9)
    ax.set_yticks(range(-8, 9, 2))
    ax.set_yticklabels([str(abs(t)) for t in range(-8, 9, 2)])
    ax.set_ylabel("activation bits  |  weight bits")
    ax.set_xticks(x)
    ax.set_xticklabels([r["name"] for r in rows], rotation=90, fontsize=7)
    kinds = [k for k in KIND_COLORS if any(r["kind"] == k for r in rows)]
    ax.legend(handles=[Patch(color=KIND_COLORS[k], label=k) for k in kinds], fontsize=8, ncol=len(kinds))
    ax.set_title(title or "Policy: weight bits (up) and activation bits (down, hatched) per layer")
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("layers_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.layers_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
