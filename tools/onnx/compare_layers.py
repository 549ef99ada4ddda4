#!/usr/bin/python3
"""Compares the per-layer cycles of two `haqsim simulate` runs layer by layer (e.g. an imported
ONNX export against the zoo's own network): array layers by position, then host layers by
position, and the totals. Prints one line per layer that differs and a summary.

usage: compare_layers.py RUN_A RUN_B [--csv OUT.csv]
Exit code: 0 when every layer's cycles are equal, 1 when some differ, 2 on bad input."""

import argparse
import csv
import json
import os
import sys


def rows(run_dir):
    path = os.path.join(run_dir, "layers.csv")
    if not os.path.isfile(path):
        print(f"compare_layers.py: {path}: file not found", file=sys.stderr)
        sys.exit(2)
    with open(path, newline="") as f:
        data = list(csv.DictReader(f))
    array = [r for r in data if r.get("on_array", "true") != "false"]
    host = [r for r in data if r.get("on_array", "true") == "false"]
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    return array, host, summary


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("--csv", help="write every layer's cycles side by side here")
    a = p.parse_args()
    array_a, host_a, sa = rows(a.run_a)
    array_b, host_b, sb = rows(a.run_b)
    table = []
    differ = 0
    for kind, xs, ys in (("array", array_a, array_b), ("host", host_a, host_b)):
        if len(xs) != len(ys):
            print(f"{kind} layers: {len(xs)} in {a.run_a}, {len(ys)} in {a.run_b}")
            differ += 1
        for i, (x, y) in enumerate(zip(xs, ys)):
            # Host rows of an imported network show ONNX dims, the zoo's H x W x C: cycles only.
            equal = x["cycles"] == y["cycles"] and (kind == "host" or x["shape"] == y["shape"])
            differ += not equal
            table.append([kind, i, x["name"], y["name"], x["shape"], x["cycles"], y["cycles"],
                          "yes" if equal else "no"])
            if not equal:
                print(f"{kind} {i}: {x['name']} {x['shape']} {x['cycles']} vs {y['name']} "
                      f"{y['shape']} {y['cycles']}")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["kind", "index", "name_a", "name_b", "shape", "cycles_a", "cycles_b",
                        "equal"])
            w.writerows(table)
    print(f"{len(table) - differ} of {len(table)} layers with equal cycles (and shapes, array layers); totals "
          f"{sa['total_cycles']} vs {sb['total_cycles']} cycles; bit_exact {sa.get('bit_exact')} / "
          f"{sb.get('bit_exact')}")
    return 0 if differ == 0 and sa["total_cycles"] == sb["total_cycles"] else 1


if __name__ == "__main__":
    sys.exit(main())
