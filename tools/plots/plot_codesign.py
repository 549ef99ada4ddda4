#!/usr/bin/python3
"""A co-design run (codesign.csv): accuracy against the constrained cost of every searched array
configuration, coloured by the largest fraction of the device budget it uses, the Pareto front
(front.csv) drawn and labelled by array shape; and the policy of every front point as mean weight
and activation bits per layer kind, so it shows how the chosen bits move with the array.

usage: plot_codesign.py RUN_DIR out.png"""

import os

import matplotlib.pyplot as plt

import style
from plotio import ArgumentParser, PlotInputError, read_csv, read_json, run_main

COST = {"latency": ("latency_ms", "latency (ms)"), "energy": ("energy_mj", "energy (mJ)"),
        "size": ("size_mb", "weight size (MB)")}


def fraction_columns(rows):
    return [c for c in rows[0] if c.endswith("_fraction")]


def largest_fraction(row, columns):
    values = [float(row[c]) for c in columns if row[c] != ""]
    return max(values) if values else 0.0


def mean_bits(policy, kinds, path, line):
    """{kind: (mean weight bits, mean activation bits)} of a "w/a w/a ..." policy."""
    pairs = policy.split()
    if len(pairs) != len(kinds):
        raise PlotInputError(f"{path}: line {line}: column 'policy': expected {len(kinds)} w/a pairs, "
                             f"found {len(pairs)}")
    sums = {}
    for pair, kind in zip(pairs, kinds):
        try:
            w, a = (int(x) for x in pair.split("/"))
        except ValueError:
            raise PlotInputError(f"{path}: line {line}: column 'policy': expected w/a, found '{pair}'") from None
        s = sums.setdefault(kind, [0, 0, 0])
        s[0] += w
        s[1] += a
        s[2] += 1
    return {k: (s[0] / s[2], s[1] / s[2]) for k, s in sums.items()}


def plot(run_dir, out_png, title=None):
    meta = read_json(os.path.join(run_dir, "codesign.json"))
    constraint = meta.get("constraint", "latency")
    if constraint not in COST:
        raise PlotInputError(f"{run_dir}/codesign.json: key 'constraint': expected latency, energy or size, "
                             f"found '{constraint}'")
    cost, cost_label = COST[constraint]
    csv_path = os.path.join(run_dir, "codesign.csv")
    rows = read_csv(csv_path, text=["status", "fits", "shape", "accuracy_test", cost, "policy"])
    searched = [r for r in rows if r["status"] == "searched" and r["accuracy_test"] != ""]
    if not searched:
        raise PlotInputError(f"{csv_path}: no searched point (every configuration was refused: "
                             f"does-not-fit or budget-below-cheapest)")
    for r in searched:
        r[cost] = float(r[cost])
        r["accuracy_test"] = float(r["accuracy_test"])
    fractions = fraction_columns(rows)
    front_path = os.path.join(run_dir, "front.csv")
    front = read_csv(front_path, numeric=[cost, "accuracy_test"], text=["shape", "policy"]) \
        if os.path.isfile(front_path) and sum(1 for _ in open(front_path)) > 1 else []
    kinds = [l.get("kind", "?") for l in meta.get("layers", [])]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 2]})
    colours = [largest_fraction(r, fractions) for r in searched]
    sc = left.scatter([r[cost] for r in searched], [r["accuracy_test"] for r in searched], c=colours,
                      cmap="viridis", s=28, vmin=0, vmax=1)
    fig.colorbar(sc, ax=left, label="largest fraction of the device budget")
    if front:
        left.plot([r[cost] for r in front], [r["accuracy_test"] for r in front], "-", color=style.FRONT_COLOR,
                  linewidth=1, label="Pareto front (accuracy, cost, resources)")
    if "budget" in meta:
        style.budget_line(left, float(meta["budget"]),
                          label=f"budget {style.figure(float(meta['budget']))} {meta.get('budget_unit', '')}")
    if "reference_8bit_test_accuracy" in meta:
        left.axhline(meta["reference_8bit_test_accuracy"], color="black", linestyle="--", linewidth=0.8,
                     label="8-bit accuracy")
    style.readable_axis(left, [r[cost] for r in searched], axis="x")
    left.set_xlabel(cost_label)
    left.set_ylabel("test top-1 (%)")
    left.legend(fontsize=8)
    left.set_title(f"{len(searched)} searched of {len(rows)} configurations")
    if front and kinds:
        shown = [k for k in ("dwconv", "pwconv", "conv", "fc") if k in kinds]
        width = 0.8 / (2 * len(shown))
        for j, kind in enumerate(shown):
            bits = [mean_bits(r["policy"], kinds, front_path, i + 2).get(kind, (0, 0)) for i, r in enumerate(front)]
            for o, (operand, hatch) in enumerate((("w", ""), ("a", "//"))):
                xs = [i + (2 * j + o) * width - 0.4 + width / 2 for i in range(len(front))]
                right.bar(xs, [b[o] for b in bits], width, color=style.KIND_COLORS.get(kind, "gray"), hatch=hatch,
                          edgecolor="white", label=f"{kind} {operand}")
        right.set_xticks(range(len(front)))
        right.set_xticklabels([r["shape"] for r in front], rotation=45, ha="right", fontsize=8)
        right.set_ylabel("mean bits (w solid, a hatched)")
        right.set_ylim(0, 8.5)
        right.legend(fontsize=7, ncol=2)
        right.set_title("policy of each front point")
    else:
        right.axis("off")
    if front:
        fig.tight_layout()
        style.place_labels(left, [(r[cost], r["accuracy_test"]) for r in front], [r["shape"] for r in front])
    fig.suptitle(title or f"Co-design: {meta.get('model', '')} on {os.path.basename(meta.get('base', ''))} grid, "
                 f"{meta.get('target', '')}")
    style.save(fig, out_png)


def main():
    p = ArgumentParser(description=__doc__)
    p.add_argument("run_dir")
    p.add_argument("out_png")
    a = p.parse_args()
    plot(a.run_dir, a.out_png)


if __name__ == "__main__":
    run_main(main)
