#!/usr/bin/python3
"""Searchers side by side: one Markdown table over several `haqsim search --method ...` runs.

    tools/analysis/method_table.py "edge 0.35=results/search/RUN" "cloud 0.35=results/search/RUN2"

Each LABEL=DIR is a search run directory (comparison.csv, episodes.csv, search.json). Rows: the
8-bit reference, every searched method's winner and the best uniform policy that meets the
budget; columns: accuracy evaluations, the method's own search time, test top-1 before and after
the final fine-tune, latency and energy. The search time is comparison.csv's search_seconds; runs
recorded before that column existed get the sum of the method's episodes.csv seconds (DDPG's
warm-up included) and no figure for the ILP.
"""

import csv
import json
import os
import sys


def fail(message):
    print(f"method_table: error: {message}", file=sys.stderr)
    sys.exit(2)


def read_rows(path):
    try:
        with open(path, encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail(f"{path}: {e.strerror}")


def episode_seconds(run):
    """method -> summed seconds of its episodes (warm-up counts as DDPG's)."""
    totals = {}
    path = os.path.join(run, "episodes.csv")
    if not os.path.exists(path):
        return totals
    for row in read_rows(path):
        method = "ddpg" if row["kind"] == "warmup" else row["kind"]
        totals[method] = totals.get(method, 0.0) + float(row["seconds"])
    return totals


def cell(value, decimals):
    return f"{float(value):.{decimals}f}" if value not in (None, "") else "–"


def table(runs):
    lines = ["| budget | method | evaluations | search time (s) | test top-1 (%) | after fine-tune (%) "
             "| latency (ms) | energy (mJ) |", "|---|---|---|---|---|---|---|---|"]
    for label, run in runs:
        rows = read_rows(os.path.join(run, "comparison.csv"))
        with open(os.path.join(run, "search.json"), encoding="utf-8") as f:
            info = json.load(f)
        best_uniform = info.get("best_uniform", {}).get("method")
        seconds = episode_seconds(run)
        for row in rows:
            method = row["method"]
            if method.startswith("uniform-") and method != best_uniform:
                continue
            searched = method in info.get("methods", [])
            elapsed = row.get("search_seconds")
            if not elapsed and searched and method in seconds:
                elapsed = seconds[method]
            evaluations = row["evaluations"] if searched else ""
            name = f"**{method}**" if method == info.get("best", {}).get("method") else method
            lines.append(f"| {label} | {name} | {evaluations or '–'} | {cell(elapsed, 0)} | "
                         f"{cell(row['test_accuracy'], 2)} | {cell(row['finetuned_test_accuracy'], 2)} | "
                         f"{cell(row['latency_ms'], 2)} | {cell(row['energy_mj'], 2)} |")
    return "\n".join(lines)


def main(argv):
    if not argv:
        fail("expected LABEL=RUN_DIR arguments (a search run directory each)")
    runs = []
    for arg in argv:
        label, sep, run = arg.partition("=")
        if not sep or not os.path.isdir(run):
            fail(f"'{arg}': expected LABEL=RUN_DIR with an existing directory")
        runs.append((label, run))
    print(table(runs))


if __name__ == "__main__":
    main(sys.argv[1:])
