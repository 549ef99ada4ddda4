#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (ASan + UBSan) in BUILD_DIR and runs each for SECONDS.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [HARNESS...]
# HARNESS is any of arch_config policy idx onnx_model (default: all, one after another).
# Each run starts from the seed corpus in tests/fuzz/corpus/<harness>/ and grows a working
# corpus in BUILD_DIR/corpus/<harness>/ (the repository's seeds are never modified). A crash
# leaves its input in BUILD_DIR/artifacts/<harness>/ and makes the script exit non-zero; copy
# it to tests/fuzz/regressions/<harness>/ once fixed, where test_fuzz_regressions replays it.
# FUZZ_KEEP_GOING=1 runs libFuzzer in fork mode and carries on after a crash, so one long run
# collects every distinct crash instead of stopping at the first.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS [HARNESS...]" >&2
  exit 2
fi
build=$(realpath -m "$1")
seconds=$2
shift 2
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=(arch_config policy idx onnx_model)
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v clang++ >/dev/null; then
  echo "run_fuzzers.sh: clang++ not found (tools/setup.sh installs clang and libclang-rt-14-dev)" >&2
  exit 2
fi
mkdir -p "$build"
cmake -S "$here/clang" -B "$build" -DCMAKE_CXX_COMPILER=clang++ >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]}"

status=0
for h in "${harnesses[@]}"; do
  rm -rf "$build/artifacts/$h"  # findings of an earlier run are judged by that run
  mkdir -p "$build/corpus/$h" "$build/artifacts/$h"
  echo "== fuzz_$h for ${seconds}s"
  # -rss_limit_mb and -timeout turn memory blow-ups and hangs into findings as well.
  rc=0
  keep_going=()
  [[ ${FUZZ_KEEP_GOING:-0} == 1 ]] &&
    keep_going=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  "$build/fuzz_$h" "${keep_going[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -timeout=10 -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$h/" \
    "$build/corpus/$h" "$here/corpus/$h" >"$build/fuzz_$h.log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|SUMMARY)" "$build/fuzz_$h.log" || true
  grep -E "^#[0-9]+: cov" "$build/fuzz_$h.log" | tail -1 || true
  if [[ $rc -ne 0 ]] || ls "$build/artifacts/$h"/crash-* "$build/artifacts/$h"/oom-* \
      "$build/artifacts/$h"/timeout-* >/dev/null 2>&1; then
    echo "fuzz_$h: crash (exit $rc), see $build/fuzz_$h.log and $build/artifacts/$h/" >&2
    status=1
  fi
done
exit $status
