#!/usr/bin/python3
"""The HAQ paper's experiments on haqsim's machines: run the searches, write the tables.

One experiment is a list of searches (model x accelerator x budget). A budget is the paper's:
the cost of a fixed-precision baseline (PACT's 4, 5 and 6 bits for latency and energy, Deep
Compression's 2, 3 and 4 bits for size), so that every table row compares HAQ with the baseline
at the same cost, as the paper's tables do. Budgets are measured, not assumed: `haqsim search
--target 4bit` takes the cost of the very uniform-4 policy its comparison lists (first and last
layers pinned as searched; k-means codebooks counted under the size budget) on the instance the
search costs, so the baseline meets the budget it sets.

    tools/paper/paper.py run latency [--haqsim build/bin/haqsim] [--out results/paper]
    tools/paper/paper.py table latency
    tools/paper/paper.py figure latency

The size experiment runs each search twice: with k-means weights (HAQ against Deep Compression's
k-bit weight sharing, the paper's comparison) and, as a second baseline, the linear quantizer's
fixed k bits at the same budget (`--weight-quantizer linear --method uniform`).

`run` is resume-safe: a finished search (search.json) is skipped, a killed one continues from its
checkpoint. The settings of every search are in SETTINGS below and in each run's search.json.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

# What every search of the paper's tables runs with (the recorded settings). DDPG at HAQ's 600
# episodes; the ILP (HAWQ-V3-style, Hessian sensitivities) and the uniform policies beside it;
# the same finalist re-ranking, final fine-tune and test for every method.
SETTINGS = [
    "--method", "ddpg,ilp,uniform", "--episodes", "600", "--eval-images", "300",
    "--rerank-images", "2000", "--test-images", "10000", "--final-finetune-images", "10000",
    "--backend", "analytic", "--seed", "1", "--jobs", "1",
]

# experiment -> (constraint, [(model, arch)], baseline bits, table title, cost column,
#                [(run suffix, search options of that run)])
EXPERIMENTS = {
    "latency": ("latency", [("mobilenet_v1", "bismo-edge"), ("mobilenet_v1", "bismo-cloud"),
                            ("mobilenet_v2", "bismo-edge"), ("mobilenet_v2", "bismo-cloud")],
                [4, 5, 6], "Latency-constrained quantization on BISMO (the paper's Table 2)",
                "latency_ms", [("", [])]),
    "energy": ("energy", [("mobilenet_v1", "bitfusion"), ("mobilenet_v2", "bitfusion")],
               [4, 5, 6], "Energy-constrained quantization on BitFusion (the paper's Table 3)",
               "energy_mj", [("", [])]),
    # Size counts weights only (any accelerator gives the same sizes; bismo-edge is the cost
    # instance the search needs). Activations stay at 8 bits, as in the paper's size table. The
    # ILP takes measured sensitivities: the Hessian ones count linear quantization errors. Weights
    # may go down to 1 bit (HAQ's range is 1 to 8): with the first and last layers pinned at 8,
    # Deep Compression's 2-bit size leaves a 2..8-bit search no choice but uniform 2 bits.
    "size": ("size", [("mobilenet_v2", "bismo-edge"), ("resnet50", "bismo-edge")], [2, 3, 4],
             "Model-size-constrained quantization against Deep Compression (the paper's Table 4)",
             "size_mb", [("", ["--weight-quantizer", "kmeans", "--ilp-sensitivity", "measured",
                                 "--min-bits", "1"]),
                         ("-linear", ["--weight-quantizer", "linear", "--method", "uniform"])]),
}

UNITS = {"latency_ms": "ms", "energy_mj": "mJ", "size_mb": "MB"}


def fail(message):
    print(f"haqsim paper: error: {message}", file=sys.stderr)
    sys.exit(2)


def options(tokens):
    """['--a', '1', '--flag', '--b', '2'] -> {'--a': ['1'], '--flag': [], '--b': ['2']}."""
    out, key = {}, None
    for t in tokens:
        if t.startswith("--"):
            key = t
            out[key] = []
        elif key is None:
            fail(f"search options: expected an option (--name), found '{t}'")
        else:
            out[key].append(t)
    return out


def search_settings(extra):
    """SETTINGS with the options the command line gave replacing the recorded ones."""
    merged = options(SETTINGS)
    merged.update(options(extra))
    return [token for key, values in merged.items() for token in (key, *values)]


def run_dir(out, experiment, model, arch, bits, suffix=""):
    return os.path.join(out, experiment, f"{model}-{arch}-as-{bits}bit{suffix}")


def run(args):
    constraint, pairs, baselines, _, _, runs = EXPERIMENTS[args.experiment]
    for model, arch in pairs:
        for bits in baselines:
            for suffix, run_options in runs:
                d = run_dir(args.out, args.experiment, model, arch, bits, suffix)
                if os.path.exists(os.path.join(d, "search.json")):
                    print(f"{d}: done")
                    continue
                command = [args.haqsim, "search", "--arch", f"arch-configs/{arch}.yaml", "--model",
                           model, "--constraint", constraint, "--target", f"{bits}bit",
                           *search_settings(args.extra + run_options), "--out", d]
                if os.path.exists(os.path.join(d, "checkpoint.bin")):
                    command.append("--resume")
                print(" ".join(command), flush=True)
                os.makedirs(os.path.dirname(d), exist_ok=True)
                with open(d + ".log", "a", encoding="utf-8") as log:
                    subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT)


def read_comparison(d):
    with open(os.path.join(d, "comparison.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fmt_acc(row, tuned, where):
    """Top-1 after the final fine-tune when the run had one (the paper's numbers are fine-tuned);
    a row of such a run without it would compare an untuned number with tuned ones."""
    if tuned and not row.get("finetuned_test_accuracy"):
        fail(f"{where}: {row['method']} has no fine-tuned top-1 (a run from before haqsim "
             "fine-tuned the budget's uniform baseline: delete the directory and run the script "
             "again; the memoized measurements make it quick)")
    value = row.get("finetuned_test_accuracy") or row["test_accuracy"]
    return f"{float(value):.2f}" if value else "–"


def method_name(method, bits, quantizer, constraint):
    """The paper's name for a comparison.csv row of a run whose budget is fixed `bits`-bit's."""
    if method == "8-bit":
        return "fixed 8-bit" + (" (k-means)" if quantizer == "kmeans" else "")
    if method.startswith("uniform-"):
        # uniform-k: the baseline that set the budget (PACT's linear k bits for latency and
        # energy; Deep Compression's k-bit weight sharing with k-means weights).
        if quantizer == "kmeans":
            return f"Deep Compression {bits}-bit"
        return f"linear fixed {bits}-bit" if constraint == "size" else f"fixed {bits}-bit"
    return method + (" (k-means)" if quantizer == "kmeans" else "")


def table(args):
    constraint, pairs, baselines, title, column, runs = EXPERIMENTS[args.experiment]
    unit = UNITS[column]
    lines = [f"## {title}", ""]
    sources = set()
    lines.append(f"| model | accelerator | budget = cost of | method | top-1 (%) | "
                 f"{column.split('_')[0]} ({unit}) | ratio to 8-bit |")
    lines.append("|---|---|---|---|---|---|---|")
    missing = []
    seconds = []  # each run's search.json "seconds": the search, its fine-tunes and tests
    for model, arch in pairs:
        for bits in baselines:
            for suffix, _ in runs:
                d = run_dir(args.out, args.experiment, model, arch, bits, suffix)
                if not os.path.exists(os.path.join(d, "search.json")):
                    missing.append(d)
                    continue
                with open(os.path.join(d, "search.json"), encoding="utf-8") as f:
                    info = json.load(f)
                quantizer = info.get("weight_quantizer", "linear")
                seconds.append(float(info.get("seconds", 0)))
                sources.add(f"accuracy: {info['accuracy_instance']}, top-1 on "
                            f"{info['test_images']} test images after a final fine-tune over "
                            f"{info['final_finetune_images']} training images (0: none); cost: "
                            f"{info['cost_instance']}, {info['backend']} backend")
                rows = read_comparison(d)
                eight = next(r for r in rows if r["method"] == "8-bit")
                for r in rows:
                    method = r["method"]
                    if method.startswith("uniform-") and method != f"uniform-{bits}":
                        continue  # the baseline that set this budget stands for fixed precision
                    if method == "8-bit" and (bits != baselines[0] or suffix):
                        continue  # once per model and accelerator
                    if method.startswith("uniform-") and r["meets_budget"] != "true":
                        fail(f"{d}: {method} does not meet the budget it sets")
                    ratio = float(eight[column]) / float(r[column])
                    baseline = "Deep Compression" if constraint == "size" else "fixed"
                    budget = "" if method == "8-bit" else f"{baseline} {bits}-bit"
                    lines.append(f"| {model} | {arch} | {budget} | "
                                 f"{method_name(method, bits, quantizer, constraint)} | "
                                 f"{fmt_acc(r, info['final_finetune_images'] > 0, d)} | "
                                 f"{float(r[column]):.2f} | {ratio:.2f}x |")
    lines.append("")
    lines.append("Ratio to 8-bit: the fixed 8-bit policy's cost over the row's (higher is better). "
                 "Every row of a run gets the same final fine-tune and test.")
    for s in sorted(sources):
        lines.append(f"Source: {s}.")
    if seconds:
        lines.append(f"Time: {len(seconds)} searches, {sum(seconds) / 60:.0f} min in total "
                     f"({min(seconds) / 60:.0f}-{max(seconds) / 60:.0f} min each; a resumed run counts "
                     "its last process), on the machine that ran them.")
    if missing:
        lines.append("")
        lines.append("Not run yet: " + ", ".join(os.path.relpath(m, args.out) for m in missing))
    text = "\n".join(lines) + "\n"
    path = os.path.join(args.out, args.experiment, "table.md")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(text, end="")


def figure(args):
    """HAQ's per-layer policy figure for every run: weight bits up, activation bits down,
    depthwise and pointwise coloured, each layer's arithmetic intensity (MACs per DRAM byte) on
    a second axis: the memory-bound layers are where the edge machine takes bits away."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    constraint, pairs, baselines, _, _, _ = EXPERIMENTS[args.experiment]
    colours = {"dwconv": "#d62728", "pwconv": "#1f77b4", "conv": "#7f7f7f", "fc": "#2ca02c"}
    for model, arch in pairs:
        for bits in baselines:
            d = run_dir(args.out, args.experiment, model, arch, bits)
            layers_csv = os.path.join(d, "layers.csv")
            if not os.path.exists(layers_csv):
                continue
            with open(layers_csv, encoding="utf-8") as f:
                rows = [r for r in csv.DictReader(f) if r.get("on_array", "true") != "false"]
            x = list(range(len(rows)))
            fig, ax = plt.subplots(figsize=(11, 4.2))
            c = [colours.get(r["kind"], "#7f7f7f") for r in rows]
            ax.bar(x, [int(r["wbits"]) for r in rows], color=c)
            ax.bar(x, [-int(r["abits"]) for r in rows], color=c, alpha=0.55)
            ax.axhline(0, color="black", linewidth=0.8)
            ax.set_ylim(-8.5, 8.5)
            ax.set_yticks(range(-8, 9, 2))
            ax.set_yticklabels([str(abs(t)) for t in range(-8, 9, 2)])
            ax.set_ylabel("activation bits  |  weight bits")
            ax.set_xlabel("layer")
            ax.set_xticks(x)
            ax.set_xticklabels([str(i) for i in x], fontsize=7)
            intensity = ax.twinx()
            ops = [float(r["macs"]) / max(1.0, float(r["dram_read_bytes"]) +
                                          float(r["dram_write_bytes"])) for r in rows]
            intensity.plot(x, ops, color="black", marker=".", linewidth=1)
            intensity.set_yscale("log")
            intensity.set_ylabel("MACs per DRAM byte")
            handles = [plt.Rectangle((0, 0), 1, 1, color=v) for v in colours.values()]
            ax.legend(handles, list(colours), loc="upper center", bbox_to_anchor=(0.5, -0.13),
                      fontsize=8, ncol=4, frameon=False)
            baseline = "Deep Compression" if constraint == "size" else "fixed"
            ax.set_title(f"{model} on {arch}, {constraint} budget = {baseline} {bits}-bit's")
            fig.tight_layout()
            path = os.path.join(args.out, args.experiment, f"{model}-{arch}-as-{bits}bit.png")
            fig.savefig(path, dpi=110)
            plt.close(fig)
            print(path)


def main():
    parser = argparse.ArgumentParser(prog="haqsim paper", description=__doc__.split("\n")[0],
                                     epilog="After --: haqsim search options replacing the "
                                     "recorded ones (e.g. -- --episodes 60)")
    parser.add_argument("action", choices=["run", "table", "figure"])
    parser.add_argument("experiment", choices=sorted(EXPERIMENTS))
    parser.add_argument("--haqsim", default="build/bin/haqsim")
    parser.add_argument("--out", default="results/paper")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    args.extra = extra  # `haqsim search` options after --, replacing the recorded ones
    if args.action == "run" and not os.access(args.haqsim, os.X_OK):
        fail(f"--haqsim: expected the haqsim executable, found no such file '{args.haqsim}'")
    {"run": run, "table": table, "figure": figure}[args.action](args)


if __name__ == "__main__":
    main()
