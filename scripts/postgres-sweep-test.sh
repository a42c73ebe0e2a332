#!/usr/bin/env bash
# PostgreSQL end-to-end test of sweeps (issue 12), run by .ci/run after scripts/test.sh (which builds Release):
#   1. starts a throw-away PostgreSQL 15 (scripts/lib/throwaway-postgres.sh: private socket directory, removed on exit);
#   2. runs the store contract tests and the PostgreSQL store tests against it;
#   3. runs a 9-trial sweep with 3 worker processes sharing the database, SIGKILLs one of them in the middle of a trial,
#      and checks that every trial is done exactly once (one row each, one successful "done" across all worker logs),
#      that the killed worker's trial was reclaimed by another worker only after the lease, and that every metric,
#      history and initial-layer statistic is bit-identical to a single-process SQLite run of the same sweep;
#   4. runs the same sweep as 2 shards (SQLite file each), merges them and checks the same identity.
# Ends with one line: "postgres-sweep-test: PASS …" or "postgres-sweep-test: FAIL …" (exit 1). Takes about 1–2 minutes
# after the build. Needs Debian's postgresql (initdb, pg_ctl, psql) and python3; as root the server runs as 'postgres'.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

fail() { echo "postgres-sweep-test: FAIL: $*"; exit 1; }

command -v python3 >/dev/null || fail "python3 is needed to compare the exports (apt-get install python3)"
cli="$repo/src/InitLab.Cli/bin/Release/net10.0/InitLab.Cli"
# Incremental: a no-op when scripts/test.sh (or anything else) built Release already.
dotnet build InitLab.slnx -c Release 2>&1 | tail -n 2
[ -x "$cli" ] || fail "no CLI at $cli after the build"

# shellcheck source=lib/throwaway-postgres.sh
source "$repo/scripts/lib/throwaway-postgres.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/initlab-pgtest.XXXXXX")
cleanup() { pg_stop; rm -rf "$work"; }
pg_start || fail "could not start a throw-away PostgreSQL"
trap cleanup EXIT

echo "==> store contract and PostgreSQL store tests against the throw-away server"
if ! dotnet test tests/InitLab.Sweeps.Tests -c Release --no-build --filter "FullyQualifiedName~InitLab.Sweeps.Tests.Store.Postgres" \
    2>&1 | tee "$work/tests.log" | grep -E "^(Passed|Failed)!|^\s+Failed "; then
  fail "the PostgreSQL store tests did not run (see above)"
fi
grep -q "^Passed!" "$work/tests.log" || fail "PostgreSQL store tests failed"
grep -Eq "Skipped: +0," "$work/tests.log" || fail "PostgreSQL store tests were skipped although a server runs"
tests_line="$(grep "^Passed!" "$work/tests.log" | grep -oE "Passed: +[0-9]+" | grep -oE "[0-9]+") PostgreSQL store tests passed"

# Trials of about 1–2 s (digits, 40 epochs), long enough to be killed in the middle of one.
grid=(--depth 2,4,6 --width 128 --data digits --epochs 40 --seeds 3)
trials=9
lease=5

echo "==> single-process reference run on SQLite"
"$cli" sweep run "${grid[@]}" --store "$work/single.db" --name e2e --workers 1 >"$work/single.log" 2>&1 \
  || { cat "$work/single.log"; fail "the SQLite reference run failed"; }
"$cli" sweep export --store "$work/single.db" --name e2e --json "$work/single.json" >/dev/null

echo "==> 3 workers on PostgreSQL ($PG_URI), lease ${lease} s; one is killed mid-trial"
start_ns=$(date +%s%N)
"$cli" sweep run "${grid[@]}" --store "$PG_URI" --name e2e --workers 3 --lease "$lease" >"$work/pg.log" 2>&1 &
run_pid=$!

# Wait until some worker has been inside a trial for 0.4 s, then SIGKILL that worker process (its name is host:pid).
victim="" victim_trial="" victim_beat=""
for _ in $(seq 1 300); do
  row=$(pg_sql "SELECT id, worker, heartbeat_utc FROM initlab_trials WHERE status = 'running' AND started_utc < now() - interval '400 milliseconds' ORDER BY id LIMIT 1" 2>/dev/null || true)
  if [ -n "$row" ]; then
    IFS='|' read -r victim_trial victim victim_beat <<<"$row"
    break
  fi
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$victim" ] || { cat "$work/pg.log"; fail "no worker was ever seen inside a trial"; }
victim_pid=${victim##*:}
grep -q "sweep" "/proc/$victim_pid/cmdline" 2>/dev/null || fail "worker '$victim' is not a sweep worker process here"
kill -KILL "$victim_pid"
echo "    killed worker $victim (pid $victim_pid) inside trial $victim_trial (its last heartbeat $victim_beat)"
wait "$run_pid" || true
pg_seconds=$(( ($(date +%s%N) - start_ns) / 1000000 ))
"$cli" sweep export --store "$PG_URI" --name e2e --json "$work/pg.json" >/dev/null

echo "==> checks"
# One row per trial, all done (the unique key (sweep_id, config_hash, seed) rules out duplicate rows; counted anyway).
counts=$(pg_sql "SELECT count(*), count(DISTINCT (config_hash, seed)), count(*) FILTER (WHERE status = 'done') FROM initlab_trials")
[ "$counts" = "$trials|$trials|$trials" ] || fail "expected $trials trials, all distinct and done; got count|distinct|done = $counts"
# Exactly one successful completion per trial across all workers (a lost claim prints "lost", never "done").
dup=$(grep -oE "\] done #[0-9]+/" "$work/pg.log" | sort | uniq -d | tr '\n' ' ')
[ -z "$dup" ] || fail "trials reported done more than once: $dup"
done_lines=$(grep -cE "\] done #[0-9]+/" "$work/pg.log" || true)
[ "$done_lines" -eq "$trials" ] || fail "expected $trials 'done' lines in the worker logs, got $done_lines"
# The killed worker's trial: finished by another worker, on a second claim, which began only after the lease ran out.
reclaim=$(pg_sql "SELECT attempts, worker, started_utc >= timestamptz '$victim_beat' + interval '$lease seconds', worker <> '$victim' FROM initlab_trials WHERE id = $victim_trial")
IFS='|' read -r attempts rworker after_lease other <<<"$reclaim"
[ "$attempts" -ge 2 ] || fail "trial $victim_trial was not reclaimed (attempts $attempts)"
[ "$other" = "t" ] || fail "trial $victim_trial was finished by the killed worker $victim"
[ "$after_lease" = "t" ] || fail "trial $victim_trial was reclaimed before its lease of $lease s expired"
[ "$(pg_sql "SELECT count(*) FROM initlab_trials WHERE worker = '$victim'")" = "0" ] || fail "the killed worker still holds or finished a trial"

compare() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def load(path):
    trials = json.load(open(path, encoding="utf-8"))["trials"]
    # What a training computed; ids, workers, attempts, clock times and wall seconds legitimately differ between runs.
    keep = lambda t: {"status": t["status"], "settings": t["settings"], "error": t["error"],
                      "result": {k: v for k, v in (t["result"] or {}).items() if k != "seconds"}}
    return {(t["config_hash"], t["seed"]): keep(t) for t in trials}, [(t["config_hash"], t["seed"]) for t in trials]
(a, order_a), (b, order_b) = load(sys.argv[1]), load(sys.argv[2])
if len(a) != len(order_a) or len(b) != len(order_b):
    sys.exit("duplicate trials in an export")
if a.keys() != b.keys():
    sys.exit(f"different trials: only in the first {sorted(set(a) - set(b))}, only in the second {sorted(set(b) - set(a))}")
diff = [k for k in a if a[k] != b[k]]
if diff:
    sys.exit(f"{len(diff)} trial(s) differ, e.g. {diff[0]}: {a[diff[0]]} vs {b[diff[0]]}")
if order_a != order_b:
    sys.exit("same trials, different order")
print(f"{len(a)} trials identical (metrics as printed round-trip floats, histories, initial-layer statistics)")
PY
}
pg_vs_sqlite=$(compare "$work/single.json" "$work/pg.json") || fail "PostgreSQL vs SQLite: $pg_vs_sqlite"
echo "    PostgreSQL (3 workers, 1 killed) vs SQLite (1 process): $pg_vs_sqlite"

echo "==> 2 shards into their own SQLite files, merged"
"$cli" sweep slurm --store "$work/sharded.db" --name e2e "${grid[@]}" --array 0-1 --script "$work/sharded.sbatch" >/dev/null 2>"$work/slurm.log" \
  || { cat "$work/slurm.log"; fail "sweep slurm could not write the definition"; }
for i in 0 1; do
  "$cli" sweep worker --store "$work/sharded.shard$i.db" --name e2e --shard "$i/2" --definition "$work/sharded.definition.json" \
    >"$work/shard$i.log" 2>&1 || { cat "$work/shard$i.log"; fail "shard $i failed"; }
done
"$cli" sweep merge --out "$work/merged.db" "$work/sharded.shard1.db" "$work/sharded.shard0.db" >"$work/merge.log" 2>&1 \
  || { cat "$work/merge.log"; fail "merge failed"; }
grep -q "$trials done, 0 failed, 0 still to run; 0 duplicate(s) with identical results; 0 conflict(s)" "$work/merge.log" \
  || { cat "$work/merge.log"; fail "the merge did not report $trials done and no conflict"; }
"$cli" sweep export --store "$work/merged.db" --name e2e --json "$work/merged.json" >/dev/null
merged_vs_sqlite=$(compare "$work/single.json" "$work/merged.json") || fail "merged shards vs SQLite: $merged_vs_sqlite"
echo "    merged shards vs SQLite (1 process): $merged_vs_sqlite"

echo "postgres-sweep-test: PASS ($tests_line; $trials trials on PostgreSQL with 3 workers in $((pg_seconds / 1000)).$(( (pg_seconds % 1000) / 100 )) s, worker $victim killed in trial $victim_trial, reclaimed on attempt $attempts by $rworker after the ${lease} s lease; results bit-identical to SQLite, also after shard + merge)"
