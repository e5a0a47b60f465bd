#!/usr/bin/env bash
# Side-by-side throughput of eblog against cat, wc -l and a DuckDB pipeline, measured in
# one run on the same files of one generated fleet, so that the ratios (not the absolute
# numbers, which are noisy on small machines) are what to read.
#
#   benches/side_by_side.sh                  # 1 GiB fleet
#   FLEET_SIZE=64MiB benches/side_by_side.sh # a quick run (or: benches/side_by_side.sh 64MiB)
#
# Environment:
#   FLEET_SIZE      fleet size, uncompressed (default 1GiB); gen_fleet syntax: 64MiB, 20MB, ...
#   FLEET_SPAN      how long each instance's logs last (gen_fleet --span: 14d, 10w, 20y);
#                   unset: as long as the traffic makes them (hours to a day). A span of
#                   weeks is the real shape (files spanning many dates, hosts overlapping)
#   FLEET_INSTANCES instances (gen_fleet --instances; default one per 16 MiB, at least 4)
#   SEED            generator seed (default 42)
#   RUNS            runs per command, the best is kept (default 2)
#   DUCKDB_VERSION  the duckdb wheel to install from PyPI (default 2.0.1)
#   SKIP_DUCKDB=1   leave DuckDB out
#   EBLOG_BIN       the eblog binary to time (default target/release/eblog, built here)
#   GNU_TIME        GNU time, for peak RSS (default /usr/bin/time; installed with apt if
#                   missing and running as root)
#   CARGO_TARGET_DIR  honoured like cargo does (default ./target)
#
# What it does:
#   1. builds eblog and the fleet generator (release), generates the fleet into
#      target/bench-fleet-<size> unless a complete one is there (marker <dir>.done);
#   2. creates target/duckdb-venv and installs the pinned duckdb wheel;
#   3. warms the page cache, then times each command RUNS times (at least 5 when it takes
#      under half a second), keeping the fastest run: elapsed time from bash's
#      EPOCHREALTIME around the command (GNU time's %e only has 10 ms steps), peak RSS
#      from /usr/bin/time -f '%M' (KiB); without GNU time, RSS is reported as unknown;
#   4. prints a markdown table, the target ratios and the dataset's files per (table,
#      date) partition, and writes them to target/side_by_side.md.
#
# Bytes: the fleet's bytes are its uncompressed bytes (rotated .gz files count
# decompressed), which is what eblog and DuckDB read. cat and wc -l read the plain files
# only (a .gz is not text to them), so their MB/s are over the plain files' bytes; the
# "zcat | wc -l" row shows what the .gz files cost on their own. Ratios are ratios of MB/s.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac

FLEET_SIZE=${1:-${FLEET_SIZE:-1GiB}}
SEED=${SEED:-42}
RUNS=${RUNS:-2}
DUCKDB_VERSION=${DUCKDB_VERSION:-2.0.1}
SKIP_DUCKDB=${SKIP_DUCKDB:-0}
FLEET_SPAN=${FLEET_SPAN:-}
FLEET_INSTANCES=${FLEET_INSTANCES:-}

FLEET=$TARGET/bench-fleet-$FLEET_SIZE
[[ $SEED == 42 ]] || FLEET=$FLEET-s$SEED
[[ -z $FLEET_SPAN ]] || FLEET=$FLEET-span$FLEET_SPAN
[[ -z $FLEET_INSTANCES ]] || FLEET=$FLEET-n$FLEET_INSTANCES
GEN_ARGS=()
[[ -z $FLEET_SPAN ]] || GEN_ARGS+=(--span "$FLEET_SPAN")
[[ -z $FLEET_INSTANCES ]] || GEN_ARGS+=(--instances "$FLEET_INSTANCES")
VENV=$TARGET/duckdb-venv
REPORT=$TARGET/side_by_side.md
EBLOG=${EBLOG_BIN:-$TARGET/release/eblog}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
GEN=$TARGET/release/examples/gen_fleet

NOTES=()
note() {
    NOTES+=("$*")
    echo "side_by_side: $*" >&2
}
say() { echo "side_by_side: $*" >&2; }

# --- build and generate -----------------------------------------------------------------

say "building eblog and gen_fleet (release)"
cargo build --release --quiet --bin eblog --example gen_fleet

if [[ ! -f $FLEET.done ]]; then
    rm -rf "$FLEET"
    say "generating a $FLEET_SIZE fleet (seed $SEED${FLEET_SPAN:+, span $FLEET_SPAN}${FLEET_INSTANCES:+, $FLEET_INSTANCES instances}) into $FLEET"
    "$GEN" --out "$FLEET" --size "$FLEET_SIZE" --seed "$SEED" "${GEN_ARGS[@]}" >"$FLEET.done.tmp"
    mv "$FLEET.done.tmp" "$FLEET.done"
fi
FLEET_BYTES=$(tail -n 1 "$FLEET.done")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/side_by_side.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

find "$FLEET" -type f ! -name '*.gz' -print0 | sort -z >"$TMP/plain.list"
find "$FLEET" -type f -name '*.gz' -print0 | sort -z >"$TMP/gz.list"
N_PLAIN=$(tr -cd '\0' <"$TMP/plain.list" | wc -c)
N_GZ=$(tr -cd '\0' <"$TMP/gz.list" | wc -c)
PLAIN_BYTES=$(xargs -0 -r cat <"$TMP/plain.list" | wc -c)
GZ_BYTES=$(xargs -0 -r zcat <"$TMP/gz.list" | wc -c)
if ((PLAIN_BYTES + GZ_BYTES != FLEET_BYTES)); then
    note "fleet bytes: generator says $FLEET_BYTES, files hold $((PLAIN_BYTES + GZ_BYTES)); using the latter"
    FLEET_BYTES=$((PLAIN_BYTES + GZ_BYTES))
fi
say "fleet: $N_PLAIN plain + $N_GZ gz files, $FLEET_BYTES bytes uncompressed ($PLAIN_BYTES in plain files)"

# --- DuckDB ----------------------------------------------------------------------------

HAVE_DUCKDB=0
if [[ $SKIP_DUCKDB == 1 ]]; then
    note "DuckDB skipped (SKIP_DUCKDB=1)"
elif ! command -v python3 >/dev/null; then
    note "DuckDB skipped: no python3"
else
    if [[ ! -x $VENV/bin/python ]]; then
        say "creating $VENV"
        python3 -m venv "$VENV" || rm -rf "$VENV"
    fi
    if [[ -x $VENV/bin/python ]]; then
        if [[ $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true) != "$DUCKDB_VERSION" ]]; then
            say "installing duckdb==$DUCKDB_VERSION into $VENV"
            "$VENV/bin/pip" install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION" || true
        fi
        if [[ $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true) == "$DUCKDB_VERSION" ]]; then
            HAVE_DUCKDB=1
        else
            note "DuckDB skipped: could not install duckdb==$DUCKDB_VERSION"
        fi
    else
        note "DuckDB skipped: python3 -m venv failed"
    fi
fi

# The DuckDB pipeline: every line of every file as one VARCHAR column, the header shapes
# of cfn-hup/cfn-init (amzn), eb-engine and the Ruby logs (command processor, activity)
# cut with regexp_extract into ts/level/message, timestamps parsed, Parquet (zstd) out.
# Lines are not glued into multi-line records: that is eblog's job, DuckDB has no
# framing, so this is a lower bound of the work a SQL-only pipeline would do.
cat >"$TMP/duck.py" <<'PY'
import sys
import duckdb

lists, out, threads = sys.argv[1:-2], sys.argv[-2], int(sys.argv[-1])
files = []
for path in lists:
    with open(path, "rb") as f:
        files += [p.decode() for p in f.read().split(b"\0") if p]
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
amzn = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?:P\d+ )?\[([A-Z]+)\] ?(.*)$"
engine = r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6}) \[([A-Z]+)\] ?(.*)$"
ruby = r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\] ([A-Z]+) *\[\d+\] *(?:- \[[^\]]*\] )?: ?(.*)$"
source = (
    f"read_csv({files!r}, columns = {{'line': 'VARCHAR'}}, delim = '{chr(1)}', quote = '', "
    "escape = '', header = false, auto_detect = false, filename = true, ignore_errors = true)"
)
con.execute(f"""
COPY (
  WITH parsed AS (
    SELECT filename, line,
      regexp_extract(line, '{amzn}', ['ts', 'level', 'message']) AS a,
      regexp_extract(line, '{engine}', ['ts', 'level', 'message']) AS e,
      regexp_extract(line, '{ruby}', ['ts', 'level', 'message']) AS r
    FROM {source}
  )
  SELECT filename,
    coalesce(try_strptime(nullif(a.ts, ''), '%Y-%m-%d %H:%M:%S,%g'),
             try_strptime(nullif(e.ts, ''), '%Y/%m/%d %H:%M:%S.%f'),
             try_strptime(nullif(r.ts, ''), '%Y-%m-%dT%H:%M:%S.%gZ')) AS ts,
    coalesce(nullif(a.level, ''), nullif(e.level, ''), nullif(r.level, '')) AS level,
    CASE WHEN a.ts <> '' THEN a.message WHEN e.ts <> '' THEN e.message
         WHEN r.ts <> '' THEN r.message ELSE line END AS message
  FROM parsed
) TO '{out}' (FORMAT parquet, COMPRESSION zstd)
""")
rows, with_ts = con.execute(f"SELECT count(*), count(ts) FROM '{out}'").fetchone()
print(f"{rows} rows, {with_ts} with a header timestamp", file=sys.stderr)
PY

DUCK_LISTS=("$TMP/plain.list")
DUCK_BYTES=$PLAIN_BYTES
if ((HAVE_DUCKDB)) && ((N_GZ > 0)); then
    # Does read_csv take the .gz files (compression detected by extension)?
    head -z -n 1 "$TMP/gz.list" >"$TMP/gz1.list"
    if "$VENV/bin/python" "$TMP/duck.py" "$TMP/gz1.list" "$TMP/probe.parquet" 1 2>/dev/null; then
        DUCK_LISTS+=("$TMP/gz.list")
        DUCK_BYTES=$FLEET_BYTES
        note "DuckDB reads the .gz files itself (read_csv, compression by extension): its rows cover the whole fleet"
    else
        note "DuckDB could not read the .gz files: its rows cover the plain files only"
    fi
fi

# --- timing ----------------------------------------------------------------------------

TIMER=gnu
if [[ ! -x $GNU_TIME && $GNU_TIME == /usr/bin/time ]] && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    say "installing GNU time"
    { apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; }; } >/dev/null 2>&1 || true
fi
if [[ ! -x $GNU_TIME ]] || ! "$GNU_TIME" -f '%M' -o "$TMP/t" true 2>/dev/null; then
    TIMER=none
    note "no GNU time ($GNU_TIME): peak RSS unknown"
fi

LABELS=() SECS=() RSS=() BYTES=()
PRE=""

# measure LABEL BYTES CMD...: runs CMD (stdout to /dev/null) RUNS times, or at least 5
# times when it takes under half a second, and keeps the fastest run.
measure() {
    local label=$1 bytes=$2
    shift 2
    local best="" best_kb="" s kb t0 t1 r=0
    while ((r < RUNS)) || { ((r < 5)) && awk -v b="$best" 'BEGIN { exit !(b < 0.5) }'; }; do
        r=$((r + 1))
        if [[ -n $PRE ]]; then eval "$PRE"; fi
        kb=""
        t0=${EPOCHREALTIME:-$(date +%s.%N)}
        if [[ $TIMER == gnu ]]; then
            "$GNU_TIME" -f '%M' -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err" || {
                note "$label failed: $(tail -n 3 "$TMP/err" | tr '\n' ' ')"
                return 0
            }
        else
            "$@" >/dev/null 2>"$TMP/err" || {
                note "$label failed: $(tail -n 3 "$TMP/err" | tr '\n' ' ')"
                return 0
            }
        fi
        t1=${EPOCHREALTIME:-$(date +%s.%N)}
        [[ $TIMER == gnu ]] && kb=$(tail -n 1 "$TMP/t")
        s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
        if [[ -z $best ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$s
            best_kb=$kb
        fi
    done
    LABELS+=("$label")
    SECS+=("$best")
    RSS+=("$best_kb")
    BYTES+=("$bytes")
    say "$(printf '%-44s %8ss (best of %d)' "$label" "$best" "$r")"
}

say "warming the page cache"
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="$LOAD" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > 0.25 * n) }'; then
    note "load average $LOAD before timing on $(nproc) cores: other processes compete for the CPU, so multi-thread rows and their ratios are unreliable; rerun on a quiet machine"
fi
xargs -0 -r cat <"$TMP/plain.list" >/dev/null
xargs -0 -r cat <"$TMP/gz.list" >/dev/null

measure "cat (plain files)" "$PLAIN_BYTES" \
    bash -c 'xargs -0 -r cat <"$1"' _ "$TMP/plain.list"
measure "wc -l (plain files)" "$PLAIN_BYTES" \
    bash -c 'xargs -0 -r wc -l <"$1"' _ "$TMP/plain.list"
WC_ROW=$((${#LABELS[@]} - 1))
if ((N_GZ > 0)); then
    measure "zcat | wc -l (gz files)" "$GZ_BYTES" \
        bash -c 'xargs -0 -r zcat <"$1" | wc -l' _ "$TMP/gz.list"
fi

PARSE_HELP=$("$EBLOG" parse --help 2>&1 || true)
THREAD_FLAG=""
if [[ $PARSE_HELP == *"-j,"* ]]; then
    THREAD_FLAG=-j
elif [[ $PARSE_HELP == *--threads* ]]; then
    THREAD_FLAG=--threads
fi
PARSE1="" PARSE2=""
if [[ -n $THREAD_FLAG ]]; then
    measure "eblog parse -j 1 (JSON lines)" "$FLEET_BYTES" "$EBLOG" parse "$THREAD_FLAG" 1 "$FLEET"
    PARSE1=$((${#LABELS[@]} - 1))
    measure "eblog parse -j 2 (JSON lines)" "$FLEET_BYTES" "$EBLOG" parse "$THREAD_FLAG" 2 "$FLEET"
    PARSE2=$((${#LABELS[@]} - 1))
else
    note "eblog parse has no --threads/-j yet: measured once, with its default (single-threaded) pipeline"
    measure "eblog parse (JSON lines)" "$FLEET_BYTES" "$EBLOG" parse "$FLEET"
    PARSE1=$((${#LABELS[@]} - 1))
fi

SCAN1="" SCAN2=""
MAIN_HELP=$("$EBLOG" --help 2>&1 || true)
if grep -qE '^[[:space:]]+scan([[:space:]]|$)' <<<"$MAIN_HELP"; then
    SCAN_HELP=$("$EBLOG" scan --help 2>&1 || true)
    SCAN_FLAG=""
    if [[ $SCAN_HELP == *"-j,"* ]]; then
        SCAN_FLAG=-j
    elif [[ $SCAN_HELP == *--threads* ]]; then
        SCAN_FLAG=--threads
    fi
    PRE='rm -rf "$TMP/scan-out"'
    if [[ -n $SCAN_FLAG ]]; then
        measure "eblog scan -j 1 (Parquet)" "$FLEET_BYTES" "$EBLOG" scan "$FLEET" --out "$TMP/scan-out" "$SCAN_FLAG" 1
        SCAN1=$((${#LABELS[@]} - 1))
        measure "eblog scan -j 2 (Parquet)" "$FLEET_BYTES" "$EBLOG" scan "$FLEET" --out "$TMP/scan-out" "$SCAN_FLAG" 2
        SCAN2=$((${#LABELS[@]} - 1))
        # The dataset of the last `scan -j 2` run is still there: count its files per
        # (table, date) partition.
        PARTITIONS=$(for table_dir in "$TMP"/scan-out/*/; do
            table=$(basename "$table_dir")
            dates=$(find "$table_dir" -mindepth 1 -maxdepth 1 -type d -name 'date=*' | wc -l)
            files=$(find "$table_dir" -type f -name '*.parquet' | wc -l)
            ((dates > 0)) && printf '| %s | %s | %s | %s |\n' "$table" "$dates" "$files" \
                "$(awk -v f="$files" -v d="$dates" 'BEGIN { printf "%.2f", f / d }')"
        done)
    else
        note "eblog scan has no --threads/-j: measured with its default threads"
        measure "eblog scan (Parquet)" "$FLEET_BYTES" "$EBLOG" scan "$FLEET" --out "$TMP/scan-out"
        SCAN2=$((${#LABELS[@]} - 1))
    fi
    PRE=""
else
    note "eblog has no scan subcommand yet: the Parquet rows and the scan-vs-DuckDB ratio are skipped"
fi

DUCK1="" DUCK2=""
if ((HAVE_DUCKDB)); then
    PRE='rm -f "$TMP/duck.parquet"'
    measure "DuckDB $DUCKDB_VERSION, 1 thread (Parquet)" "$DUCK_BYTES" \
        "$VENV/bin/python" "$TMP/duck.py" "${DUCK_LISTS[@]}" "$TMP/duck.parquet" 1
    DUCK1=$((${#LABELS[@]} - 1))
    measure "DuckDB $DUCKDB_VERSION, 2 threads (Parquet)" "$DUCK_BYTES" \
        "$VENV/bin/python" "$TMP/duck.py" "${DUCK_LISTS[@]}" "$TMP/duck.parquet" 2
    DUCK2=$((${#LABELS[@]} - 1))
    PRE=""
    note "DuckDB rows include Python start-up and 'import duckdb' (about 0.1-0.3 s); $(tail -n 1 "$TMP/err")"
fi

# --- report ----------------------------------------------------------------------------

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "inf" }'; }
# ratio A B: MB/s of row A over MB/s of row B.
ratio() {
    local a=$1 b=$2
    awk -v ba="${BYTES[$a]}" -v sa="${SECS[$a]}" -v bb="${BYTES[$b]}" -v sb="${SECS[$b]}" \
        'BEGIN { if (sa > 0 && bb > 0) printf "%.3f", (ba / sa) / (bb / sb); else print "n/a" }'
}
verdict() { # VALUE TARGET
    awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "n/a"; else if (v + 0 >= t + 0) print "meets"; else print "below" }'
}

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
{
    echo "# eblog side by side — $FLEET_SIZE fleet${FLEET_SPAN:+, instances spanning $FLEET_SPAN}"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores${CPU:+ ($CPU)}, $("$EBLOG" --version 2>/dev/null || echo eblog)," \
        "fleet $FLEET (seed $SEED): $N_PLAIN plain + $N_GZ gz files, $FLEET_BYTES bytes uncompressed." \
        "Fastest of $RUNS runs (of 5 under 0.5 s), page cache warm, 1-min load average $LOAD before timing; elapsed from bash's clock, peak RSS $([[ $TIMER == gnu ]] && echo "from GNU time" || echo unknown)."
    echo
    echo "| command | input bytes | seconds | MB/s | peak RSS MiB | × wc -l |"
    echo "|---|---:|---:|---:|---:|---:|"
    for i in "${!LABELS[@]}"; do
        rss=n/a
        [[ -n ${RSS[$i]} ]] && rss=$(awk -v k="${RSS[$i]}" 'BEGIN { printf "%.1f", k / 1024 }')
        printf '| %s | %s | %s | %s | %s | %s |\n' "${LABELS[$i]}" "${BYTES[$i]}" "${SECS[$i]}" \
            "$(mbps "${BYTES[$i]}" "${SECS[$i]}")" "$rss" "$(ratio "$i" "$WC_ROW")"
    done
    echo
    echo "| target | measured | goal | |"
    echo "|---|---:|---:|---|"
    best_parse=${PARSE2:-$PARSE1}
    r=$(ratio "$PARSE1" "$WC_ROW")
    echo "| ${LABELS[$PARSE1]% (JSON lines)} vs wc -l, MB/s | $r | ≥ 0.12 | $(verdict "$r" 0.12) |"
    if [[ -n $PARSE2 ]]; then
        r=$(ratio "$PARSE2" "$WC_ROW")
        echo "| ${LABELS[$PARSE2]% (JSON lines)} vs wc -l, MB/s | $r | ≥ 0.12 | $(verdict "$r" 0.12) |"
        r=$(ratio "$PARSE2" "$PARSE1")
        echo "| eblog parse, 2 threads vs 1 | $r | ≥ 1.7 | $(verdict "$r" 1.7) |"
    else
        echo "| eblog parse, 2 threads vs 1 | n/a (no -j) | ≥ 1.7 | n/a |"
    fi
    if [[ -n $SCAN1 && -n $SCAN2 ]]; then
        r=$(ratio "$SCAN2" "$SCAN1")
        echo "| eblog scan, 2 threads vs 1 | $r | ≥ 1.7 | $(verdict "$r" 1.7) |"
    else
        echo "| eblog scan, 2 threads vs 1 | n/a | ≥ 1.7 | n/a |"
    fi
    if [[ -n $SCAN2 && -n $DUCK2 ]]; then
        r=$(ratio "$SCAN2" "$DUCK2")
        echo "| eblog scan vs DuckDB (2 threads each), MB/s | $r | ≥ 1.0 | $(verdict "$r" 1.0) |"
    else
        echo "| eblog scan vs DuckDB | n/a | ≥ 1.0 | n/a |"
    fi
    if [[ -n $DUCK2 ]]; then
        r=$(ratio "$best_parse" "$DUCK2")
        echo "| (for reference) eblog parse, best, vs DuckDB 2 threads, MB/s | $r | | |"
    fi
    if [[ -n ${PARTITIONS:-} ]]; then
        echo
        echo "Files per (table, date) partition of the \`scan -j 2\` dataset (goal: at most 1.5):"
        echo
        echo "| table | dates | files | files per date |"
        echo "|---|---:|---:|---:|"
        echo "$PARTITIONS"
    fi
    if ((${#NOTES[@]})); then
        echo
        echo "Notes:"
        for n in "${NOTES[@]}"; do echo "- $n"; done
    fi
    echo "- cat and wc -l read the plain files only; eblog and DuckDB read the .gz files too. Ratios compare MB/s, each row over the bytes it read."
    echo "- DuckDB reads lines (read_csv, one VARCHAR column) and cuts three header shapes with regexp_extract; it does not glue multi-line records, decode payloads or redact."
} >"$REPORT"

cat "$REPORT"
say "written to $REPORT"
