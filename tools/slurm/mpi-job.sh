#!/usr/bin/env bash
# A Cascade sweep on MPI ranks in one Slurm allocation (Cascade built with -DCASCADE_WITH_MPI=ON).
#
#   sbatch --nodes=4 --ntasks-per-node=8 --cpus-per-task=4 tools/slurm/mpi-job.sh SWEEP.yaml /shared/runs/study
#
# Rank 0 hands out chunks and writes the results; every other rank runs chunks on
# --cpus-per-task threads. If the job dies or hits its time limit, submit it again with the same
# arguments: it resumes from the journal in OUT_DIR. Adjust the #SBATCH lines to your site.
#SBATCH --job-name=cascade-mpi-sweep
#SBATCH --time=04:00:00
#SBATCH --output=cascade-mpi-sweep-%j.out
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: sbatch [--nodes=.. --ntasks-per-node=.. --cpus-per-task=..] mpi-job.sh SWEEP.yaml OUT_DIR" >&2
  exit 2
fi
sweep_file=$1
out_dir=$2
cascade=${CASCADE:-cascade}
threads=${SLURM_CPUS_PER_TASK:-1}
# Open MPI's mpirun reads the allocation from Slurm; `srun --mpi=pmix` works as well.
# --bind-to none: Open MPI binds each rank to one core by default (to a core or a socket by the
# number of ranks), and --threads would then find a single core to run on.
exec mpirun --bind-to none "$cascade" sweep "$sweep_file" --out "$out_dir" --threads "$threads" --quiet
