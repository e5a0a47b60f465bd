#!/usr/bin/env bash
# Recreates the seed corpora of the fuzz targets, fuzz/corpus/<target>/, from the
# repository's samples/. The corpora are gitignored; this script is their source.
#
#   fuzz/seed.sh            seed every target whose corpus directory is missing or empty
#   fuzz/seed.sh --force    wipe and reseed every target's seeds (libFuzzer's own finds,
#                           the files not named seed-*, are kept)
#   fuzz/seed.sh TARGET...  seed only these targets (when missing or empty, or with --force)
#
# Line grammars get one file per line (headers included: the targets strip them), the
# exception-chain and traceback grammars one file per multi-line record, the payload
# grammars the payload text cut out of the lines that carry it, and `framer` whole files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples="$here/../samples"
corpus="$here/corpus"

force=0
targets=()
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        all) ;;
        *) targets+=("$arg") ;;
    esac
done
all_targets=(legacy_headers cfn_messages legacy_messages engine_messages web py_repr ruby_hash result_json framer)
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

s() { printf '%s\n' "$samples/$1"; }

# lines DIR PREFIX FILE...: one seed per non-empty line.
lines() {
    local dir="$1" prefix="$2"
    shift 2
    awk -v dir="$dir" -v prefix="$prefix" '
        length($0) > 0 {
            f = sprintf("%s/seed-%s-%05d", dir, prefix, ++n)
            printf "%s", $0 > f
            close(f)
        }' "$@"
}

# records DIR PREFIX FILE...: one seed per record, a record being a line that starts with a
# timestamp (`2019-`, `2019/`, `[2019-`) and the lines after it that do not.
records() {
    local dir="$1" prefix="$2"
    shift 2
    awk -v dir="$dir" -v prefix="$prefix" '
        function flush() {
            if (rec != "") {
                f = sprintf("%s/seed-%s-%05d", dir, prefix, ++n)
                printf "%s", rec > f
                close(f)
            }
            rec = ""
        }
        /^\[?[0-9][0-9][0-9][0-9][-\/]/ { flush() }
        { rec = (rec == "" ? $0 : rec "\n" $0) }
        END { flush() }' "$@"
}

# payloads DIR PREFIX SKIP OPENERS FILE...: for each line holding one of the characters
# in OPENERS after the first SKIP (the end of the line header; the whole line when the line
# has no SKIP), the text from the first of them to the end of the line.
payloads() {
    local dir="$1" prefix="$2" skip="$3" openers="$4"
    shift 4
    awk -v dir="$dir" -v prefix="$prefix" -v skip="$skip" -v openers="$openers" '
        {
            line = $0
            if ((h = index(line, skip)) > 0) line = substr(line, h + length(skip))
            best = 0
            for (i = 1; i <= length(openers); i++) {
                p = index(line, substr(openers, i, 1))
                if (p > 0 && (best == 0 || p < best)) best = p
            }
            if (best > 0) {
                f = sprintf("%s/seed-%s-%05d", dir, prefix, ++n)
                printf "%s", substr(line, best) > f
                close(f)
            }
        }' "$@"
}

# from DIR PREFIX TEXT FILE...: for each line holding TEXT, the line from TEXT on.
from() {
    local dir="$1" prefix="$2" text="$3"
    shift 3
    awk -v dir="$dir" -v prefix="$prefix" -v text="$text" '
        (p = index($0, text)) > 0 {
            f = sprintf("%s/seed-%s-%05d", dir, prefix, ++n)
            printf "%s", substr($0, p) > f
            close(f)
        }' "$@"
}

seed() {
    local t="$1" dir="$corpus/$1"
    case "$t" in
        legacy_headers)
            lines "$dir" amzn "$samples"/cfn-hup.log "$samples"/cfn-hup-info.log \
                "$samples"/cfn-wire.log "$samples"/al2/cfn-init.log "$samples"/al2/cfn-init-cmd.log
            lines "$dir" ruby "$samples"/eb-commandprocessor.log "$samples"/eb-activity.log
            lines "$dir" engine "$samples"/al2/eb-engine.log "$samples"/al2023/eb-engine.log \
                "$samples"/al2/eb-hooks.log
            ;;
        cfn_messages)
            lines "$dir" hup "$samples"/cfn-hup.log "$samples"/cfn-hup-info.log
            lines "$dir" wire "$samples"/cfn-wire.log
            lines "$dir" init "$samples"/al2/cfn-init.log
            lines "$dir" cmd "$samples"/al2/cfn-init-cmd.log
            ;;
        legacy_messages)
            lines "$dir" line "$samples"/eb-commandprocessor.log "$samples"/eb-activity.log
            records "$dir" record "$samples"/eb-commandprocessor.log "$samples"/eb-activity.log
            ;;
        engine_messages)
            lines "$dir" engine "$samples"/al2/eb-engine.log "$samples"/al2023/eb-engine.log \
                "$samples"/al2/eb-hooks.log
            lines "$dir" script "$samples"/al2/eb-cfn-init.log
            ;;
        web)
            lines "$dir" healthd "$samples"/al2/nginx/healthd/application.log.*
            lines "$dir" daemon "$samples"/al2/healthd/daemon.log
            lines "$dir" access "$samples"/al2/nginx/access.log
            lines "$dir" error "$samples"/al2/nginx/error.log
            lines "$dir" syslog "$samples"/al2/web.stdout.log
            ;;
        py_repr)
            payloads "$dir" repr "] " "{[(" "$samples"/cfn-hup.log "$samples"/cfn-hup-info.log \
                "$samples"/cfn-wire.log
            records "$dir" record "$samples"/cfn-hup.log "$samples"/cfn-hup-info.log
            ;;
        ruby_hash)
            payloads "$dir" inspect " : " "{[" "$samples"/eb-commandprocessor.log "$samples"/eb-activity.log
            ;;
        result_json)
            payloads "$dir" json "] " "{" "$samples"/eb-commandprocessor.log \
                "$samples"/eb-activity.log "$samples"/cfn-hup.log
            from "$dir" sending "Sending " "$samples"/cfn-hup.log
            ;;
        framer)
            local n=0 f
            while IFS= read -r f; do
                n=$((n + 1))
                cp "$f" "$dir/seed-file-$(printf %03d "$n")-$(basename "$f")"
            done < <(find "$samples" -type f ! -name README.md | sort)
            ;;
        *)
            echo "seed.sh: unknown target $t" >&2
            return 1
            ;;
    esac
}

for t in "${targets[@]}"; do
    dir="$corpus/$t"
    if [ "$force" = 1 ]; then
        rm -f "$dir"/seed-*
    elif [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
        continue
    fi
    mkdir -p "$dir"
    seed "$t"
    echo "seeded $t: $(ls "$dir" | wc -l) files"
done
