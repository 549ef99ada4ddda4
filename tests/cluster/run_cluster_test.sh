#!/bin/bash
# The README's cluster path, run for real (CTest `cluster_sweep`, labels cluster and long;
# `make test-cluster`): the 27-point sweep of tools/cluster/sweep-env.sh
#   1. unsharded, as the reference (haqsim sweep --jobs <cores>);
#   2. as a Slurm job array of 3 shards plus the dependent merge job, submitted by
#      tools/cluster/submit-sweep.sh to a one-node Slurm started here (one_node_slurm.sh);
#   3. in 3 shards with GNU parallel over this machine's slots (tools/cluster/sweep-parallel.sh);
# and checks that each merged sweep.csv equals the reference byte for byte. Every step's time
# is printed. Usage (from CTest, in the repository root):
#   tests/cluster/run_cluster_test.sh BUILD_DIR
# Exit code 77 (CTest: skipped) when slurm-wlm, munge or parallel are not installed
# (tools/setup.sh --cluster installs them) or neither root nor `sudo -n` is available.
set -euo pipefail
build=$(realpath "${1:?usage: run_cluster_test.sh BUILD_DIR}")
export HAQSIM_BIN=$build/bin/haqsim
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

started=$(date +%s)
log() { echo "[cluster $(($(date +%s) - started)) s] $*"; }

for tool in slurmctld slurmd sbatch squeue sinfo scontrol munged mungekey parallel; do
  if ! command -v "$tool" > /dev/null; then
    log "SKIP: '$tool' is not installed (tools/setup.sh --cluster installs slurm-wlm, munge, parallel)"
    exit 77
  fi
done
if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2> /dev/null; then
  log "SKIP: the Slurm daemons need root or passwordless sudo"
  exit 77
fi

work=$(mktemp -d /tmp/haqsim-cluster-test.XXXXXX)
cluster_dir=$work/slurm-daemons
source "$(dirname "$0")/one_node_slurm.sh"
cleanup() {
  if [ -n "${SLURM_CONF:-}" ]; then
    scancel --name=haqsim-sweep --name=haqsim-merge 2> /dev/null || true
  fi
  stop_slurm || true
  "${slurm_sudo[@]}" rm -rf "$work"
}
trap cleanup EXIT

source tools/cluster/sweep-env.sh
log "sweep: ${sweep_options[*]}"

step() {  # step NAME: prints the seconds since the last step
  local now
  now=$(date +%s)
  log "$1 took $((now - step_started)) s"
  step_started=$now
}
step_started=$(date +%s)

# 1. The reference: the same sweep, unsharded.
"$HAQSIM_BIN" sweep "${sweep_options[@]}" --jobs "$(nproc)" --out "$work/unsharded"
rows=$(($(wc -l < "$work/unsharded/sweep.csv") - 1))
log "unsharded sweep: $rows points"
step "the unsharded sweep"

same_as_reference() {  # same_as_reference DIR WHAT
  if cmp "$work/unsharded/sweep.csv" "$1/sweep.csv"; then
    log "$2: merged sweep.csv == unsharded sweep.csv ($rows points, sha256" \
      "$(sha256sum < "$1/sweep.csv" | cut -c1-16))"
  else
    log "FAIL: $2: merged sweep.csv differs from the unsharded one:"
    diff "$work/unsharded/sweep.csv" "$1/sweep.csv" | head -20 >&2
    return 1
  fi
}

# 2. Slurm: a job array of 3 shards and the merge job after it.
start_slurm
step "starting munged, slurmctld and slurmd"
export HAQSIM_SWEEP_OUT=$work/slurm
read -r array merge < <(tools/cluster/submit-sweep.sh --array=0-2)
log "submitted job array $array (3 tasks) and merge job $merge (afterok:$array)"
job_state() { scontrol show job "$1" 2> /dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | tr -s ' ' | tr '\n' ';'; }
waited=0
while squeue -h -j "$array,$merge" 2> /dev/null | grep -q .; do
  sleep 2
  waited=$((waited + 2))
  if [ $((waited % 30)) -eq 0 ]; then log "waiting: array $(job_state "$array") merge $(job_state "$merge")"; fi
  if [ "$waited" -ge 3600 ]; then log "FAIL: the jobs did not finish within an hour"; exit 1; fi
done
failed=0
for task in 0 1 2; do
  info=$(scontrol show job "${array}_${task}")
  state=$(grep -o 'JobState=[A-Z_]*' <<< "$info" | cut -d= -f2)
  code=$(grep -o ' ExitCode=[0-9:]*' <<< "$info" | cut -d= -f2)
  runtime=$(grep -o 'RunTime=[0-9:-]*' <<< "$info" | cut -d= -f2)
  log "array task ${array}_${task}: $state, exit code $code, run time $runtime," \
    "log: $(head -n 1 "$HAQSIM_SWEEP_OUT/slurm-${array}_${task}.log")"
  [ "$state" = COMPLETED ] && [ "$code" = 0:0 ] || failed=1
done
merge_state=$(scontrol show job "$merge" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
log "merge job $merge: $merge_state: $(cat "$HAQSIM_SWEEP_OUT"/slurm-"$merge"-merge.log)"
[ "$merge_state" = COMPLETED ] || failed=1
if [ "$failed" -ne 0 ]; then
  log "FAIL: a job did not complete; logs:"
  tail -n 20 "$HAQSIM_SWEEP_OUT"/slurm-*.log >&2 || true
  exit 1
fi
same_as_reference "$HAQSIM_SWEEP_OUT" "Slurm job array"
step "the Slurm job array (3 shards) and merge"

# 3. GNU parallel over this machine's slots.
export HAQSIM_SWEEP_OUT=$work/parallel HAQSIM_SWEEP_SHARDS=3
tools/cluster/sweep-parallel.sh
awk -F'\t' 'NR > 1 && match($9, /--shard [^ ]+/) {
  print "[parallel] shard " substr($9, RSTART + 8, RLENGTH - 8) ": " $4 " s, exit code " $7
}' "$HAQSIM_SWEEP_OUT/parallel.log"
same_as_reference "$HAQSIM_SWEEP_OUT" "GNU parallel"
step "GNU parallel (3 shards on $(nproc) slots) and merge"
log "PASS"
