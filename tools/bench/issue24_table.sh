#!/usr/bin/env bash
# Every row of issue 24's speed table, measured in one run: the whole-process rows (start-up,
# whole networks, BitFusion batch 16, eval, the bismo-cloud cost fill; bench_startup) and the
# in-process rows (BISMO pointwise binary MACs/s with each SIMD level, BitFusion and bismo-edge
# networks on systemc and rtl; bench_accelerators). About 15 minutes on 2 cores.
# Usage: tools/bench/issue24_table.sh [BUILD_DIR] [OUT_PREFIX]   (from the repository root)
set -euo pipefail
build=${1:-build}
out=${2:-bench-results/issue24-table}
mkdir -p "$(dirname "$out")"
"$build/bin/bench_startup" --benchmark_out="$out-startup.json" --benchmark_out_format=json
"$build/bin/bench_accelerators" \
  --benchmark_filter='^pointwise/bismo-(edge|cloud)/systemc|^simd/bismo-(edge|cloud)/|^network/bitfusion/mobilenet_v2/(systemc|rtl)/verified|^network/bismo-edge/mobilenet_v1/(systemc|rtl)/verified|^network/bismo-cloud/mobilenet_v1/systemc/verified' \
  --benchmark_out="$out-accelerators.json" --benchmark_out_format=json
echo "results in $out-startup.json and $out-accelerators.json"
