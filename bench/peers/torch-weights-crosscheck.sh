#!/usr/bin/env bash
# Weights between InitLab and PyTorch, both ways, on iris: train in InitLab, `initlab export --layout pytorch`, load the
# .npz into torch.nn.Linear layers with load_state_dict(strict=True) and compare log-probabilities with `initlab
# predict`; then draw new weights in torch, `initlab import --layout pytorch` them and compare again.
# Usage: bench/peers/torch-weights-crosscheck.sh [activation=tanh]   (needs Debian's python3-torch, installed if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
act=${1:-tanh}
# shellcheck source=bench/peers/common.sh
source bench/peers/common.sh
prepare_peer bench/peers/torch_weights_crosscheck.py torch python3-torch python3-numpy
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$out"' EXIT
$initlab train --data iris --layers 4,16,16,3 --activation "$act" --init he_normal --epochs 30 --seed 3 --save "$dir/m.model" >/dev/null
$initlab export --model "$dir/m.model" --npz "$dir/w.npz" --layout pytorch
$initlab predict --model "$dir/m.model" --data data/iris.csv --proba --out "$dir/p.csv" >/dev/null
/usr/bin/python3 bench/peers/torch_weights_crosscheck.py "$dir/m.model" "$dir/w.npz" "$dir/p.csv" data/iris.csv "$dir/torch.npz"
$initlab import --model "$dir/m.model" --npz "$dir/torch.npz" --layout pytorch --out "$dir/t.model"
$initlab predict --model "$dir/t.model" --data data/iris.csv --proba --out "$dir/pt.csv" >/dev/null
/usr/bin/python3 - "$dir/pt.csv" "$dir/torch.npz.logp.npy" <<'PY'
import csv, sys
import numpy as np
rows = list(csv.reader(open(sys.argv[1])))
cols = [i for i, h in enumerate(rows[0]) if h.startswith("p_")]
ours = np.log(np.array([[float(r[i]) for i in cols] for r in rows[1:]]))
torch_log_p = np.load(sys.argv[2])
print(f"import: {len(ours)} rows; max |log p(torch) - log p(initlab)| = {np.abs(torch_log_p - ours).max():.3e}; "
      f"argmax agreement {np.mean(torch_log_p.argmax(1) == ours.argmax(1)) * 100:.1f}%")
PY
