#!/usr/bin/env bash
# Regenerates the golden per-layer cycle files (tests/contract/golden/<config>.csv) with a built
# haqsim: MobileNet-V1 and V2 at 224x224x3, 1000 classes, 8/8, batch from the config, on the
# analytic and systemc backends. The golden test (test_golden_cycles) recomputes the same rows in
# process and requires them to be equal; run this only when a timing change is intended, and say
# so in the commit.
#   usage: tests/contract/make_golden.sh [HAQSIM_BINARY]   (from the repository root)
set -euo pipefail
bin=${1:-build/bin/haqsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for config in arch-configs/*.yaml; do
  name=$(basename "$config" .yaml)
  out=tests/contract/golden/$name.csv
  {
    echo "# Golden per-layer results of $name at 8/8: MobileNet-V1/V2, 224x224x3, 1000 classes,"
    echo "# batch from the config. Written by tests/contract/make_golden.sh; checked by test_golden_cycles."
    echo "model,backend,layer,name,cycles,compute_cycles,dram_read_bytes,dram_write_bytes"
    for model in mobilenet_v1 mobilenet_v2; do
      for backend in analytic systemc; do
        "$bin" simulate --arch "$config" --model "$model" --bits 8 --backend "$backend" \
          --quiet --out "$tmp/$name-$model-$backend" >/dev/null
        # layers.csv columns: layer,name,...,cycles(8),compute_cycles(9),...; the byte columns
        # are found by name.
        awk -F, -v m="$model" -v b="$backend" '
          NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
          { print m "," b "," $col["layer"] "," $col["name"] "," $col["cycles"] "," \
                  $col["compute_cycles"] "," $col["dram_read_bytes"] "," $col["dram_write_bytes"] }
        ' "$tmp/$name-$model-$backend/layers.csv"
      done
    done
  } > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "wrote $out ($(($(wc -l < "$out") - 3)) layers)"
done
