#!/usr/bin/env bash
# Runs fuzz targets one after another with cargo-fuzz (libFuzzer), each for a fixed time.
#
#   fuzz/run.sh TARGET... [--seconds N]
#   fuzz/run.sh all --seconds 60
#
# TARGET is a name from `cargo +nightly fuzz list` or `all`. Default: 600 seconds each.
# Seeds a target's corpus from samples/ first when it is missing (fuzz/seed.sh). Builds
# with debug assertions (`-a`, so integer overflow panics) and runs under `nice -n 19`.
# Crashing inputs land in fuzz/artifacts/TARGET/; reproduce one with
#   cargo +nightly fuzz run -a [--features framer] TARGET fuzz/artifacts/TARGET/crash-...
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
all_targets=(legacy_headers cfn_messages legacy_messages engine_messages web py_repr ruby_hash result_json framer)

seconds=600
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --seconds=*) seconds="${1#--seconds=}"; shift ;;
        all) targets+=("${all_targets[@]}"); shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
if [ ${#targets[@]} -eq 0 ]; then
    echo "usage: fuzz/run.sh TARGET... [--seconds N]   (targets: all ${all_targets[*]})" >&2
    exit 2
fi

cd "$here"
status=0
for t in "${targets[@]}"; do
    "$here/seed.sh" "$t"
    features=()
    [ "$t" = framer ] && features=(--features framer)
    echo "== $t: ${seconds}s"
    if ! nice -n 19 cargo +nightly fuzz run -O -a "${features[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1; then
        echo "== $t: FAILED (see fuzz/artifacts/$t/)" >&2
        status=1
    fi
done
exit $status
