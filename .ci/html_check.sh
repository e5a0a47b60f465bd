#!/usr/bin/env bash
# Checks an `eblog commands --html` report in headless Chromium:
#
#   .ci/html_check.sh REPORT.html OUTDIR
#
# Renders REPORT.html to OUTDIR/report.png and dumps its DOM to OUTDIR/dom.html, then
# fails (exit 1) unless the screenshot exists and is over 10 KB, the page's root carries
# data-eblog-report="ok", its closing script set data-rendered="ok", no script error was
# recorded (data-js-error) and nothing reached the browser console (script errors, loads
# blocked by the report's Content-Security-Policy). Needs Debian's `chromium` package (apt-get install
# chromium); CHROMIUM=path picks another binary. Exit 2: usage or missing tools.
set -euo pipefail

usage() { echo "usage: $0 REPORT.html OUTDIR" >&2; exit 2; }
fail() { echo "html_check: FAIL: $*" >&2; exit 1; }

[ "$#" -eq 2 ] || usage
report=$1
outdir=$2
[ -f "$report" ] || { echo "html_check: no such report: $report" >&2; exit 2; }

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then chromium=$candidate; break; fi
  done
fi
[ -n "$chromium" ] || { echo "html_check: chromium not found (apt-get install chromium)" >&2; exit 2; }

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
png="$outdir/report.png"
dom="$outdir/dom.html"
rm -f "$png" "$dom"

# A throwaway profile so runs neither share state nor touch $HOME.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

flags=(
  --headless --no-sandbox --disable-gpu --hide-scrollbars
  --disable-dev-shm-usage --no-first-run --no-default-browser-check
  --user-data-dir="$profile" --window-size=1400,2000 --virtual-time-budget=2000
)

echo "html_check: $("$chromium" --version 2>/dev/null | head -n1)"

if ! timeout 120 "$chromium" "${flags[@]}" --screenshot="$png" "$url" >"$outdir/screenshot.log" 2>&1; then
  cat "$outdir/screenshot.log" >&2
  fail "chromium --screenshot failed (log: $outdir/screenshot.log)"
fi
# --enable-logging=stderr puts the page's console (script errors, blocked loads) in the log.
if ! timeout 120 "$chromium" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "$url" \
  >"$dom" 2>"$outdir/dump-dom.log"; then
  cat "$outdir/dump-dom.log" >&2
  fail "chromium --dump-dom failed (log: $outdir/dump-dom.log)"
fi

[ -f "$png" ] || fail "no screenshot was written to $png"
size=$(wc -c <"$png")
[ "$size" -gt 10240 ] || fail "screenshot $png is only $size bytes (want > 10 KB): the page is probably blank"

# A blank page's screenshot at this size can itself exceed 10 KB, so also require the
# report's to be well above a blank page rendered the same way (even the empty report
# is about 2.4x a blank page).
blank_png="$profile/blank.png"
printf '<!DOCTYPE html><html><body></body></html>' >"$profile/blank.html"
timeout 120 "$chromium" "${flags[@]}" --screenshot="$blank_png" "file://$profile/blank.html" \
  >"$outdir/blank.log" 2>&1 || true
if [ -f "$blank_png" ]; then
  blank=$(wc -c <"$blank_png")
  [ "$size" -gt $((blank * 3 / 2)) ] \
    || fail "screenshot $png ($size bytes) is hardly larger than a blank page's ($blank bytes): the page looks empty"
fi

grep -q 'data-eblog-report="ok"' "$dom" \
  || fail "the rendered DOM ($dom) lacks data-eblog-report=\"ok\": not an eblog report, or it did not load"
if grep -q 'data-js-error=' "$dom"; then
  error=$(grep -o 'data-js-error="[^"]*"' "$dom" | head -n1)
  fail "a script error was recorded: $error"
fi
grep -q 'data-rendered="ok"' "$dom" \
  || fail "the rendered DOM ($dom) lacks data-rendered=\"ok\": the report's script did not run to its end"
# The report logs nothing: any console message is a script error or a blocked external load
# (the page's Content-Security-Policy forbids every external resource).
if grep -q ':CONSOLE' "$outdir/dump-dom.log"; then
  grep ':CONSOLE' "$outdir/dump-dom.log" >&2
  fail "the page wrote to the browser console (above; log: $outdir/dump-dom.log)"
fi

executions=$(grep -o 'data-executions="[0-9]*"' "$dom" | head -n1)
echo "html_check: OK: $report rendered ($executions, screenshot $png, $size bytes)"
