#!/usr/bin/env bash
# Renders a report (`cascade report ... --out REPORT.html`) to a PNG with headless Chromium, for
# docs and reviews: the top of the page at a given window size, optionally with only some of its
# sections (the others and the contents are hidden in a temporary copy; the report is untouched).
#
#   bash tools/report-screenshot.sh s8.html docs/report-s8.png --only summary,losses --height 2400
#
# Options: --only ID[,ID...] (section ids: summary scenario parameters defaults losses markets
# network firms sources), --width PX (default 1000), --height PX (default 1600).
# Needs Debian's chromium. Exit 2 on bad usage or a missing file.
set -euo pipefail

usage() { echo "usage: bash tools/report-screenshot.sh REPORT.html OUT.png [--only ID,...] [--width PX] [--height PX]" >&2; exit 2; }
[ $# -ge 2 ] || usage
report=$1 out=$2
shift 2
only="" width=1000 height=1600
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=${2:?}; shift 2 ;;
    --width) width=${2:?}; shift 2 ;;
    --height) height=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$width" =~ ^[0-9]+$ && "$height" =~ ^[0-9]+$ ]] || usage
[ -f "$report" ] || { echo "report-screenshot: no such file: $report" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser) ||
  { echo "report-screenshot: needs Chromium (Debian: apt-get install chromium)" >&2; exit 2; }

work=$(mktemp -d /tmp/cascade-screenshot.XXXXXX)
trap 'rm -rf "$work"' EXIT
style=""
if [ -n "$only" ]; then
  style="nav.toc, section.major { display: none; }"
  for id in ${only//,/ }; do style+=" section.major#$id { display: block; }"; done
fi
sed "s|</head>|<style>$style</style></head>|" "$report" >"$work/page.html"
timeout -k 5 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" --hide-scrollbars \
  --window-size="$width,$height" --screenshot="$work/shot.png" "file://$work/page.html" 2>/dev/null
mv "$work/shot.png" "$out"
echo "Screenshot: $out (${width}x${height})"
