#!/bin/bash
# The paper's latency table on haqsim's machines: runs (resume-safe) every search of it, then
# writes results/paper/latency/table.md and the per-layer policy figures. Extra arguments go to
# `haqsim search` (e.g. -- --episodes 60 for a quick look). See tools/paper/paper.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
HAQSIM=${HAQSIM:-build/bin/haqsim}
OUT=${PAPER_OUT:-results/paper}
PYTHON=${HAQSIM_PYTHON:-/usr/bin/python3}  # Debian's, where python3-matplotlib is
"$PYTHON" tools/paper/paper.py run latency --haqsim "$HAQSIM" --out "$OUT" "$@"
"$PYTHON" tools/paper/paper.py table latency --out "$OUT"
"$PYTHON" tools/paper/paper.py figure latency --out "$OUT"
