#!/usr/bin/env bash
# The test command: builds Release, runs every test project, then runs the kernel, layer, activation, optimizer and QR tests again at each
# lower instruction-set level (AVX2 only, SSE only, no hardware intrinsics), and ends with one plain line
# "N passed, N failed, N skipped" summed from the real results. Exits non-zero on any failure or build error.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

run() {
  echo "==> dotnet test $* ${ISA_LABEL:-}"
  dotnet test "$@" 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then status=$rc; fi
}

dotnet build InitLab.slnx -c Release 2>&1 | tail -n 3
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  dotnet build InitLab.slnx -c Release
  echo "build failed"
  exit 1
fi

run InitLab.slnx -c Release --no-build
kernel_filter="FullyQualifiedName~InitLab.Tests.Kernels|FullyQualifiedName~InitLab.Tests.Layers|FullyQualifiedName~InitLab.Tests.Activations|FullyQualifiedName~InitLab.Tests.Optimizers|FullyQualifiedName~HouseholderQr"
for isa in DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0 DOTNET_EnableHWIntrinsic=0; do
  # -e reaches the test host; IsaLevelTests fails if the level did not take effect.
  ISA_LABEL="($isa)" run tests/InitLab.Tests -c Release --no-build --filter "$kernel_filter" -e "$isa"
done

awk '
  /^(Passed|Failed)! +- Failed:/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } n++ }
  END { if (n) printf "%d passed, %d failed, %d skipped\n", p, f, s; else print "0 passed, 1 failed, 0 skipped" }' "$log"
if grep -q "^Failed!" "$log"; then status=1; fi
exit "$status"
