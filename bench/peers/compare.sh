#!/usr/bin/env bash
# InitLab vs PyTorch (Debian's python3-torch, OpenBLAS at its best core) vs TorchSharp (libtorch 2.10 + oneMKL) on the
# W1-W5, R1 and C1 workloads, on 1 and 2 threads. Each round runs the engines one after another (the order rotates per round), so
# that machine noise hits all alike; the table gives medians and the median of the paired ratios peer ms / InitLab ms
# (> 1: InitLab is faster), against each peer and against the faster of the two in that round.
# W1-W4 come from ../shared/peers/pytorch_mlp_bench.py and the TorchSharp peer; W5 (issue 21's residual network) from
# bench/peers/pytorch_resnet_bench.py, PyTorch only (no TorchSharp peer: its columns read "-", and "best peer" is PyTorch).
# R1 and C1 (issue 22's LSTM and LeNet-like CNN) from bench/peers/pytorch_cnn_lstm_bench.py and bench/peers/torchsharp,
# which also serves W1-W4 (a verbatim copy of the shared peer with C1/R1 added).
# Usage: bench/peers/compare.sh [rounds=3] [workloads=W1,W2,W3,W4,W5,R1,C1]     e.g. bench/peers/compare.sh 5 R1,C1
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
workloads=${2:-W1,W2,W3,W4,W5,R1,C1}
# The shared MLP peer knows W1-W4; W5 and R1/C1 have their own PyTorch scripts here.
mlp_workloads=$(tr ',' '\n' <<< "$workloads" | grep -x 'W[1-4]' | paste -sd, || true)
resnet_workloads=$(tr ',' '\n' <<< "$workloads" | grep -x 'W5' | paste -sd, || true)
issue22_workloads=$(tr ',' '\n' <<< "$workloads" | grep -x 'R1\|C1' | paste -sd, || true)
# The TorchSharp peer runs W1-W4, R1 and C1.
ts_workloads=$(tr ',' '\n' <<< "$workloads" | grep -x 'W[1-4]\|R1\|C1' | paste -sd, || true)
# Without one of them the TorchSharp peer is not needed: do not build it (a 1.2 GB restore the first time).
[ -n "$ts_workloads" ] || export SKIP_TORCHSHARP=1
# shellcheck source=bench/peers/common.sh
source bench/peers/common.sh
prepare_peers
measure_peak
run_engine() { # engine threads round
  local threads=$2 rep=$3
  case $1 in
    initlab) $initlab bench --csv --gemm none --repeats 1 --threads "$threads" --workload "$workloads" ;;
    # Passive OpenMP waiting: with the default policy Debian's torch runs 2-3x slower on 2 threads of a shared machine.
    pytorch)
      if [ -n "$mlp_workloads" ]; then
        "${blas_env[@]}" OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
          /usr/bin/python3 "$peers/pytorch_mlp_bench.py" --threads "$threads" --repeats 1 --workloads "$mlp_workloads"
      fi
      if [ -n "$resnet_workloads" ]; then
        "${blas_env[@]}" OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
          /usr/bin/python3 bench/peers/pytorch_resnet_bench.py --threads "$threads" --repeats 1 --workloads "$resnet_workloads"
      fi
      if [ -n "$issue22_workloads" ]; then
        "${blas_env[@]}" OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
          /usr/bin/python3 bench/peers/pytorch_cnn_lstm_bench.py --threads "$threads" --repeats 1 --workloads "$issue22_workloads"
      fi ;;
    torchsharp)
      if [ -n "$ts_workloads" ]; then
        OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads" $ts --threads "$threads" --repeats 1 --workloads "$ts_workloads"
      fi ;;
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
    # A round counts when InitLab and every peer that ran the workload are in it (W5 has no TorchSharp peer).
    peers = [e for e in ("pytorch", "torchsharp") if e in r]
    if "initlab" in r and "pytorch" in r and (w == "W5" or "torchsharp" in r):
        c = table[(w, t)]
        for e in r:
            c[e].append(r[e])
        for e, key in (("pytorch", "pt"), ("torchsharp", "ts")):
            if e in r:
                c[key].append(r[e] / r["initlab"])
        c["best"].append(min(r[e] for e in peers) / r["initlab"])
med = statistics.median
ms = lambda c, e: f"{med(c[e]):.4f}" if c[e] else "-"
ratio = lambda c, k: f"{med(c[k]):.2f}x" if c[k] else "-"
print("| workload | threads | InitLab ms/step | PyTorch ms/step | TorchSharp ms/step | PyTorch/InitLab | TorchSharp/InitLab | best peer/InitLab | rounds |")
print("|---|---|---|---|---|---|---|---|---|")
for (w, t) in sorted(table):
    c = table[(w, t)]
    print(f"| {w} | {t} | {ms(c, 'initlab')} | {ms(c, 'pytorch')} | {ms(c, 'torchsharp')} | "
          f"{ratio(c, 'pt')} | {ratio(c, 'ts')} | **{ratio(c, 'best')}** | {len(c['best'])} |")
PY
