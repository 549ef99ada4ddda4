#!/bin/bash
# The sweep of tools/cluster/sweep-env.sh in shards with GNU parallel, then their merge into
# OUT/sweep.csv. From the repository root:
#   tools/cluster/sweep-parallel.sh                              # 3 shards on this machine
#   HAQSIM_SWEEP_HOSTS=host1,host2,host3 tools/cluster/sweep-parallel.sh
#                                  # one shard per host over ssh, in this directory on each
#                                  # (a shared file system holds the repository and OUT)
#   HAQSIM_SWEEP_SHARDS  number of shards (3)
#   HAQSIM_SWEEP_SLOTS   shards at once on this machine (default: its cores)
# A failing shard stops the others and the script (exit code non-zero); OUT/parallel.log is
# parallel's job log (start time, run time and exit code of every shard).
set -euo pipefail
source "$(dirname "$0")/sweep-env.sh"
shards=${HAQSIM_SWEEP_SHARDS:-3}
where=(-j "${HAQSIM_SWEEP_SLOTS:-$(nproc)}")
if [ -n "${HAQSIM_SWEEP_HOSTS:-}" ]; then
  where=(-S "$HAQSIM_SWEEP_HOSTS" --wd "$PWD")
fi
mkdir -p "$sweep_out"
parallel --will-cite --halt now,fail=1 --joblog "${sweep_out}/parallel.log" "${where[@]}" \
  "$haqsim_bin" sweep "${sweep_options[@]}" --jobs 1 --shard "{}/${shards}" \
  --out "${sweep_out}/shard-{}" ::: $(seq 0 $((shards - 1)))
"$haqsim_bin" merge "$sweep_out"/shard-* --out "$sweep_out"
