#!/usr/bin/python3
"""Per-layer energy of a run, stacked: compute core, each on-chip buffer (from summary.json's
per-layer buffer detail when present, else the buffers' total from layers.csv), DRAM, static.

usage: plot_energy.py layers.csv out.png [--summary summary.json]"""

import os

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, PlotInputError, read_csv, read_json, run_main


def buffer_breakdown(summary_json, count):
    """{buffer: [mJ per layer]} from summary.json, or None when it has no per-buffer detail."""
    if not summary_json or not os.path.isfile(summary_json):
        return None
    summary = read_json(summary_json)
    per_layer = summary.get("per_layer")
    if not isinstance(per_layer, list) or len(per_layer) != count:
        raise PlotInputError(f"{summary_json}: key 'per_layer': expected {count} layers like layers.csv, "
                             f"found {len(per_layer) if isinstance(per_layer, list) else 'none'}")
    names = []
    for layer in per_layer:
        for name in layer.get("energy_breakdown_mj", {}).get("buffer_detail", {}):
            if name not in names:
                names.append(name)
    if not names:
        return None
    return {n: [l["energy_breakdown_mj"]["buffer_detail"].get(n, 0.0) for l in per_layer] for n in names}


def plot(layers_csv, out_png, summary_json=None, title=None):
    rows = read_csv(layers_csv, numeric=["energy_compute_mj", "energy_buffer_mj", "energy_dram_mj",
                                         "energy_static_mj"], text=["name"])
    parts = [("compute core", [r["energy_compute_mj"] for r in rows], "tab:blue")]
    buffers = buffer_breakdown(summary_json, len(rows))
    if buffers:
        palette = ["tab:olive", "tab:cyan", "tab:pink", "tab:brown", "tab:gray"]
        for i, (name, values) in enumerate(buffers.items()):
            parts.append((f"buffer {name}", values, palette[i % len(palette)]))
    else:
        parts.append(("buffers", [r["energy_buffer_mj"] for r in rows], "tab:olive"))
    parts.append(("DRAM", [r["energy_dram_mj"] for r in rows], "tab:red"))
    parts.append(("static", [r["energy_static_mj"] for r in rows], "tab:gray"))
    x = list(range(len(rows)))
    fig, ax = plt.subplots(figsize=(style.per_layer_width(len(rows)), 4.6))
    bottom = [0.0] * len(rows)
    for label, values, color in parts:
        if not any(values):
            continue
        ax.bar(x, values, bottom=bottom, label=label, color=color)
        bottom = [b + v for b, v in zip(bottom, values)]
    style.layer_ticks(ax, [r["name"] for r in rows])
    ax.set_ylabel("energy (mJ)")
    ax.set_title(title or "Per-layer energy breakdown")
    ax.legend(fontsize=8)
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("layers_csv")
    p.add_argument("out_png")
    p.add_argument("--summary")
    a = p.parse_args()
    plot(a.layers_csv, a.out_png, a.summary)


if __name__ == "__main__":
    run_main(main)
