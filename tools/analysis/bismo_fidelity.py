#!/usr/bin/env python3
"""BISMO fidelity figures (issue 23), regenerated from `haqsim simulate` runs.

Writes a Markdown report with
  1. the per-layer `bound` of MobileNet-V1 at 8/8 on bismo-edge and bismo-cloud, before the
     memory-port / instruction-overhead change (pooled ports, 1 cycle) and after (as shipped);
  2. the depthwise mapping `auto` picks per layer, and its cycles against `block_diagonal`,
     for MobileNet-V1/V2 at 224 on both instances at 8/8, 4/4 and two mixed precisions;
  3. the fitted exponents of cycles in weight bits and in activation bits per layer kind on
     bismo-cloud over all 64 (w, a) pairs: log cycles = layer constant + alpha log w + beta log a,
     least squares (alpha = 1 means cost proportional to weight bits, 0 means they are free).

Usage: tools/analysis/bismo_fidelity.py [--haqsim build/bin/haqsim] [--out results/fidelity/bismo]
"""
import argparse
import csv
import math
import os
import re
import subprocess
import tempfile

ARCHS = ["arch-configs/bismo-edge.yaml", "arch-configs/bismo-cloud.yaml"]


def simulate(haqsim, arch, model, wbits, abits, workdir):
    out = os.path.join(workdir, f"run-{os.path.basename(arch)}-{model}-{wbits}-{abits}")
    subprocess.run([haqsim, "simulate", "--arch", arch, "--model", model, "--wbits", str(wbits),
                    "--abits", str(abits), "--out", out], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "layers.csv")) as f:
        return list(csv.DictReader(f))


def variant(arch, workdir, tag, replacements):
    text = open(arch).read()
    for pattern, new in replacements:
        text, n = re.subn(pattern, new, text, flags=re.M)
        if n != 1:
            raise SystemExit(f"{arch}: expected one line matching {pattern!r}, found {n}")
    path = os.path.join(workdir, f"{tag}-{os.path.basename(arch)}")
    open(path, "w").write(text)
    return path


def kind_of(row, index, count):
    if row["kind"] == "fc":
        return "fc"
    if index == 0:
        return "first conv"
    return {"dwconv": "depthwise", "pwconv": "pointwise"}.get(row["kind"], row["kind"])


def least_squares(rows):
    """Fits y = c_layer + alpha*x1 + beta*x2 with per-layer constants (within-layer demeaning)."""
    by_layer = {}
    for layer, x1, x2, y in rows:
        by_layer.setdefault(layer, []).append((x1, x2, y))
    s11 = s12 = s22 = s1y = s2y = 0.0
    for points in by_layer.values():
        m1 = sum(p[0] for p in points) / len(points)
        m2 = sum(p[1] for p in points) / len(points)
        my = sum(p[2] for p in points) / len(points)
        for x1, x2, y in points:
            a, b, c = x1 - m1, x2 - m2, y - my
            s11 += a * a
            s12 += a * b
            s22 += b * b
            s1y += a * c
            s2y += b * c
    det = s11 * s22 - s12 * s12
    return (s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--haqsim", default="build/bin/haqsim")
    parser.add_argument("--out", default="results/fidelity/bismo")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    md = ["# BISMO fidelity (issue 23)", "",
          "Regenerate: `tools/analysis/bismo_fidelity.py` (analytic backend, which is exact for BISMO:",
          "`haqsim verify` holds it equal to SystemC on every layer).", ""]
    with tempfile.TemporaryDirectory() as work:
        # 1. Bound before and after.
        md += ["## MobileNet-V1 at 8/8: bound per layer, before and after", "",
               "before: the four ports pooled into one stream (`port_mapping: interleaved`) and "
               "`instruction_overhead_cycles: 1`; after: as shipped (`per_request`, 2).", ""]
        header = "| # | layer | kind |"
        sep = "|---|---|---|"
        columns = []
        for arch in ARCHS:
            before = variant(arch, work, "before", [
                (r"^(\s*port_mapping:)\s*\S+", r"\1 interleaved"),
                (r"^(\s*instruction_overhead_cycles:)\s*\S+", r"\1 1"),
                (r"^(\s*depthwise_mapping:)\s*\S+", r"\1 block_diagonal")])
            name = os.path.basename(arch)[:-5]
            columns.append(simulate(args.haqsim, before, "mobilenet_v1", 8, 8, work))
            columns.append(simulate(args.haqsim, arch, "mobilenet_v1", 8, 8, work))
            header += f" {name} before | {name} after (stall%) |"
            sep += "---|---|"
        md += [header, sep]
        for i, row in enumerate(columns[0]):
            cells = [row["layer"], row["name"], row["kind"]]
            for c, col in enumerate(columns):
                r = col[i]
                cells.append(r["bound"] if c % 2 == 0 else
                             f"{r['bound']} ({100 * float(r['stall_fraction']):.0f}%)")
            md.append("| " + " | ".join(cells) + " |")
        for c, col in enumerate(columns):
            n = sum(r["bound"] == "memory" for r in col)
            md.append(f"\n{['bismo-edge before', 'bismo-edge after', 'bismo-cloud before', 'bismo-cloud after'][c]}: "
                      f"{n} of {len(col)} layers memory-bound, "
                      f"{sum(int(r['cycles']) for r in col):,} cycles")
        md.append("")

        # 2. Mapping auto vs block_diagonal.
        md += ["## Depthwise mapping: `auto` against `block_diagonal`", "",
               "Per depthwise layer: the mapping `auto` picked and its cycles / block_diagonal's.", ""]
        bits = [(8, 8), (4, 4), (2, 8), (8, 2)]
        md += ["Every mapping forced, MobileNet-V1's 13 depthwise layers summed (cycles):", "",
               "| instance | mapping | " + " | ".join(f"w{w}a{a}" for w, a in bits) + " |",
               "|---|---|" + "---|" * len(bits)]
        for arch in ARCHS:
            for mapping in ["block_diagonal", "weight_planes", "per_channel"]:
                forced = variant(arch, work, mapping,
                                 [(r"^(\s*depthwise_mapping:)\s*\S+", r"\1 " + mapping)])
                sums = [sum(int(r["cycles"]) for r in
                            simulate(args.haqsim, forced, "mobilenet_v1", w, a, work)
                            if r["kind"] == "dwconv") for w, a in bits]
                md.append(f"| {os.path.basename(arch)[:-5]} | {mapping} | " +
                          " | ".join(f"{v:,}" for v in sums) + " |")
        md.append("")
        for arch in ARCHS:
            bd = variant(arch, work, "bd", [(r"^(\s*depthwise_mapping:)\s*\S+", r"\1 block_diagonal")])
            name = os.path.basename(arch)[:-5]
            for model in ["mobilenet_v1", "mobilenet_v2"]:
                md += [f"### {name}, {model}", "",
                       "| layer | " + " | ".join(f"w{w}a{a}" for w, a in bits) + " |",
                       "|---|" + "---|" * len(bits)]
                auto_runs = [simulate(args.haqsim, arch, model, w, a, work) for w, a in bits]
                bd_runs = [simulate(args.haqsim, bd, model, w, a, work) for w, a in bits]
                totals = []
                for i, row in enumerate(auto_runs[0]):
                    if row["kind"] != "dwconv":
                        continue
                    cells = [row["name"]]
                    for a_run, b_run in zip(auto_runs, bd_runs):
                        ratio = int(a_run[i]["cycles"]) / int(b_run[i]["cycles"])
                        cells.append(f"{a_run[i]['mapping'].replace('dw:', '')} {ratio:.2f}")
                    md.append("| " + " | ".join(cells) + " |")
                for a_run, b_run in zip(auto_runs, bd_runs):
                    totals.append(sum(int(r["cycles"]) for r in a_run) /
                                  sum(int(r["cycles"]) for r in b_run))
                md.append("| whole network | " + " | ".join(f"{t:.3f}" for t in totals) + " |")
                md.append("")

        # 3. Exponents on bismo-cloud over 64 bit pairs.
        md += ["## Cost exponents on bismo-cloud over all 64 (w, a) pairs", "",
               "log cycles = layer constant + alpha log2 wbits + beta log2 abits, least squares per "
               "layer kind (alpha = beta = 1: cycles proportional to the bit product, as BISMO's "
               "bit-serial compute is; 0: that operand's bits are free).", "",
               "| model | kind | layers | alpha (weights) | beta (activations) |", "|---|---|---|---|---|"]
        arch = "arch-configs/bismo-cloud.yaml"
        for model in ["mobilenet_v1", "mobilenet_v2"]:
            fits = {}
            for w in range(1, 9):
                for a in range(1, 9):
                    rows = simulate(args.haqsim, arch, model, w, a, work)
                    for i, r in enumerate(rows):
                        fits.setdefault(kind_of(r, i, len(rows)), []).append(
                            (i, math.log2(w), math.log2(a), math.log(int(r["cycles"]))))
            for kind, points in fits.items():
                alpha, beta = least_squares(points)
                md.append(f"| {model} | {kind} | {len({p[0] for p in points})} | {alpha:.3f} | {beta:.3f} |")
        md.append("")
    path = os.path.join(args.out, "README.md")
    open(path, "w").write("\n".join(md) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
