#!/usr/bin/env bash
# One core's `eblog parse` throughput per log format, next to `wc -l` on the same bytes,
# measured back to back in one run (read the ratios: absolute numbers are noisy here).
#
#   benches/per_format.sh [FLEET_DIR]      # default: a 300 MiB fleet in target/
#
# Environment:
#   FLEET_SIZE  size of the fleet generated when FLEET_DIR is not given (default 300MiB)
#   RUNS        runs per command, the fastest is kept (default 3)
#   EBLOG_BIN   the eblog binary (default target/release/eblog, built here)
#
# Each kind's plain files (rotated .gz left out) are concatenated into one file under
# target/per-format/, so both commands read one warm file of that kind. `eblog parse -j 1
# --format F` writes JSON lines to /dev/null. The table goes to stdout and to
# target/per_format.md.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${RUNS:-3}
EBLOG=${EBLOG_BIN:-$TARGET/release/eblog}
FLEET=${1:-}
if [[ -z $FLEET ]]; then
    FLEET=$TARGET/bench-fleet-${FLEET_SIZE:-300MiB}
    if [[ ! -e $FLEET.done ]]; then
        cargo build --release --quiet --example gen_fleet
        rm -rf "$FLEET"
        "$TARGET/release/examples/gen_fleet" --out "$FLEET" --size "${FLEET_SIZE:-300MiB}" >/dev/null
        touch "$FLEET.done"
    fi
fi
[[ -n ${EBLOG_BIN:-} ]] || cargo build --release --quiet

WORK=$TARGET/per-format
mkdir -p "$WORK"

# kind, eblog format name, file name pattern (find -path)
KINDS=(
    "cfn-hup.log|cfn-hup|*/cfn-hup.log"
    "eb-commandprocessor.log|cmd-processor|*/eb-commandprocessor.log"
    "eb-activity.log|activity|*/eb-activity.log"
    "eb-engine.log|engine|*/eb-engine.log"
    "cfn-init.log|cfn-init|*/cfn-init.log"
    "cfn-init-cmd.log|cfn-init-cmd|*/cfn-init-cmd.log"
    "nginx access.log|nginx-access|*/nginx/access.log"
    "healthd application.log|healthd|*/healthd/application.log.*"
    "web.stdout.log|web-stdout|*/web.stdout.log"
)

# Fastest of RUNS runs, in seconds.
best() {
    local best_s="" start end s
    for ((i = 0; i < RUNS; i++)); do
        start=$EPOCHREALTIME
        "$@" >/dev/null
        end=$EPOCHREALTIME
        s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')
        if [[ -z $best_s ]] || awk -v x="$s" -v y="$best_s" 'BEGIN { exit !(x < y) }'; then
            best_s=$s
        fi
    done
    echo "$best_s"
}

{
    echo "| format | MB | wc -l MB/s | eblog parse -j 1 MB/s | × wc -l |"
    echo "|---|---:|---:|---:|---:|"
    for entry in "${KINDS[@]}"; do
        IFS='|' read -r kind format pattern <<<"$entry"
        file=$WORK/${format}.log
        find "$FLEET" -path "$pattern" ! -name '*.gz' -type f -print0 | sort -z | xargs -0 cat >"$file"
        bytes=$(stat -c %s "$file")
        [[ $bytes -gt 0 ]] || continue
        cat "$file" >/dev/null
        wc_s=$(best wc -l "$file")
        eb_s=$(best "$EBLOG" parse -j 1 --format "$format" "$file")
        awk -v k="$kind" -v b="$bytes" -v w="$wc_s" -v e="$eb_s" 'BEGIN {
            mb = b / 1e6; wm = mb / w; em = mb / e
            printf "| %s | %.1f | %.0f | %.1f | %.3f |\n", k, mb, wm, em, em / wm
        }'
    done
} | tee "$TARGET/per_format.md"
