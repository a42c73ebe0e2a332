#!/usr/bin/env bash
# InitLab's SGEMM vs numpy/OpenBLAS (Debian's python3-numpy), alternating, on 1 and 2 threads; prints GFLOP/s,
# % of the machine's peak (223 GFLOP/s per core here) and the median of paired ratios InitLab/OpenBLAS.
# Usage: bench/peers/gemm-compare.sh [repeats=3] [sizes="256 512 1024 2048"]
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-3}
sizes=${2:-256 512 1024 2048}
peer=${PEER:-../shared/peers/gemm_openblas.py}
peak=${PEAK_PER_CORE:-223}
# shellcheck source=bench/peers/common.sh
source bench/peers/common.sh
prepare_peer "$peer" numpy python3-numpy libopenblas0
for threads in 1 2; do
  for rep in $(seq 1 "$repeats"); do
    $initlab bench --csv --workload none --repeats 3 --threads "$threads" --gemm "${sizes// /,}" | sed "s/\$/,$rep/" >> "$out"
    # OPENBLAS_CORETYPE=Haswell (set on this machine) halves OpenBLAS: unset it for the peer only.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 "$peer" $sizes | sed "s/\$/,$rep/" >> "$out"
  done
done
/usr/bin/python3 - "$out" "$peak" <<'PY'
import sys, statistics, collections
peak = float(sys.argv[2])
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p = line.strip().split(",")
    if p[0] != "gemm":
        continue
    n, threads, engine, gflops, rep = int(p[1]), int(p[2]), p[3], float(p[5]), p[-1]
    runs[(n, threads, rep)]["initlab" if engine == "initlab" else "openblas:" + engine] = gflops
table = collections.defaultdict(lambda: collections.defaultdict(list))
for (n, threads, rep), pair in runs.items():
    blas = [k for k in pair if k.startswith("openblas")]
    if "initlab" in pair and blas:
        t = table[(n, threads)]
        t["initlab"].append(pair["initlab"]); t["blas"].append(pair[blas[0]]); t["ratio"].append(pair["initlab"] / pair[blas[0]]); t["core"] = blas[0]
print("| n | threads | InitLab GFLOP/s | % of peak | OpenBLAS GFLOP/s (kernel) | InitLab/OpenBLAS (median of pairs) |")
print("|---|---|---|---|---|---|")
for (n, threads) in sorted(table):
    t = table[(n, threads)]
    g = statistics.median(t["initlab"])
    print(f"| {n} | {threads} | {g:.1f} | {100 * g / (peak * threads):.0f}% | {statistics.median(t['blas']):.1f} ({t['core'].split(':')[1]}) | {statistics.median(t['ratio']):.2f}x |")
PY
