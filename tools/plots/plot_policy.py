#!/usr/bin/python3
"""A quantization policy as bars per layer, in the style of HAQ's Figures 3-5: weight bits above
the axis, activation bits below, depthwise and pointwise (and other) layers in their own colours.

usage: plot_policy.py layers.csv out.png"""

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

import style
from plotio import ArgumentParser, on_array, read_csv, run_main


def plot(layers_csv, out_png, title=None):
    # Host rows (pooling, element-wise, ...) have no bits: the policy is the array layers'.
    rows = read_csv(layers_csv, numeric=["wbits", "abits"], text=["name", "kind"], keep=on_array)
    x = list(range(len(rows)))
    colors = [style.KIND_COLORS.get(r["kind"], "tab:gray") for r in rows]
    fig, ax = plt.subplots(figsize=(style.per_layer_width(len(rows)), 4.6))
    ax.bar(x, [r["wbits"] for r in rows], color=colors)
    ax.bar(x, [-r["abits"] for r in rows], color=colors, alpha=0.55, hatch="//", edgecolor="white")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylim(-8.9, 11.5)  # room above 8 bits for the legend
    ax.set_yticks(range(-8, 9, 2))
    ax.set_yticklabels([str(abs(t)) for t in range(-8, 9, 2)])
    ax.set_ylabel("activation bits  |  weight bits")
    style.layer_ticks(ax, [r["name"] for r in rows])
    kinds = [k for k in style.KIND_COLORS if any(r["kind"] == k for r in rows)]
    ax.legend(handles=[Patch(color=style.KIND_COLORS[k], label=k) for k in kinds], fontsize=8, ncol=len(kinds))
    ax.set_title(title or "Policy: weight bits (up) and activation bits (down, hatched) per layer")
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("layers_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.layers_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
