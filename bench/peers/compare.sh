#!/usr/bin/env bash
# InitLab vs PyTorch (CPU) on the W1-W4 workloads, run alternately on 1 and 2 threads; prints the median of the
# paired ratios PyTorch ms / InitLab ms per workload (> 1 means InitLab is faster).
# Usage: bench/peers/compare.sh [repeats=5] [workloads=W1,W2,W3,W4]
# Needs Debian's python3-torch (installed if missing) and ../shared/peers/pytorch_mlp_bench.py beside the checkout,
# or PEER=/path/to/pytorch_mlp_bench.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-5}
workloads=${2:-W1,W2,W3,W4}
peer=${PEER:-../shared/peers/pytorch_mlp_bench.py}
# shellcheck source=bench/peers/common.sh
source bench/peers/common.sh
prepare_peer "$peer" torch python3-torch python3-numpy libopenblas0
for threads in 1 2; do
  for rep in $(seq 1 "$repeats"); do
    # Alternate the engines so that machine noise hits both alike; each line is one repeat.
    $initlab bench --csv --gemm none --repeats 1 --threads "$threads" --workload "$workloads" | sed "s/^initlab,\([^,]*\),$threads,1,/initlab,\1,$threads,$rep,/" >> "$out"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
      /usr/bin/python3 "$peer" --threads "$threads" --repeats 1 --workloads "$workloads" | sed "s/^pytorch,\([^,]*\),$threads,1,/pytorch,\1,$threads,$rep,/" >> "$out"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    parts = line.strip().split(",")
    if len(parts) < 7 or parts[0] not in ("initlab", "pytorch"):
        continue
    engine, workload, threads, rep, ms = parts[0], parts[1], int(parts[2]), int(parts[3]), float(parts[4])
    rows[(workload, threads, rep)][engine] = ms
table = collections.defaultdict(lambda: {"initlab": [], "pytorch": [], "ratio": []})
for (workload, threads, rep), pair in rows.items():
    if "initlab" in pair and "pytorch" in pair:
        t = table[(workload, threads)]
        t["initlab"].append(pair["initlab"]); t["pytorch"].append(pair["pytorch"]); t["ratio"].append(pair["pytorch"] / pair["initlab"])
print("| workload | threads | InitLab ms/step (median) | PyTorch ms/step (median) | speed-up PyTorch/InitLab (median of paired ratios) | pairs |")
print("|---|---|---|---|---|---|")
for (workload, threads) in sorted(table):
    t = table[(workload, threads)]
    print(f"| {workload} | {threads} | {statistics.median(t['initlab']):.4f} | {statistics.median(t['pytorch']):.4f} | {statistics.median(t['ratio']):.2f}x | {len(t['ratio'])} |")
PY
