#!/bin/bash
# One table of the HAQ paper on haqsim's machines: `run_table.sh EXPERIMENT [-- search options]`
# runs (resume-safe) every search of it, then writes results/paper/EXPERIMENT/table.md and the
# per-layer policy figures. Options after -- replace the recorded `haqsim search` settings
# (e.g. -- --episodes 60 for a quick look). See tools/paper/paper.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
experiment=$1
shift
HAQSIM=${HAQSIM:-build/bin/haqsim}
OUT=${PAPER_OUT:-results/paper}
PYTHON=${HAQSIM_PYTHON:-/usr/bin/python3}  # Debian's, where python3-matplotlib is
"$PYTHON" tools/paper/paper.py run "$experiment" --haqsim "$HAQSIM" --out "$OUT" "$@"
"$PYTHON" tools/paper/paper.py table "$experiment" --out "$OUT"
"$PYTHON" tools/paper/paper.py figure "$experiment" --out "$OUT"
