#!/bin/bash
# HAQ's per-layer policy figures (weight bits up, activation bits down, depthwise/pointwise
# coloured, each layer's MACs per DRAM byte) for every experiment whose runs exist in
# results/paper/ (run the *_table.sh scripts first).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${PAPER_OUT:-results/paper}
PYTHON=${HAQSIM_PYTHON:-/usr/bin/python3}  # Debian's, where python3-matplotlib is
for experiment in latency energy size; do
  "$PYTHON" tools/paper/paper.py figure "$experiment" --out "$OUT"
done
