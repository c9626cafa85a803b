#!/usr/bin/env bash
# A real Slurm, in a test: starts a single-node cluster (munged, slurmctld, slurmd on localhost,
# as root, from Debian's slurm-wlm and munge), submits tools/slurm/array-job.sh as a job array
# numbered from 1, waits for it, merges the shards and compares the result with a single-process
# run of the same sweep; with an MPI build it also runs tools/slurm/mpi-job.sh. Stops every
# daemon it started, whatever happens.
#
#   bash tests/slurm/slurm_sweep_test.sh build/tools/cascade      # ctest label: slurm
#
# Exit 0: the merged files are byte-identical to the single process's. Needs root and the
# packages slurm-wlm, munge, libpmix2 (tools/quickstart.sh installs them for this label).
set -euo pipefail

cascade=$(realpath "$1")
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/cascade-slurm.XXXXXX)
timeout_seconds=${CASCADE_SLURM_TIMEOUT:-120}
pids=()

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pidfile in "$work"/run/*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
  sleep 1
  for pidfile in "$work"/run/*.pid; do [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true; done
  if [ $status -ne 0 ]; then
    echo "--- slurmctld.log"; tail -n 30 "$work/log/slurmctld.log" 2>/dev/null || true
    echo "--- slurmd.log"; tail -n 30 "$work/log/slurmd.log" 2>/dev/null || true
    for f in "$work"/jobs/*.out; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (slurmd and slurmctld run as root here)"
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || fail "$tool is missing: install slurm-wlm and munge"
done

chmod 0755 "$work"
mkdir -p "$work"/{etc,run,log,state,spool,jobs,munge} "$work/study"
chown munge:munge "$work/munge"

# --- munge: our own socket, so that a system munged (if any) is left alone
munge_socket="$work/munge/munge.socket"
runuser -u munge -- munged --socket="$munge_socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"
cp "$work/munge/munged.pid" "$work/run/munged.pid"

# --- slurm.conf for this machine (slurmd -C gives its CPUs and memory)
node_line=$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]*/NodeName=localhost NodeAddr=127.0.0.1/')
cat > "$work/etc/slurm.conf" <<EOF
ClusterName=cascade-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$munge_socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=pmix
MaxArraySize=10001
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
$node_line State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/etc/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost

# Wait (bounded) for the node to take jobs.
deadline=$((SECONDS + 60))
until sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)'; do
  [ $SECONDS -lt $deadline ] || fail "the node did not come up: $(sinfo 2>&1 | tail -n 2)"
  sleep 1
done

# --- the sweep: single process, then the array job, then merge
cp "$source_dir/tests/tools/data/small.yaml" "$source_dir/tests/tools/data/sweep-small.yaml" "$work/study/"
cd "$work/study"
"$cascade" sweep sweep-small.yaml --out single --quiet >/dev/null

job=$(CASCADE="$cascade" sbatch --parsable --array=1-3 --cpus-per-task=1 --output="$work/jobs/array-%A_%a.out" \
        "$source_dir/tools/slurm/array-job.sh" sweep-small.yaml "$work/study/shards")
wait_for_job() {
  local id=$1 deadline=$((SECONDS + timeout_seconds))
  while squeue -h -j "$id" 2>/dev/null | grep -q .; do
    [ $SECONDS -lt $deadline ] || fail "job $id did not finish within ${timeout_seconds}s: $(squeue -h -j "$id" -o "%T %r" 2>&1)"
    sleep 1
  done
}
wait_for_job "$job"
for i in 1 2 3; do
  grep -q "Shard $((i - 1))/3 is complete" "$work/jobs/array-${job}_$i.out" || fail "array task $i did not complete its shard"
done
"$cascade" merge shards/shard-1 shards/shard-2 shards/shard-3 --out merged >/dev/null
for f in results.csv aggregate.csv failures.csv results.sqlite; do
  cmp -s single/$f merged/$f || fail "$f of the merged array job differs from the single process's"
done
echo "ok: a 3-task Slurm array (--array=1-3) merged to the single-process files"

# --- the MPI template, when this cascade was built with MPI
if "$cascade" --version | grep -q "with MPI" && command -v mpirun >/dev/null; then
  job=$(CASCADE="$cascade" OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
          sbatch --parsable --ntasks=3 --overcommit --output="$work/jobs/mpi-%j.out" \
          "$source_dir/tools/slurm/mpi-job.sh" sweep-small.yaml "$work/study/mpi")
  wait_for_job "$job"
  for f in results.csv aggregate.csv failures.csv results.sqlite; do
    cmp -s single/$f mpi/$f || fail "$f of the MPI job differs from the single process's"
  done
  echo "ok: the MPI job template (3 ranks under sbatch) wrote the single-process files"
fi
