#!/usr/bin/env bash
# Runs every file-based example (issue 14 §4): `dotnet run examples/NN-name.cs` each, in order. An example exits
# non-zero when the verdict it demonstrates does not hold. Prints one line per example and ends with
# "examples passed: N of N" (exit 0) or names the failures (exit 1).
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
passed=0 total=0 failed=()
for example in examples/[0-9][0-9]-*.cs; do
  total=$((total + 1))
  log=$(mktemp)
  start=$SECONDS
  if dotnet run "$example" > "$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok    $example ($((SECONDS - start)) s): $(tail -n 1 "$log")"
  else
    failed+=("$example")
    echo "FAIL  $example ($((SECONDS - start)) s):"
    tail -n 25 "$log" | sed 's/^/      /'
  fi
  rm -f "$log"
done
echo "examples passed: $passed of $total"
[ "${#failed[@]}" -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
