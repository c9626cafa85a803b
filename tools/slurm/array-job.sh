#!/usr/bin/env bash
# A Cascade sweep as a Slurm job array: one shard per array task, merged afterwards.
#
#   sbatch --array=0-99 tools/slurm/array-job.sh SWEEP.yaml /shared/runs/study
#   # when every task has finished (squeue shows none):
#   cascade merge /shared/runs/study/shard-* --out /shared/runs/study/merged
#
# Each task runs `cascade sweep SWEEP --out OUT/shard-<task id>`; Cascade reads its shard
# (task id - SLURM_ARRAY_TASK_MIN, of MAX - MIN + 1) from Slurm's environment, so --array=0-99
# and --array=1-100 both work. A task that dies leaves its shard resumable: resubmit just that
# index (tools/slurm/README.md). Adjust the #SBATCH lines to your site.
#SBATCH --job-name=cascade-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem-per-cpu=1G
#SBATCH --time=01:00:00
#SBATCH --output=cascade-sweep-%A_%a.out
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: sbatch --array=0-(N-1) array-job.sh SWEEP.yaml OUT_DIR" >&2
  exit 2
fi
sweep_file=$1
out_dir=$2
cascade=${CASCADE:-cascade}
threads=${SLURM_CPUS_PER_TASK:-1}
exec "$cascade" sweep "$sweep_file" --out "$out_dir/shard-${SLURM_ARRAY_TASK_ID}" --threads "$threads"
