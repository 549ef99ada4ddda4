#!/usr/bin/env bash
# Runs every benchmark binary and writes Google Benchmark JSON to bench-results/<name>.json.
# Usage: tools/bench/run.sh [BUILD_DIR]   (run from the repository root)
set -euo pipefail
build=${1:-build}
mkdir -p bench-results
for bin in "$build"/bin/bench_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  echo "== $name"
  "$bin" --benchmark_out="bench-results/$name.json" --benchmark_out_format=json
done
echo "results in bench-results/"
