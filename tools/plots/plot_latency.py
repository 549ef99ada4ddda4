#!/usr/bin/python3
"""Per-layer latency of a run, stacked by pipeline stage activity: the cycles the array computes
and the stall cycles split into the compute stage's waits for memory and for tokens; layers that
run on the host (pooling, element-wise, ...) in grey.

usage: plot_latency.py layers.csv out.png"""

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, on_array, read_csv, run_main


def plot(layers_csv, out_png, title=None):
    rows = read_csv(layers_csv, numeric=["cycles", "compute_cycles", "stall_cycles", "latency_ms"],
                    text=["name", "kind"])
    # latency_ms / cycles is the clock period; the CSV rounds latency, so take the largest layer.
    ref = max(rows, key=lambda r: r["cycles"])
    ms_per_cycle = ref["latency_ms"] / ref["cycles"] if ref["cycles"] else 0.0
    x = range(len(rows))
    array = [on_array(r) for r in rows]
    compute = [r["compute_cycles"] * ms_per_cycle if a else 0.0 for r, a in zip(rows, array)]
    stall = [r["stall_cycles"] * ms_per_cycle if a else 0.0 for r, a in zip(rows, array)]
    host = [0.0 if a else r["cycles"] * ms_per_cycle for r, a in zip(rows, array)]
    fig, ax = plt.subplots(figsize=(style.per_layer_width(len(rows)), 4.6))
    ax.bar(x, compute, color="tab:blue", label="compute (array busy)")
    ax.bar(x, stall, bottom=compute, color="tab:red", alpha=0.75, label="stall (memory / tokens)")
    if any(host):
        ax.bar(x, host, color="tab:gray", label="host layer (not on the array)")
    style.layer_ticks(ax, [r["name"] for r in rows])
    ax.set_ylabel("latency (ms)")
    ax.set_title(title or "Per-layer latency: compute vs stall")
    ax.legend()
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("layers_csv")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.layers_csv, a.out_png)


if __name__ == "__main__":
    run_main(main)
