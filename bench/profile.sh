#!/usr/bin/env bash
# Where `gavel check` spends its instructions: callgrind on one thread over a corpus (default: a
# quarter of the corpus bench/run.sh uses, as `run.sh --quick` leaves it), with the benchmark
# rules, then the gavel functions and tree-sitter entry points by inclusive share (each function
# once, with its total; callgrind also lists the parts inlined from other files).
#
# usage: bench/profile.sh python|rust [DIR]
#
# Needs valgrind (apt-get install -y valgrind) and the corpora of bench/run.sh. Slow: callgrind
# runs about 50 times slower than gavel; a quarter corpus takes a minute or two.
set -euo pipefail

lang="${1:-}"
case "$lang" in
    python) default=quick-stdlib ;;
    rust) default=quick-rust-corpus ;;
    *) echo "usage: bench/profile.sh python|rust [DIR]" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${2:-$root/bench/.cache/$default}"
[[ -d "$dir" ]] || { echo "profile: no $dir; run bench/run.sh --quick first, or name a directory" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "profile: valgrind is needed: apt-get install -y valgrind" >&2; exit 1; }

(cd "$root" && cargo build --release --quiet -p gavel-cli)
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$root/target/release/gavel" check --config "$root/bench/peers/gavel/gavel.toml" \
    --format json --fail-on never "$dir" >/dev/null 2>&1
echo "callgrind, gavel check of $dir on one thread; inclusive instructions:"
callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
    grep -E '^ *[0-9,]+ \([ 0-9.]+%\)  ' |
    grep -v '=>' |
    sed -E 's# \[/.*##; s#^( *[0-9,]+ \([ 0-9.]+%\))  [^:]*:#\1  #' |
    grep -E '  (gavel_[a-z_]+::.+|ts_parser_parse|ts_query_cursor_next_match|ts_tree_delete)$' |
    awk '{ k = $0; sub(/^ *[0-9,]+ \([ 0-9.]+%\)  /, "", k); if (!seen[k]++) print }' | head -25
