#!/usr/bin/env bash
# A Cascade sweep as a Slurm job array: one shard per array task, merged afterwards.
#
#   sbatch --array=0-99 tools/slurm/array-job.sh SWEEP.yaml /shared/runs/study 100
#   # when every task has finished (squeue shows none):
#   cascade merge /shared/runs/study/shard-* --out /shared/runs/study/merged
#   # a task that failed leaves its shard resumable; resubmit only those indices:
#   sbatch --array=17,42 tools/slurm/array-job.sh SWEEP.yaml /shared/runs/study 100
#
# With SHARDS (the number of shards of the whole sweep), task <id> runs
# `cascade sweep SWEEP --out OUT/shard-<id> --shard <id>/SHARDS`: number the array from 0, and
# any subset of its indices can be submitted again. Without SHARDS, Cascade reads its shard
# (task id - SLURM_ARRAY_TASK_MIN, of MAX - MIN + 1) from Slurm's environment, so --array=0-99
# and --array=1-100 both work, but a resubmitted subset is refused (its MIN, MAX and count
# describe the subset). Adjust the #SBATCH lines to your site (tools/slurm/README.md).
#SBATCH --job-name=cascade-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem-per-cpu=1G
#SBATCH --time=01:00:00
#SBATCH --output=cascade-sweep-%A_%a.out
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: sbatch --array=0-(N-1) array-job.sh SWEEP.yaml OUT_DIR [N]" >&2
  exit 2
fi
sweep_file=$1
out_dir=$2
cascade=${CASCADE:-cascade}
threads=${SLURM_CPUS_PER_TASK:-1}
shard=()
if [ $# -eq 3 ]; then
  if [ "${SLURM_ARRAY_TASK_ID}" -ge "$3" ] 2>/dev/null; then
    echo "array-job.sh: task ${SLURM_ARRAY_TASK_ID} is not a shard of $3: number the array from 0 (--array=0-$(($3 - 1)))" >&2
    exit 2
  fi
  shard=(--shard "${SLURM_ARRAY_TASK_ID}/$3")
fi
# ${shard[@]+...}: an empty array is "unbound" under set -u in bash before 4.4.
exec "$cascade" sweep "$sweep_file" --out "$out_dir/shard-${SLURM_ARRAY_TASK_ID}" --threads "$threads" ${shard[@]+"${shard[@]}"}
