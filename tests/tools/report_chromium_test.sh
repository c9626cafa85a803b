#!/usr/bin/env bash
# The report as a person would check it, in headless Chromium from Debian: two runs of
# tests/tools/data/small.yaml (with the channel ablation, and with its shocks switched off as
# the baseline) are reported with --compare; the page must load with no console message, every
# chart must be present and draw data, the network pictures must show every firm (when
# Graphviz's dot is installed), and the page must print to a PDF of a sensible length.
#
#   bash tests/tools/report_chromium_test.sh build/tools/cascade      # ctest label: report
#
# Exit 0: all checks passed; 77: Chromium is not installed (ctest reports the test as skipped);
# anything else: a check failed (the message says which).
set -euo pipefail

cascade=$(realpath "$1")
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
small="$source_dir/tests/tools/data/small.yaml"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIPPED: Chromium is not installed (Debian: apt-get install chromium); the report was not checked in a browser"
  exit 77
fi

work=$(mktemp -d /tmp/cascade-report-chromium.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The flags of a quiet, offline, throw-away browser; console messages go to stderr.
chromium_run() {
  timeout -k 5 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 "$@"
}

cd "$work"
"$cascade" --log-level warn run "$small" --out stressed --ablate >/dev/null
"$cascade" --log-level warn run "$small" --out calm \
  --set shocks.lab-demand-slump.value=1 --set shocks.neocloud-outage.value=0 >/dev/null
"$cascade" --log-level warn report stressed --compare calm --out report.html >/dev/null

# 1. Console messages. A control page that logs an error proves this Chromium reports them
#    (otherwise the check below would be blind); the report itself must log nothing.
echo '<!DOCTYPE html><title>control</title><script>console.error("control-error")</script>' >control.html
chromium_run --dump-dom "file://$work/control.html" >/dev/null 2>control.log || true
grep -q 'CONSOLE.*control-error' control.log ||
  fail "this Chromium does not report console messages with --enable-logging=stderr; cannot check the page"
chromium_run --dump-dom "file://$work/report.html" >dom.html 2>load.log || fail "Chromium could not load the report"
if grep -q 'CONSOLE' load.log; then
  grep 'CONSOLE' load.log >&2
  fail "the report logged console messages"
fi
grep -q 'id="end-of-report"' dom.html || fail "the page did not load to its end"
echo "ok: the page loads to its end with no console message"

# 2. Every chart is there and draws data: a line with points, or a bar of non-zero size.
expected_charts=(system-equity system-cash credit-losses credit-loss-by-lender-type credit-loss-by-exposure-kind
                 loss-by-channel ablation-equity_lost_usd_bn ablation-credit_loss_usd_bn gpu-price market-stress
                 sentiment ai-capacity ai-utilisation compute-price ai-revenue required-ai-revenue
                 defaults-by-sector-1 defaults-by-sector-2)
# One line per chart figure: its id, then its content, from the DOM as Chromium built it.
tr '\n' ' ' <dom.html | sed 's/<figure /\n<figure /g; s/<\/figure>/<\/figure>\n/g' | grep '^<figure class="chart"' >charts.txt || true
[ "$(wc -l <charts.txt)" -eq "${#expected_charts[@]}" ] ||
  fail "expected ${#expected_charts[@]} charts, the page has $(wc -l <charts.txt): $(grep -o 'id="chart-[^"]*"' charts.txt | tr '\n' ' ')"
for id in "${expected_charts[@]}"; do
  figure=$(grep "id=\"chart-$id\"" charts.txt) || fail "chart $id is missing"
  grep -q '<svg' <<<"$figure" || fail "chart $id has no SVG"
  lines=$(grep -o 'class="series-line" d="M[^"]*L[^"]*"' <<<"$figure" | wc -l || true)
  bars=$(grep -o '<rect class="bar" x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*"' <<<"$figure" |
         grep -v 'width="0.00"' | grep -vc 'height="0.00"' || true)
  [ "$lines" -gt 0 ] || [ "$bars" -gt 0 ] || fail "chart $id draws no data"
  grep -q 'class="legend-item"' <<<"$figure" || fail "chart $id has no legend"
  grep -q 'class="axis-title"' <<<"$figure" || fail "chart $id has no axis title"
done
! grep -q 'class="no-data"' dom.html || fail "a chart says it has no data: $(grep -o 'class="no-data"[^<]*' dom.html)"
echo "ok: ${#expected_charts[@]} charts, each with a legend, axis titles and data"

# 3. The network pictures: the start and end of the scenario, the end of the baseline, each with
#    the seven firms of small.yaml.
if command -v dot >/dev/null; then
  for n in 1 2 3; do
    firms=$(tr '\n' ' ' <dom.html | sed 's/<figure /\n<figure /g' | grep "^<figure class=\"network\" id=\"network-$n\"" |
            grep -o "id=\"network-$n-firm_[a-z_]*\"" | sort -u | wc -l)
    [ "$firms" -eq 7 ] || fail "network picture $n shows $firms firms, not 7"
  done
  echo "ok: 3 network pictures of 7 firms"
else
  echo "note: Graphviz's dot is not installed: the network pictures were not drawn nor checked"
fi

# 4. It prints: a PDF whose page count fits the content. At least 10 pages (a page per major
#    section, the contents, the network pictures on pages of their own); at most 40 (more
#    would mean figures breaking over pages).
chromium_run --no-pdf-header-footer --print-to-pdf="$work/report.pdf" "file://$work/report.html" 2>print.log ||
  fail "Chromium could not print the report"
[ "$(head -c 5 report.pdf)" = "%PDF-" ] || fail "report.pdf is not a PDF"
pages=$(grep -a -o '/Count [0-9]*' report.pdf | awk '{ if ($2 > n) n = $2 } END { print n + 0 }')
[ "$pages" -ge 10 ] && [ "$pages" -le 40 ] || fail "the PDF has $pages pages, expected 10 to 40"
echo "ok: the report prints to a PDF of $pages pages ($(wc -c <report.pdf) bytes)"
