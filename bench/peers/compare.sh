#!/usr/bin/env bash
# InitLab vs PyTorch (Debian's python3-torch, OpenBLAS at its best core) vs TorchSharp (libtorch 2.10 + oneMKL) on the
# W1-W4 workloads, on 1 and 2 threads. Each round runs the three engines one after another (the order rotates per
# round), so that machine noise hits all alike; the table gives medians and the median of the paired ratios
# peer ms / InitLab ms (> 1: InitLab is faster), against each peer and against the faster of the two in that round.
# Usage: bench/peers/compare.sh [rounds=3] [workloads=W1,W2,W3,W4]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
workloads=${2:-W1,W2,W3,W4}
# shellcheck source=bench/peers/common.sh
source bench/peers/common.sh
prepare_peers
measure_peak
run_engine() { # engine threads round
  local threads=$2 rep=$3
  case $1 in
    initlab) $initlab bench --csv --gemm none --repeats 1 --threads "$threads" --workload "$workloads" ;;
    # Passive OpenMP waiting: with the default policy Debian's torch runs 2-3x slower on 2 threads of a shared machine.
    pytorch) "${blas_env[@]}" OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
               /usr/bin/python3 "$peers/pytorch_mlp_bench.py" --threads "$threads" --repeats 1 --workloads "$workloads" ;;
    torchsharp) OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" $ts --threads "$threads" --repeats 1 --workloads "$workloads" ;;
  esac | awk -F, -v OFS=, -v rep="$rep" 'NF >= 7 { $4 = rep; print }' >> "$out"
}
engines=(initlab pytorch torchsharp)
for threads in 1 2; do
  for rep in $(seq 1 "$rounds"); do
    for i in 0 1 2; do
      run_engine "${engines[$(((i + rep - 1) % 3))]}" "$threads" "$rep"
    done
  done
done
/usr/bin/python3 - "$out" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p = line.strip().split(",")
    if len(p) >= 7 and p[0] in ("initlab", "pytorch", "torchsharp"):
        rows[(p[1], int(p[2]), int(p[3]))][p[0]] = float(p[4])
table = collections.defaultdict(lambda: collections.defaultdict(list))
for (w, t, rep), r in rows.items():
    if len(r) == 3:
        c = table[(w, t)]
        for e in r:
            c[e].append(r[e])
        c["pt"].append(r["pytorch"] / r["initlab"]); c["ts"].append(r["torchsharp"] / r["initlab"])
        c["best"].append(min(r["pytorch"], r["torchsharp"]) / r["initlab"])
med = statistics.median
print("| workload | threads | InitLab ms/step | PyTorch ms/step | TorchSharp ms/step | PyTorch/InitLab | TorchSharp/InitLab | best peer/InitLab | rounds |")
print("|---|---|---|---|---|---|---|---|---|")
for (w, t) in sorted(table):
    c = table[(w, t)]
    print(f"| {w} | {t} | {med(c['initlab']):.4f} | {med(c['pytorch']):.4f} | {med(c['torchsharp']):.4f} | "
          f"{med(c['pt']):.2f}x | {med(c['ts']):.2f}x | **{med(c['best']):.2f}x** | {len(c['best'])} |")
PY
