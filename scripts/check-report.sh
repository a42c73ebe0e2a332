#!/usr/bin/env bash
# Renders a practicals report in headless Chromium (Debian's chromium, installed if missing) at each window width
# (default 1280 and 800 px), saves a screenshot per width beside it, and checks that every figure decoded and that no
# element reaches past the window's right edge (no horizontal scroll bar). The page writes what it measured into
# attributes of <body> (data-images="decoded/total", data-overflow="count tags", data-width="scroll/client"), read
# back with --dump-dom.
# Usage: scripts/check-report.sh [initlab-report/report.html] [screenshot-prefix]   (WIDTHS="1280 800" to choose widths)
set -euo pipefail
report=${1:-initlab-report/report.html}
prefix=${2:-$(dirname "$report")/report-screenshot}
widths=${WIDTHS:-1280 800}
[ -f "$report" ] || { echo "no report at $report (run: dotnet run --project src/InitLab.Cli -c Release -- practicals)"; exit 2; }
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
url="file://$(realpath "$report")"
run_chromium() {
  local profile
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" "$@" 2>/dev/null
  rm -rf "$profile"
}
attribute() { grep -o "data-$1=\"[^\"]*\"" | head -n 1 | cut -d'"' -f2; }
status=0
for width in $widths; do
  shot="$(realpath -m "$prefix-$width.png")"
  run_chromium --window-size="$width,1800" --screenshot="$shot" "$url" >/dev/null
  dom=$(run_chromium --window-size="$width,1800" --virtual-time-budget=15000 --dump-dom "$url")
  images=$(attribute images <<<"$dom")
  overflow=$(attribute overflow <<<"$dom")
  pagewidth=$(attribute width <<<"$dom")
  echo "width $width: screenshot $shot"
  echo "width $width: figures decoded ${images:-none}; elements past the right edge: ${overflow:-unknown}; scroll/client width ${pagewidth:-unknown}"
  decoded=${images%/*}
  total=${images#*/}
  if [ -z "$images" ] || [ "$total" -eq 0 ] || [ "$decoded" -ne "$total" ]; then
    echo "FAIL: not every figure rendered at width $width"
    status=1
  fi
  if [ "${overflow%% *}" != "0" ] || [ "${pagewidth%/*}" != "${pagewidth#*/}" ]; then
    echo "FAIL: the page is wider than the window at width $width"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "OK: every figure rendered and nothing overflows at widths $widths"
exit "$status"
