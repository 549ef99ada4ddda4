#!/usr/bin/python3
"""The found policy against 8-bit, layer by layer (two layers.csv of the same network): latency and
energy of each layer side by side, and the found policy's bits (weights up, activations down).
Host rows have no bits and keep their latency.

usage: plot_versus_8bit.py best/layers.csv reference_8bit/layers.csv out.png"""

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

import style
from plotio import ArgumentParser, PlotInputError, on_array, read_csv, run_main


def plot(best_csv, reference_csv, out_png, title=None):
    best = read_csv(best_csv, numeric=["latency_ms", "energy_mj"], text=["name", "kind", "wbits", "abits"])
    ref = read_csv(reference_csv, numeric=["latency_ms", "energy_mj"], text=["name"])
    if [r["name"] for r in best] != [r["name"] for r in ref]:
        raise PlotInputError(f"{reference_csv}: expected the layers of {best_csv} in the same order, "
                             f"found {len(ref)} rows against {len(best)} (or other names)")
    x = list(range(len(best)))
    names = [r["name"] for r in best]
    fig, (lat, en, bits) = plt.subplots(3, 1, figsize=(style.per_layer_width(len(best)), 8.5), sharex=True,
                                        gridspec_kw={"height_ratios": [3, 3, 2]})
    w = 0.4
    for ax, column, label in ((lat, "latency_ms", "latency (ms)"), (en, "energy_mj", "energy (mJ)")):
        ax.bar([i - w / 2 for i in x], [r[column] for r in ref], w, color="tab:gray", label="8-bit")
        ax.bar([i + w / 2 for i in x], [r[column] for r in best], w, color="tab:blue", label="found policy")
        total, total8 = sum(r[column] for r in best), sum(r[column] for r in ref)
        ax.set_ylabel(label)
        ax.set_title(f"{label}: found {style.figure(total)} against 8-bit {style.figure(total8)} "
                     f"({total / total8:.2f}x)" if total8 else label)
        ax.legend(loc="upper right")
    array = [on_array(r) for r in best]
    colors = [style.KIND_COLORS.get(r["kind"], style.HOST_COLOR) for r in best]
    wb = [float(r["wbits"]) if a and r["wbits"] else 0.0 for r, a in zip(best, array)]
    ab = [float(r["abits"]) if a and r["abits"] else 0.0 for r, a in zip(best, array)]
    bits.bar(x, wb, color=colors)
    bits.bar(x, [-b for b in ab], color=colors, alpha=0.55, hatch="//", edgecolor="white")
    bits.axhline(0, color="black", linewidth=0.8)
    bits.axhline(8, color="tab:gray", linestyle=":", linewidth=0.8)
    bits.axhline(-8, color="tab:gray", linestyle=":", linewidth=0.8)
    bits.set_ylim(-8.9, 8.9)
    bits.set_yticks(range(-8, 9, 4))
    bits.set_yticklabels([str(abs(t)) for t in range(-8, 9, 4)])
    bits.set_ylabel("a bits | w bits")
    kinds = [k for k in style.KIND_COLORS if any(r["kind"] == k for r in best)]
    bits.legend(handles=[Patch(color=style.KIND_COLORS[k], label=k) for k in kinds], loc="upper left",
                bbox_to_anchor=(1.0, 1.0))
    bits.set_title("found policy's bits (8-bit dotted)")
    style.layer_ticks(bits, names)
    fig.suptitle(title or "Found policy against 8-bit, per layer (full names in the table)")
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("best_csv")
    p.add_argument("reference_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.best_csv, a.reference_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
