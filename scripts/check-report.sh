#!/usr/bin/env bash
# Renders a practicals report in headless Chromium (Debian's chromium, installed if missing), saves a screenshot
# beside it, and checks that every figure on the page decoded (the page records "decoded/total" on <body>).
# Usage: scripts/check-report.sh [initlab-report/report.html] [screenshot.png]
set -euo pipefail
report=${1:-initlab-report/report.html}
shot=${2:-$(dirname "$report")/report-screenshot.png}
[ -f "$report" ] || { echo "no report at $report (run: dotnet run --project src/InitLab.Cli -c Release -- practicals)"; exit 2; }
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
url="file://$(realpath "$report")"
run_chromium() {
  local profile
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" "$@" 2>/dev/null
  rm -rf "$profile"
}
run_chromium --window-size=1100,1600 --screenshot="$(realpath -m "$shot")" "$url" >/dev/null
counts=$(run_chromium --virtual-time-budget=15000 --dump-dom "$url" | grep -o 'data-images="[0-9]*/[0-9]*"' | head -n 1 | cut -d'"' -f2)
decoded=${counts%/*}
total=${counts#*/}
echo "screenshot: $shot"
echo "figures decoded: ${counts:-none}"
if [ -z "$counts" ] || [ "$total" -eq 0 ] || [ "$decoded" -ne "$total" ]; then
  echo "FAIL: not every figure rendered"
  exit 1
fi
echo "OK: every figure rendered"
