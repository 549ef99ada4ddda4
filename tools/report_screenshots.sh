#!/usr/bin/env bash
# Renders each kind of report page from small real runs and screenshots it in headless Chromium, so
# the pages can be looked at as an architect sees them (`make report-screenshots`).
#   tools/report_screenshots.sh [BUILD_DIR] [OUT_DIR]
# BUILD_DIR (default build) holds bin/haqsim; OUT_DIR (default runs/report-screenshots) receives
# runs/<page>/ (the run directories with their report.html) and <page>.png. HAQSIM_PLOTS_DIR, as
# for `haqsim report`, selects the plot scripts (e.g. an older checkout's, for a before/after).
# Needs Debian's chromium (tools/setup.sh --optional). The runs are small: the analytic backend,
# a 6-episode search, a 27- and an 18-point sweep, a 4-point co-design; about two minutes on 2 cores.
set -euo pipefail

BUILD=${1:-build}
OUT=${2:-runs/report-screenshots}
HAQSIM="$BUILD/bin/haqsim"
[ -x "$HAQSIM" ] || { echo "report_screenshots: $HAQSIM not found (build first)" >&2; exit 2; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "report_screenshots: chromium not found (tools/setup.sh --optional)" >&2; exit 2; }

RUNS="$OUT/runs"
mkdir -p "$RUNS"
run() { echo "+ haqsim $*"; "$HAQSIM" "$@" --quiet >/dev/null; }

if [ ! -f "$RUNS/simulate/summary.json" ]; then
  run simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 --wbits 4 --abits 6 \
    --backend analytic --out "$RUNS/simulate"
fi
if [ ! -f "$RUNS/simulate-onnx/summary.json" ]; then
  # An imported network: host rows and ONNX's long scoped layer names.
  run simulate --arch arch-configs/bismo-edge.yaml --onnx tests/fuzz/corpus/onnx_model/torch_mixed_cnn_op13.onnx \
    --bits 8 --backend analytic --out "$RUNS/simulate-onnx"
fi
if [ ! -f "$RUNS/sweep-bismo/sweep.csv" ]; then
  run sweep --grid arch-configs/grids/bismo-edge-array.yaml --model mobilenet_v1 --bits 8 --jobs 2 \
    --out "$RUNS/sweep-bismo"
fi
if [ ! -f "$RUNS/sweep-bitfusion/sweep.csv" ]; then
  run sweep --grid arch-configs/grids/bitfusion-array.yaml --model mobilenet_v1 --bits 8 --jobs 2 \
    --out "$RUNS/sweep-bitfusion"
fi
if [ ! -f "$RUNS/search/search.json" ]; then
  run search --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 --constraint latency --target 0.6 \
    --backend analytic --method ddpg,random,evolution,ilp,uniform --episodes 6 --random-episodes 6 \
    --evolution-episodes 6 --eval-images 100 --rerank-images 100 --test-images 200 \
    --out "$RUNS/search"
fi
if [ ! -f "$RUNS/codesign/codesign.json" ]; then
  grid="$RUNS/codesign-grid.yaml"
  printf 'base: %s\ngrid:\n  bismo:\n    dm: [4, 8]\n    dk: [64, 256]\n' "$PWD/arch-configs/bismo-edge.yaml" >"$grid"
  run codesign --grid "$grid" --model mobilenet_v1 --constraint latency --target 0.8 --min-bits 6 \
    --eval-images 30 --rerank-images 40 --finalists 2 --test-images 60 --calibration-images 64 \
    --method ilp --out "$RUNS/codesign"
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in simulate simulate-onnx sweep-bismo sweep-bitfusion search codesign; do
  "$HAQSIM" report "$RUNS/$page" >/dev/null
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile/$page" --window-size=1400,3000 \
    --screenshot="$(realpath "$OUT")/$page.png" "file://$(realpath "$RUNS/$page/report.html")" 2>/dev/null
  echo "wrote $OUT/$page.png"
done
