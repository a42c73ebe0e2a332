# Shared set-up of the peer comparisons (sourced, not run). Installs Debian's python3-torch/numpy if missing, builds the
# CLI and the TorchSharp peer (into /tmp, never into the checkout), compiles the FMA peak microbenchmark, and sets:
#   $initlab      the CLI command
#   $ts           the TorchSharp peer command (dotnet .../TorchSharpPeer.dll); not built when SKIP_TORCHSHARP=1. Built from
#                 bench/peers/torchsharp, this repository's copy of ../shared/peers/torchsharp (W1-W4 and --gemm verbatim,
#                 plus issue 22's C1/R1), into $TS_BUILD (default /tmp/tsb-initlab, not the shared copy's /tmp/tsb), and
#                 rebuilt when a file of the copy is newer than the build
#   blas_env      an `env ...` prefix that gives OpenBLAS (numpy and Debian's torch) its best core on this CPU
#   $blas_note    which core that is, for the tables
#   $out          a temporary file, removed on exit
# The other peer files come from ../shared/peers beside the checkout (PEERS=/path/to/peers to change it).
# Usage: source bench/peers/common.sh; prepare_peers; measure_peak
peers=${PEERS:-../shared/peers}
ts_src=bench/peers/torchsharp

prepare_peers() {
  local needed=(pytorch_mlp_bench.py gemm_openblas.py fma_peak.c)
  for f in "${needed[@]}"; do
    [ -f "$peers/$f" ] || { echo "peer file not found: $peers/$f (set PEERS=...)"; exit 2; }
  done
  if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy libopenblas0 >/dev/null
  fi
  dotnet build src/InitLab.Cli -c Release -v quiet -nologo >/dev/null
  initlab="dotnet src/InitLab.Cli/bin/Release/net10.0/InitLab.Cli.dll"
  # TorchSharp (libtorch 2.10 + oneMKL): built into /tmp; Debian 12's libstdc++ needs the weakened symbol version.
  ts=""
  if [ "${SKIP_TORCHSHARP:-0}" != 1 ]; then
    local tsb=${TS_BUILD:-/tmp/tsb-initlab} tsdir
    tsdir=$tsb/bin/TorchSharpPeer/release_linux-x64
    if [ ! -f "$tsdir/TorchSharpPeer.dll" ] || [ -n "$(find "$ts_src" -newer "$tsdir/TorchSharpPeer.dll" -type f)" ]; then
      dotnet build -c Release --artifacts-path "$tsb" "$ts_src/TorchSharpPeer.csproj" -v quiet -nologo >/dev/null
    fi
    /usr/bin/python3 "$ts_src/weaken_glibcxx.py" "$tsdir/libLibTorchSharp.so" >/dev/null
    ts="dotnet $tsdir/TorchSharpPeer.dll"
  fi
  # OpenBLAS 0.3.21: AMD Zen 4/5 are detected as Cooperlake once the machine's OPENBLAS_CORETYPE=Haswell is unset;
  # Intel family 6 model 207 is not known to it (it would fall back to Prescott), so force SkylakeX on Intel AVX-512.
  local vendor
  vendor=$(awk -F': ' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
  if [ -n "${PEER_OPENBLAS_CORETYPE:-}" ]; then
    blas_env=(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$PEER_OPENBLAS_CORETYPE")
  elif [ "$vendor" = GenuineIntel ] && grep -qm1 avx512f /proc/cpuinfo; then
    blas_env=(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX)
  else
    blas_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  fi
  blas_note=$("${blas_env[@]}" OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peers/gemm_openblas.py" 64 | cut -d, -f4)
  out=$(mktemp)
  fma=$(mktemp)
  trap 'rm -f "$out" "$fma"' EXIT
  # fma_peak.c runs its AVX-512 loop unconditionally, which is an illegal instruction on a CPU without AVX-512 (Zen 3):
  # there, build a copy that skips that loop (its AVX-512 column then reads ~0; measure_peak takes the AVX2 column).
  local fma_src="$peers/fma_peak.c"
  if ! grep -qm1 avx512f /proc/cpuinfo; then
    fma_src=$(mktemp --suffix=.c)
    sed 's/double t=run(fma512,nt); if(t<t512)t512=t; t=run(fma256,nt);/double t=run(fma256,nt);/' "$peers/fma_peak.c" > "$fma_src"
    grep -q 'double t=run(fma256,nt);' "$fma_src" || { echo "fma_peak.c changed: cannot skip its AVX-512 loop"; exit 2; }
  fi
  gcc -O2 -mavx512f -mfma "$fma_src" -o "$fma" -lpthread
  [ "$fma_src" = "$peers/fma_peak.c" ] || rm -f "$fma_src"
}

# Prints the machine and sets $peak1 / $peak2: the measured fp32 FMA peak (GFLOP/s) on 1 and 2 threads (AVX-512 column
# when the CPU has it, else AVX2), unless PEAK_PER_CORE is given.
measure_peak() {
  local col=5 line1 line2
  grep -qm1 avx512f /proc/cpuinfo && col=4
  line1=skipped line2=skipped
  if [ -z "${PEAK_PER_CORE:-}" ]; then
    line1=$("$fma" 1)
    line2=$("$fma" 2)
  fi
  peak1=${PEAK_PER_CORE:-$(echo "$line1" | cut -d, -f$col)}
  if [ -n "${PEAK_PER_CORE:-}" ]; then
    peak2=$(awk -v p="$PEAK_PER_CORE" 'BEGIN { print 2 * p }')
  else
    peak2=$(echo "$line2" | cut -d, -f$col)
  fi
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime | sed 's/.*load/load/')"
  echo "# $($initlab bench --cpu | tr '\n' ' ')"
  echo "# fma_peak (fma,threads,clock_GHz,avx512_GFLOPs,avx2_GFLOPs): $line1 | $line2 -> peak $peak1 / $peak2 GFLOP/s"
  echo "# OpenBLAS core for the peers: $blas_note ($(printf '%s ' "${blas_env[@]}"))"
}
