#!/usr/bin/env bash
# Demonstrates sweeps on Slurm (issue 12): a single-node Slurm cluster on this machine runs a sweep as a job array whose
# tasks share a throw-away PostgreSQL store.
#   1. installs Debian's slurm-wlm and munge if missing (apt-get update first);
#   2. starts a throw-away PostgreSQL (scripts/lib/throwaway-postgres.sh);
#   3. writes a private slurm.conf (this host, its CPUs, select/cons_tres, private ports and state directories) and starts
#      munged, slurmctld and slurmd from a temporary directory;
#   4. 'initlab sweep slurm --submit' creates the sweep in PostgreSQL and submits the job array (4 tasks, 2 at a time);
#   5. waits for the array, checks that every trial is done exactly once and by which tasks; tears everything down.
# Needs root (slurmd runs as root; apt-get). Ends with "slurm-sweep-demo: PASS …" or "slurm-sweep-demo: FAIL …".
# Usage: bash scripts/slurm-sweep-demo.sh [| tee slurm-demo.log]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

fail() { echo "slurm-sweep-demo: FAIL: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root: slurmd must run as root, and Slurm and munge may need installing"
begin=$(date +%s)

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "==> installing slurm-wlm and munge (Debian)"
  (timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq slurm-wlm munge >/dev/null) \
    || fail "could not install slurm-wlm and munge with apt-get"
fi
echo "==> $(slurmctld -V) , munge $(munged --version 2>&1 | awk '{print $2}' | head -n 1)"

dotnet build InitLab.slnx -c Release 2>&1 | tail -n 2
cli="$repo/src/InitLab.Cli/bin/Release/net10.0/InitLab.Cli"
[ -x "$cli" ] || fail "no CLI at $cli after the build"

# shellcheck source=lib/throwaway-postgres.sh
source "$repo/scripts/lib/throwaway-postgres.sh"
slurm_dir=$(mktemp -d "${TMPDIR:-/tmp}/initlab-slurm.XXXXXX")
slurm_stop() {
  local daemon
  for daemon in slurmd slurmctld munged; do
    if [ -f "$slurm_dir/$daemon.pid" ]; then
      kill "$(cat "$slurm_dir/$daemon.pid")" 2>/dev/null || true
    fi
  done
  sleep 1
  rm -rf "$slurm_dir"
}
cleanup() { slurm_stop; pg_stop; }
pg_start || fail "could not start a throw-away PostgreSQL"
trap cleanup EXIT

echo "==> single-node Slurm in $slurm_dir"
mkdir -p "$slurm_dir/state" "$slurm_dir/spool" "$slurm_dir/log" "$slurm_dir/run"
[ -f /etc/munge/munge.key ] || fail "/etc/munge/munge.key missing (the munge package creates it)"
install -m 600 /etc/munge/munge.key "$slurm_dir/munge.key"
munged --force --socket="$slurm_dir/munge.socket" --key-file="$slurm_dir/munge.key" --pid-file="$slurm_dir/munged.pid" \
  --log-file="$slurm_dir/log/munged.log" --seed-file="$slurm_dir/munge.seed" || fail "munged did not start"
host=$(hostname -s)
cpus=$(nproc)
cat >"$slurm_dir/slurm.conf" <<EOF
ClusterName=initlab-demo
SlurmctldHost=$host
SlurmctldPort=$(( 30000 + RANDOM % 10000 ))
SlurmdPort=$(( 40000 + RANDOM % 10000 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$slurm_dir/munge.socket
CredType=cred/munge
StateSaveLocation=$slurm_dir/state
SlurmdSpoolDir=$slurm_dir/spool
SlurmctldPidFile=$slurm_dir/slurmctld.pid
SlurmdPidFile=$slurm_dir/slurmd.pid
SlurmctldLogFile=$slurm_dir/log/slurmctld.log
SlurmdLogFile=$slurm_dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=demo Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$slurm_dir/slurm.conf"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start: $(tail -n 5 "$slurm_dir/log/slurmctld.log")"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start: $(tail -n 5 "$slurm_dir/log/slurmd.log")"
for _ in $(seq 1 60); do
  state=$(sinfo -h -o "%T" 2>/dev/null | head -n 1 || true)
  [ "$state" = "idle" ] && break
  sleep 0.5
done
[ "$state" = "idle" ] || fail "the node did not become idle (state '$state'): $(tail -n 5 "$slurm_dir/log/slurmctld.log")"
sinfo

grid=(--depth 2,4 --width 64 --data digits --epochs 20 --seeds 4)
trials=8
echo "==> initlab sweep slurm --store $PG_URI --name demo ${grid[*]} --array 0-3%2 --submit"
cd "$slurm_dir/run"
submitted=$("$cli" sweep slurm --store "$PG_URI" --name demo "${grid[@]}" --array 0-3%2 --lease 30 --time 10 --submit) \
  || fail "sweep slurm --submit failed"
echo "$submitted"
job=$(echo "$submitted" | grep -oE "[0-9]+$")
echo "---- the generated script ($slurm_dir/run/demo.sbatch) ----"
cat demo.sbatch
echo "----"

for _ in $(seq 1 600); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || fail "job array $job still running after 5 minutes"
for out in slurm-demo-*.out; do
  echo "---- $out ----"
  cat "$out"
done

counts=$(pg_sql "SELECT count(*), count(*) FILTER (WHERE status = 'done'), count(DISTINCT worker) FROM initlab_trials")
IFS='|' read -r total done workers <<<"$counts"
echo "==> PostgreSQL: $total trials, $done done, by $workers distinct array tasks:"
pg_sql "SELECT worker, count(*) FROM initlab_trials GROUP BY worker ORDER BY worker" | sed 's/^/    /'
[ "$total" -eq "$trials" ] && [ "$done" -eq "$trials" ] || fail "expected $trials trials all done, got $total trials, $done done"
[ "$(pg_sql "SELECT count(*) FROM initlab_trials WHERE worker NOT LIKE 'slurm-${job}_%'")" = "0" ] || fail "a trial was run outside the job array"
dup=$(cat slurm-demo-*.out | grep -oE "\] done #[0-9]+/" | sort | uniq -d | tr '\n' ' ')
[ -z "$dup" ] || fail "trials done twice: $dup"
"$cli" sweep status --store "$PG_URI" --name demo
echo "slurm-sweep-demo: PASS ($trials trials done exactly once by $workers tasks of Slurm job array $job on a single-node cluster, store PostgreSQL; $(( $(date +%s) - begin )) s in all)"
