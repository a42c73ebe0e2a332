#!/usr/bin/env bash
# InitLab's SGEMM vs numpy/OpenBLAS (best core for this CPU) vs TorchSharp (libtorch 2.10 + oneMKL), square n×n×n,
# on 1 and 2 threads, the three alternating per round (order rotating). Prints GFLOP/s, % of the FMA peak measured
# here by ../shared/peers/fma_peak.c, and the median of the paired ratios InitLab / peer (> 1: InitLab is faster).
# Usage: bench/peers/gemm-compare.sh [rounds=3] [sizes="256 512 1024 2048"]   (PEAK_PER_CORE=... skips the measurement)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
sizes=${2:-256 512 1024 2048}
# shellcheck source=bench/peers/common.sh
source bench/peers/common.sh
prepare_peers
measure_peak
run_engine() { # engine threads round; lines: gemm,n,threads,engine,ms,gflops,round
  local threads=$2 rep=$3
  case $1 in
    initlab) $initlab bench --csv --workload none --repeats 3 --threads "$threads" --gemm "${sizes// /,}" ;;
    openblas) "${blas_env[@]}" OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 "$peers/gemm_openblas.py" $sizes \
                | awk -F, -v OFS=, '{ print $1, $2, $3, "openblas:" $4, $5, $6 }' ;;
    torchsharp) OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" $ts --threads "$threads" --gemm \
                | awk -F, -v OFS=, '{ print "gemm", $2, $3, "torchsharp", $4, $5 }' ;;
  esac | sed "s/\$/,$rep/" >> "$out"
}
engines=(initlab openblas torchsharp)
for threads in 1 2; do
  for rep in $(seq 1 "$rounds"); do
    for i in 0 1 2; do
      run_engine "${engines[$(((i + rep - 1) % 3))]}" "$threads" "$rep"
    done
  done
done
/usr/bin/python3 - "$out" "$peak1" "$peak2" "$sizes" <<'PY'
import sys, statistics, collections
peak = {1: float(sys.argv[2]), 2: float(sys.argv[3])}
wanted = {int(s) for s in sys.argv[4].split()}
runs = collections.defaultdict(dict)
core = "?"
for line in open(sys.argv[1]):
    p = line.strip().split(",")
    if p[0] != "gemm" or int(p[1]) not in wanted:
        continue
    engine = p[3]
    if engine.startswith("openblas:"):
        core, engine = engine.split(":")[1], "openblas"
    runs[(int(p[1]), int(p[2]), p[-1])][engine] = float(p[5])
table = collections.defaultdict(lambda: collections.defaultdict(list))
for (n, t, rep), r in runs.items():
    if len(r) == 3:
        c = table[(n, t)]
        for e in r:
            c[e].append(r[e])
        c["ob"].append(r["initlab"] / r["openblas"]); c["ts"].append(r["initlab"] / r["torchsharp"])
        c["best"].append(r["initlab"] / max(r["openblas"], r["torchsharp"]))
med = statistics.median
print(f"| n | threads | InitLab GFLOP/s | % of peak | OpenBLAS ({core}) GFLOP/s | TorchSharp (oneMKL) GFLOP/s | InitLab/OpenBLAS | InitLab/TorchSharp | InitLab/best peer | rounds |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (n, t) in sorted(table):
    c = table[(n, t)]
    g = med(c["initlab"])
    print(f"| {n} | {t} | {g:.1f} | {100 * g / peak[t]:.0f}% | {med(c['openblas']):.1f} | {med(c['torchsharp']):.1f} | "
          f"{med(c['ob']):.2f}x | {med(c['ts']):.2f}x | **{med(c['best']):.2f}x** | {len(c['best'])} |")
PY
