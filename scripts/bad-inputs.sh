#!/usr/bin/env bash
# Runs the built CLI against bad inputs, faults and misuse (issue 9's "Done when" table) and tabulates, per category:
# cases tried, handled (one-line "error: ..." and a non-zero exit, or the expected success), stack trace, silent wrong
# (exit 0 where a refusal was expected), file damage (any file that existed before changed, vanished, or a new file or
# temp file appeared where nothing should be written). Usage: scripts/bad-inputs.sh [--details]; needs a Release build
# (dotnet build InitLab.slnx -c Release). The 1 MiB full-disk cases need root (mount -t tmpfs); skipped otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dll="$root/src/InitLab.Cli/bin/Release/net10.0/InitLab.Cli.dll"
[ -f "$dll" ] || { echo "build first: dotnet build InitLab.slnx -c Release" >&2; exit 1; }
corpus="$root/tests/InitLab.Tests/Fuzzing/Corpus"
details=${1:-}
work=$(mktemp -d /tmp/initlab-bad-inputs.XXXXXX)
meta=$(mktemp -d /tmp/initlab-bad-inputs-meta.XXXXXX)
mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$work" "$meta"; }
trap cleanup EXIT
results="$meta/results.tsv"
: > "$results"

# Content hash of every file, plus every path (so new, vanished and temp files count), of the folder under test.
snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum; find . | sort) > "$2"; }

# case CATEGORY EXPECT(fail|ok) ALLOWED_CHANGE(-|path) DESCRIPTION -- ARGS...
case_() {
  local category=$1 expect=$2 allowed=$3 description=$4; shift 5
  local dir=${CASE_DIR:-$work}
  snapshot "$dir" "$meta/before"
  local err code
  (cd "$work" && timeout 300 dotnet "$dll" "$@" > "$meta/out" 2> "$meta/err" < /dev/null); code=$?
  err=$(tr -d '\0' < "$meta/err")
  snapshot "$dir" "$meta/after"
  local damage=0 trace=0 silent=0 handled=0
  if [ "$allowed" = "-" ]; then
    cmp -s "$meta/before" "$meta/after" || damage=1
  else
    # Only the named output may change; every other file must be byte-identical, and no temp file may remain.
    grep -v -- "/$allowed\$" "$meta/before" > "$meta/b2"; grep -v -- "/$allowed\$" "$meta/after" > "$meta/a2"
    cmp -s "$meta/b2" "$meta/a2" || damage=1
  fi
  if find "$dir" -name '*.tmp' -newer "$meta/before" | grep -q .; then damage=1; fi
  if grep -qE '^\s+at |Unhandled exception' <<< "$err"; then trace=1; fi
  if [ "$expect" = fail ]; then
    [ "$code" -eq 0 ] && silent=1
    # One "error: ..." line; besides it only the pointer to the help (parse errors) and per-epoch progress lines.
    if [ "$code" -ne 0 ] && [ "$trace" -eq 0 ] && [ "$(grep -c '^error: ' <<< "$err")" -eq 1 ] \
      && [ "$(grep -vcE '^(error: |see `initlab .*--help`$|epoch [0-9]+/[0-9]+ - )' <<< "$err")" -eq 0 ]; then handled=1; fi
  else
    [ "$code" -eq 0 ] && [ "$trace" -eq 0 ] && handled=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$category" "$handled" "$trace" "$silent" "$damage" "$code" "$description" "$( (grep -m1 '^error: ' <<< "$err" || head -1 <<< "$err") | head -c 220)" >> "$results"
}

# ---------------------------------------------------------------- CSV files (train --data FILE)
cp "$root/data/iris.csv" "$work/iris.csv"
for f in "$corpus"/*.csv; do
  name=$(basename "$f")
  case $name in ok-*) continue ;; esac
  cp "$f" "$work/$name"
  case_ csv fail - "train --data $name" -- train --data "$name" --epochs 1
done
printf 'x,id\n' > "$work/ids.csv"; for i in $(seq 1 47000); do echo "1,id$i"; done >> "$work/ids.csv"
case_ csv fail - "label column of 47,000 distinct ids" -- train --data ids.csv --epochs 1
case_ csv fail - "--label names no column" -- train --data iris.csv --label nope --epochs 1
case_ csv fail - "--layers first width differs from the CSV's features" -- train --data iris.csv --layers 5,8,3 --epochs 1
case_ csv fail - "CSV path is a folder named like a file" -- train --data "$work" --epochs 1

# ---------------------------------------------------------------- MNIST / IDX folders (train --data FOLDER)
for f in "$corpus"/*.idx3 "$corpus"/*.idx3.gz; do
  name=$(basename "$f")
  case $name in ok-*) continue ;; esac
  d="$work/mnist-$name"; mkdir -p "$d"
  python3 -c "
import struct,sys
def idx(dims, data): return b'\x00\x00\x08' + bytes([len(dims)]) + b''.join(struct.pack('>i', d) for d in dims) + bytes(data)
d=sys.argv[1]
open(d+'/train-labels-idx1-ubyte','wb').write(idx([2],[1,2]))
open(d+'/t10k-images-idx3-ubyte','wb').write(idx([1,2,2],[9,9,9,9]))
open(d+'/t10k-labels-idx1-ubyte','wb').write(idx([1],[0]))" "$d"
  target="$d/train-images-idx3-ubyte"; case $name in *.gz) target="$target.gz" ;; esac
  cp "$f" "$target"
  case_ mnist fail - "train-images = $name" -- train --data "mnist-$name" --epochs 1
done
d="$work/mnist-sizes"; mkdir -p "$d"
python3 -c "
import struct,sys
def idx(dims, data): return b'\x00\x00\x08' + bytes([len(dims)]) + b''.join(struct.pack('>i', d) for d in dims) + bytes(data)
d=sys.argv[1]
open(d+'/train-images-idx3-ubyte','wb').write(idx([2,2,2],[0]*8))
open(d+'/train-labels-idx1-ubyte','wb').write(idx([2],[1,2]))
open(d+'/t10k-images-idx3-ubyte','wb').write(idx([1,3,3],[9]*9))
open(d+'/t10k-labels-idx1-ubyte','wb').write(idx([1],[0]))" "$d"
case_ mnist fail - "test images 3x3, training images 2x2" -- train --data mnist-sizes --epochs 1
d="$work/mnist-counts"; mkdir -p "$d"; cp "$work/mnist-sizes/"* "$d/"
python3 -c "
import struct,sys
open(sys.argv[1]+'/train-labels-idx1-ubyte','wb').write(b'\x00\x00\x08\x01'+struct.pack('>i',3)+bytes([1,2,3]))" "$d"
case_ mnist fail - "2 images but 3 labels" -- train --data mnist-counts --epochs 1
d="$work/mnist-missing"; mkdir -p "$d"; cp "$work/mnist-sizes/train-images-idx3-ubyte" "$d/"
case_ mnist fail - "folder without label files" -- train --data mnist-missing --epochs 1
d="$work/mnist-bomb"; mkdir -p "$d"; cp "$work/mnist-sizes/"t10k* "$work/mnist-sizes/train-labels-idx1-ubyte" "$d/"
python3 -c "
import gzip,struct,sys
with gzip.open(sys.argv[1]+'/train-images-idx3-ubyte.gz','wb',compresslevel=9) as g:
    g.write(b'\x00\x00\x08\x03'+struct.pack('>iii',2,2,2))
    z=bytes(1<<20)
    for i in range(1024): g.write(z)" "$d"
case_ mnist fail - "gzip bomb: header 8 bytes, 1 GiB of zeros (~1 MB gz)" -- train --data mnist-bomb --epochs 1

# ---------------------------------------------------------------- output paths
cp "$root/data/iris.csv" "$work/data.csv"
case_ outputs fail - "--json is the data file" -- train --data data.csv --epochs 1 --json data.csv
case_ outputs fail - "--save is the data file" -- train --data data.csv --epochs 1 --save data.csv
case_ outputs fail - "--export-npy is the data file" -- train --data data.csv --epochs 1 --export-npy data.csv
case_ outputs fail - "--json ./data.csv (other spelling)" -- train --data data.csv --epochs 1 --json ./sub/../data.csv
ln -s data.csv "$work/link.csv"
case_ outputs fail - "--json is a symlink to the data" -- train --data data.csv --epochs 1 --json link.csv
case_ outputs fail - "--save a --json a" -- train --epochs 1 --save a --json a
case_ outputs fail - "--save into a missing folder" -- train --epochs 1 --save nowhere/m.model
mkdir -p "$work/afolder"
case_ outputs fail - "--save names a folder" -- train --epochs 1 --save afolder
case_ outputs fail - "diagnose --json is the data file" -- diagnose --layers 4,8,3 --data data.csv --json data.csv
echo precious > "$work/w.npy"
case_ outputs fail - "init --out exists, no --force" -- init --name zeros --shape 2,2 --out w.npy
case_ outputs fail - "init --out names a folder" -- init --name zeros --shape 2,2 --out afolder
echo "not a folder" > "$work/report-file"
case_ outputs fail - "practicals --out is a file" -- practicals --quick --case zero-relu --out report-file
mkdir -p "$work/mine"; echo notes > "$work/mine/notes.txt"; echo old > "$work/mine/report.html"
case_ outputs fail - "practicals --out non-empty, no --force" -- practicals --quick --case zero-relu --out mine
case_ outputs fail - "practicals --force on a folder with other files" -- practicals --quick --case zero-relu --out mine --force
echo $$ > "$work/.locked.initlab-lock"
case_ outputs fail - "practicals into a folder locked by a live run" -- practicals --quick --case zero-relu --out locked
rm -f "$work/.locked.initlab-lock"
echo ok > "$work/m.model.tmp"
case_ outputs ok "m.model" "stale m.model.tmp from an earlier failure, then --save m.model" -- train --epochs 1 --save m.model

# ---------------------------------------------------------------- sizes from flags
case_ sizes fail - "init --shape 65536,65536,65536,65536 (overflows)" -- init --name he_normal --shape 65536,65536,65536,65536 --out big.npy
case_ sizes fail - "init --shape 100000,100000 (4e10 B)" -- init --name he_normal --shape 100000,100000 --out big.npy
case_ sizes fail - "init --shape -1,5" -- init --name he_normal --shape -1,5 --out big.npy
case_ sizes fail - "init --shape 2,x" -- init --name he_normal --shape 2,x --out big.npy
case_ sizes fail - "train --layers 2,65536,65537,1" -- train --layers 2,65536,65537,1 --epochs 1
case_ sizes fail - "train --layers 2,1000000000,1" -- train --layers 2,1000000000,1 --epochs 1
case_ sizes fail - "train --layers 2,0,1" -- train --layers 2,0,1 --epochs 1
case_ sizes fail - "train --layers 2,99999999999,1 (not an int)" -- train --layers 2,99999999999,1 --epochs 1
case_ sizes fail - "diagnose --layers 4,1000000,1000000,3" -- diagnose --layers 4,1000000,1000000,3
case_ sizes fail - "train --batch-size 0" -- train --batch-size 0 --epochs 1

# ---------------------------------------------------------------- faults: a real 1 MiB disk (root only)
mnt="$work/disk"; mkdir -p "$mnt"
if mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null; then
  CASE_DIR="$mnt" case_ faults ok "w.npy" "init into 1 MiB tmpfs (small, fits)" -- init --name zeros --shape 10,10 --out "$mnt/w.npy"
  CASE_DIR="$mnt" case_ faults fail - "init --force 2 MiB over it: disk full" -- init --name zeros --shape 512,1024 --out "$mnt/w.npy" --force
  CASE_DIR="$mnt" case_ faults ok "r.json" "train --json into the small disk" -- train --epochs 1 --json "$mnt/r.json"
  dd if=/dev/zero of="$mnt/filler" bs=1k count=2048 2>/dev/null  # stops at ENOSPC: the disk is now full
  CASE_DIR="$mnt" case_ faults fail - "train --json with the disk full (r.json existed)" -- train --epochs 1 --json "$mnt/r.json"
  CASE_DIR="$mnt" case_ faults fail - "train --save with the disk full" -- train --epochs 1 --layers 2,64,64,1 --save "$mnt/m.model"
  umount "$mnt"; mnt=""
else
  echo "(faults: skipped, cannot mount a tmpfs without root)" >&2
fi

# ---------------------------------------------------------------- table
awk -F'\t' '
  { n[$1]++; h[$1]+=$2; t[$1]+=$3; s[$1]+=$4; d[$1]+=$5; order[$1]=order[$1] ? order[$1] : ++k; N++; H+=$2; T+=$3; S+=$4; D+=$5 }
  END {
    print "| category | cases tried | clear error (or expected success) | stack trace | silent wrong | file damage |"
    print "|---|---|---|---|---|---|"
    for (c in order) rows[order[c]] = c
    for (i = 1; i <= k; i++) { c = rows[i]; printf "| %s | %d | %d | %d | %d | %d |\n", c, n[c], h[c], t[c], s[c], d[c] }
    printf "| **total** | **%d** | **%d** | **%d** | **%d** | **%d** |\n", N, H, T, S, D
  }' "$results"
if [ "$details" = "--details" ]; then
  echo
  echo "| category | handled | trace | silent | damage | exit | case | first line of stderr |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{ gsub(/\|/, "\\|", $8); printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$results"
fi
