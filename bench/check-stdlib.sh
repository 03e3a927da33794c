#!/usr/bin/env bash
# Time `gavel check` over this machine's Python standard library, next to the floor: a bare
# tree-sitter parse of the same files (`gavel-bench parse-floor`), measured in the same run.
#
# usage: bench/check-stdlib.sh [--rounds N] [--no-single-thread]
#
# Runs N (default 5, at least 5) rounds. Each round runs every variant once, interleaved
# (gavel, floor, gavel 1 thread, floor 1 thread), alternating which goes first, so that noise on
# the machine falls on both sides. Prints the median of each variant and the ratio gavel/floor.
# See bench/README.md.
set -euo pipefail

rounds=5
single_thread=1
while (($#)); do
    case "$1" in
        --rounds)
            rounds="${2:?--rounds needs a number}"
            shift 2
            ;;
        --no-single-thread)
            single_thread=0
            shift
            ;;
        -h | --help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "check-stdlib: unknown argument '$1' (try --help)" >&2
            exit 2
            ;;
    esac
done
if ! [[ "$rounds" =~ ^[0-9]+$ ]] || ((rounds < 5)); then
    echo "check-stdlib: --rounds wants a number of at least 5 (a median of fewer is noise)" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/bench/.cache"
stdlib_copy="$cache/stdlib"
gavel="$root/target/release/gavel"
floor="$root/target/release/gavel-bench"

say() { echo "check-stdlib: $*" >&2; }

# --- Tools -------------------------------------------------------------------------------------

need_time() {
    if /usr/bin/time -f '%M' true >/dev/null 2>&1; then
        return
    fi
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing GNU time (/usr/bin/time) for peak RSS"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
    else
        say "GNU time (/usr/bin/time) is needed for peak RSS: sudo apt-get install -y time"
        exit 1
    fi
}

need_time
command -v python3 >/dev/null || {
    say "python3 is needed: its standard library is what gets checked"
    exit 1
}

say "building target/release/gavel-bench"
(cd "$root" && cargo build --release --quiet -p gavel-bench)

# gavel is measured only if it builds and `gavel check` answers on a tiny directory.
have_gavel=0
gavel_why=""
if ! (cd "$root" && cargo build --release --quiet -p gavel-cli); then
    gavel_why="gavel-cli does not build (see the cargo errors above)"
else
    probe="$(mktemp -d)"
    printf 'x = 1\n' >"$probe/probe.py"
    if out="$("$gavel" check --format json --fail-on never "$probe" 2>&1)" && [[ -n "$out" ]]; then
        have_gavel=1
    else
        gavel_why="'gavel check --format json --fail-on never' does not work yet: ${out:-no output}"
    fi
    rm -rf "$probe"
fi
if ((!have_gavel)); then
    say "measuring the floor only: $gavel_why"
fi

# --- The files ---------------------------------------------------------------------------------

# A copy of the standard library without site-packages and __pycache__, made once per stdlib.
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
pyversion="$(python3 -c 'import sys; print(sys.version.split()[0])')"
stamp="$cache/stdlib.source"
if [[ ! -d "$stdlib_copy" || "$(cat "$stamp" 2>/dev/null)" != "$stdlib" ]]; then
    say "copying $stdlib (without site-packages, __pycache__) to bench/.cache/stdlib"
    rm -rf "$stdlib_copy" "$stdlib_copy.tmp" "$stamp"
    mkdir -p "$cache"
    python3 - "$stdlib" "$stdlib_copy.tmp" <<'EOF'
import shutil, sys
shutil.copytree(sys.argv[1], sys.argv[2], symlinks=True,
                ignore=shutil.ignore_patterns("site-packages", "__pycache__"))
EOF
    mv "$stdlib_copy.tmp" "$stdlib_copy"
    echo "$stdlib" >"$stamp"
fi

# --- Measuring ---------------------------------------------------------------------------------

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure NAME COMMAND...: run COMMAND once, append "wall_seconds peak_rss_kb" to $work/NAME.
# Wall time is taken here (microseconds); /usr/bin/time reports the peak RSS.
measure() {
    local name="$1" start end status=0
    shift
    start="$EPOCHREALTIME"
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >"$work/$name.out" 2>"$work/$name.err" || status=$?
    end="$EPOCHREALTIME"
    if ((status != 0)); then
        say "$name failed (exit $status):"
        tail -n 20 "$work/$name.err" >&2
        exit 1
    fi
    echo "$start $end $(tail -n 1 "$work/rss")" | awk '{ printf "%.6f %d\n", $2 - $1, $3 }' \
        >>"$work/$name"
}

run_variant() {
    case "$1" in
        gavel) measure gavel "$gavel" check --format json --fail-on never "$stdlib_copy" ;;
        floor) measure floor "$floor" parse-floor "$stdlib_copy" ;;
        gavel-1t) RAYON_NUM_THREADS=1 measure gavel-1t \
            "$gavel" check --format json --fail-on never "$stdlib_copy" ;;
        floor-1t) measure floor-1t "$floor" parse-floor --threads 1 "$stdlib_copy" ;;
    esac
}

pairs=("gavel floor")
((single_thread)) && pairs+=("gavel-1t floor-1t")

for ((round = 1; round <= rounds; round++)); do
    say "round $round/$rounds"
    for pair in "${pairs[@]}"; do
        read -r g f <<<"$pair"
        order=("$g" "$f")
        ((round % 2 == 0)) && order=("$f" "$g")
        for variant in "${order[@]}"; do
            if [[ $variant == gavel* ]] && ((!have_gavel)); then
                continue
            fi
            run_variant "$variant"
        done
    done
done

# --- Report ------------------------------------------------------------------------------------

floor_json="$(cat "$work/floor.out")"
json_field() { grep -o "\"$1\":[0-9.]*" <<<"$floor_json" | cut -d: -f2; }
files="$(json_field files)"
bytes="$(json_field bytes)"
skipped="$(json_field skipped)"

# median FILE COLUMN
median() {
    cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "gavel check over the Python $pyversion standard library ($stdlib)"
echo "$files files ($skipped more skipped: not UTF-8, binary or over 8 MiB), $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB;" \
    "$(nproc) cores; median of $rounds interleaved rounds;" \
    "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo '+dirty')"
echo
printf '%-18s %9s %13s %9s %7s %13s %9s %9s\n' \
    "" "wall s" "(min-max)" "files/s" "MB/s" "peak RSS MiB" "vs floor" "RSS vs"
row() {
    local name="$1" label="$2" base="${3:-}" wall rss
    [[ -s "$work/$name" ]] || return 0
    wall="$(median "$work/$name" 1)"
    rss="$(median "$work/$name" 2)"
    local range
    range="$(sort -g "$work/$name" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }')"
    local base_wall=0 base_rss=0
    if [[ -n "$base" ]]; then
        base_wall="$(median "$work/$base" 1)"
        base_rss="$(median "$work/$base" 2)"
    fi
    awk -v l="$label" -v w="$wall" -v range="$range" -v r="$rss" -v f="$files" -v b="$bytes" \
        -v bw="$base_wall" -v br="$base_rss" 'BEGIN {
            ratio = bw > 0 ? sprintf("%.2fx", w / bw) : "-"
            rratio = br > 0 ? sprintf("%.2fx", r / br) : "-"
            printf "%-18s %9.3f %13s %9.0f %7.1f %13.1f %9s %9s\n",
                l, w, range, f / w, b / 1e6 / w, r / 1024, ratio, rratio
        }'
}
row gavel "gavel check" floor
row floor "floor (parse)"
row gavel-1t "gavel check, 1t" floor-1t
row floor-1t "floor (parse), 1t"
echo
if ((!have_gavel)); then
    echo "gavel was not measured: $gavel_why"
else
    # What gavel did: with no gavel.toml above the copy, the built-in default packs apply.
    rules="$(cd "$stdlib_copy" && "$gavel" rules 2>/dev/null | tail -n +2 | grep -c . || true)"
    summary="$(python3 -c 'import json, sys; s = json.load(sys.stdin)["summary"]
print(s.get("files", "?"), s.get("findings", "?"))' <"$work/gavel.out" 2>/dev/null || echo '? ?')"
    read -r gavel_files findings <<<"$summary"
    echo "gavel ran $rules rules and reported $findings findings in $gavel_files files."
    if [[ "$gavel_files" != "$files" ]]; then
        echo "warning: gavel checked $gavel_files files but the floor parsed $files; the ratio compares different work."
    fi
fi
