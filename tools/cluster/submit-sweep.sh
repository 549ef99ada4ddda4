#!/bin/bash
# Submits the sweep of tools/cluster/sweep-env.sh as a Slurm job array (sweep.sbatch) and, after
# it, a job that merges the shards into OUT/sweep.csv (--dependency=afterok: only when every
# shard succeeded). From the repository root; extra arguments go to the array's sbatch:
#   tools/cluster/submit-sweep.sh                   # 16 shards
#   tools/cluster/submit-sweep.sh --array=0-2       # 3 shards
# Prints the two job ids ("ARRAY MERGE"); logs are OUT/slurm-*.log.
set -euo pipefail
source "$(dirname "$0")/sweep-env.sh"
mkdir -p "$sweep_out"
array=$(sbatch --parsable --output="${sweep_out}/slurm-%A_%a.log" "$@" \
  "$(dirname "$0")/sweep.sbatch")
array=${array%%;*}  # --parsable may append ";cluster"
merge=$(sbatch --parsable --job-name=haqsim-merge --dependency="afterok:${array}" \
  --output="${sweep_out}/slurm-%j-merge.log" \
  --wrap "\"$haqsim_bin\" merge \"$sweep_out\"/shard-* --out \"$sweep_out\"")
echo "${array} ${merge%%;*}"
