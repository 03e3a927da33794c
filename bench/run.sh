#!/usr/bin/env bash
# gavel against its peers, ast-grep and semgrep, with the same rules on the same corpora, and
# against the tree-sitter parse floor; then editor latency and memory of `gavel lsp` against
# `ast-grep lsp`. Writes bench/RESULTS.md (see bench/README.md).
#
# usage: bench/run.sh [--quick] [--rounds N] [--semgrep-rounds N] [--edits N]
#                     [--baseline-edits N] [--pace-ms MS] [--skip scan|lsp|memory]...
#                     [--no-write]
#
#   --rounds N          scan rounds for gavel, ast-grep and the floor (default 5, at least 5)
#   --semgrep-rounds N  how many of those rounds also run semgrep (default 3; semgrep takes
#                       minutes per run here)
#   --edits N           edits per 10,000-line file in the latency test (default 1000)
#   --baseline-edits N  edits for gavel's full-reparse baseline (default 200: it falls behind)
#   --pace-ms MS        one edit every MS ms in the latency test (default 30, fast typing)
#   --skip PART         leave out scan, lsp (latency) or memory; repeatable
#   --quick             --rounds 5 --semgrep-rounds 1 --edits 300 --baseline-edits 60, on a
#                       quarter of each corpus: a smoke test, figures not for RESULTS.md
#   --no-write          print the report, do not write bench/RESULTS.md
#
# Everything it installs or copies goes to bench/.cache (gitignored): the peers at pinned
# versions (npm @ast-grep/cli, PyPI semgrep in a venv), the Python stdlib copy, the vendored
# Rust crates of bench/rust-corpus and the raw measurements of the last run (bench/.cache/run).
set -euo pipefail

AST_GREP_VERSION="0.51.1"
SEMGREP_VERSION="1.185.0"

rounds=5
semgrep_rounds=3
edits=1000
baseline_edits=200
pace_ms=30
quick=0
write=1
skip=" "
while (($#)); do
    case "$1" in
        --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
        --semgrep-rounds) semgrep_rounds="${2:?--semgrep-rounds needs a number}"; shift 2 ;;
        --edits) edits="${2:?--edits needs a number}"; shift 2 ;;
        --baseline-edits) baseline_edits="${2:?--baseline-edits needs a number}"; shift 2 ;;
        --pace-ms) pace_ms="${2:?--pace-ms needs a number}"; shift 2 ;;
        --skip)
            case "${2:-}" in
                scan | lsp | memory) skip+="$2 " ;;
                *) echo "run: --skip wants scan, lsp or memory" >&2; exit 2 ;;
            esac
            shift 2
            ;;
        --quick) quick=1; semgrep_rounds=1; edits=300; baseline_edits=60; shift ;;
        --no-write) write=0; shift ;;
        -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
for n in "$rounds" "$semgrep_rounds" "$edits" "$baseline_edits" "$pace_ms"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "run: '$n' is not a number" >&2; exit 2; }
done
if ((rounds < 5)); then
    echo "run: --rounds wants at least 5 (a median of fewer is noise)" >&2
    exit 2
fi
((semgrep_rounds <= rounds)) || semgrep_rounds=$rounds
((quick)) && write=0
skipped() { [[ "$skip" == *" $1 "* ]]; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
cache="$bench/.cache"
peers="$cache/peers"
run="$cache/run"
gavel="$root/target/release/gavel"
floor="$root/target/release/gavel-bench"
lspbench="$root/target/release/gavel-lsp-bench"
ast_grep="$peers/npm/node_modules/.bin/ast-grep"
semgrep="$peers/semgrep/bin/semgrep"

say() { echo "run: $*" >&2; }
die() { echo "run: $*" >&2; exit 1; }

# --- Tools -------------------------------------------------------------------------------------

if ! /usr/bin/time -f '%M' true >/dev/null 2>&1; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing GNU time (/usr/bin/time)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
    else
        die "GNU time (/usr/bin/time) is needed: sudo apt-get install -y time"
    fi
fi
for t in cargo python3 npm; do
    command -v "$t" >/dev/null || die "$t is needed"
done

say "building gavel and gavel-bench (release)"
(cd "$root" && cargo build --release --quiet -p gavel-cli -p gavel-bench) ||
    die "gavel does not build (see the cargo errors above)"

mkdir -p "$peers"
if [[ "$("$ast_grep" --version 2>/dev/null)" != "ast-grep $AST_GREP_VERSION" ]]; then
    say "installing @ast-grep/cli@$AST_GREP_VERSION from npm into bench/.cache/peers/npm"
    rm -rf "$peers/npm"
    npm install --silent --no-audit --no-fund --prefix "$peers/npm" "@ast-grep/cli@$AST_GREP_VERSION" >&2 ||
        die "npm install @ast-grep/cli@$AST_GREP_VERSION failed"
    [[ "$("$ast_grep" --version 2>/dev/null)" == "ast-grep $AST_GREP_VERSION" ]] ||
        die "ast-grep $AST_GREP_VERSION did not install (no binary at $ast_grep)"
fi

export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off
if [[ "$("$semgrep" --version 2>/dev/null)" != "$SEMGREP_VERSION" ]]; then
    say "installing semgrep==$SEMGREP_VERSION from PyPI into bench/.cache/peers/semgrep (a venv)"
    rm -rf "$peers/semgrep"
    python3 -m venv "$peers/semgrep" || die "python3 -m venv failed (apt-get install python3-venv?)"
    "$peers/semgrep/bin/pip" install --quiet --disable-pip-version-check "semgrep==$SEMGREP_VERSION" >&2 ||
        die "pip install semgrep==$SEMGREP_VERSION failed"
    [[ "$("$semgrep" --version 2>/dev/null)" == "$SEMGREP_VERSION" ]] || die "semgrep did not install"
fi

# --- Corpora -----------------------------------------------------------------------------------

# Python: this machine's standard library without site-packages and __pycache__, copied once
# (the same copy bench/check-stdlib.sh makes).
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
stdlib_copy="$cache/stdlib"
if [[ ! -d "$stdlib_copy" || "$(cat "$cache/stdlib.source" 2>/dev/null)" != "$stdlib" ]]; then
    say "copying $stdlib (without site-packages, __pycache__) to bench/.cache/stdlib"
    rm -rf "$stdlib_copy" "$stdlib_copy.tmp" "$cache/stdlib.source"
    python3 - "$stdlib" "$stdlib_copy.tmp" <<'EOF'
import shutil, sys
shutil.copytree(sys.argv[1], sys.argv[2], symlinks=True,
                ignore=shutil.ignore_patterns("site-packages", "__pycache__"))
EOF
    mv "$stdlib_copy.tmp" "$stdlib_copy"
    echo "$stdlib" >"$cache/stdlib.source"
fi

# Rust: the crates listed in bench/rust-corpus/Cargo.toml at the versions of its Cargo.lock,
# vendored, then only their .rs files (no hidden files, no .gitignore) copied to rust-corpus.
lock_sum="$(cat "$bench/rust-corpus/Cargo.toml" "$bench/rust-corpus/Cargo.lock" | sha256sum | cut -c1-16)"
rust_copy="$cache/rust-corpus"
if [[ ! -d "$rust_copy" || "$(cat "$cache/rust-corpus.source" 2>/dev/null)" != "$lock_sum" ]]; then
    say "vendoring bench/rust-corpus (cargo vendor --locked) into bench/.cache/rust-vendor"
    rm -rf "$cache/rust-vendor" "$rust_copy" "$rust_copy.tmp" "$cache/rust-corpus.source"
    (cd "$bench/rust-corpus" && cargo vendor --locked --versioned-dirs --quiet "$cache/rust-vendor" >/dev/null) ||
        die "cargo vendor failed"
    (cd "$bench/rust-corpus" && cargo metadata --format-version 1 --locked --offline) >"$cache/rust-metadata.json" ||
        die "cargo metadata failed"
    python3 - "$cache/rust-metadata.json" "$cache/rust-vendor" "$rust_copy.tmp" <<'EOF'
import json, os, shutil, sys
meta, vendor, dst = sys.argv[1:4]
m = json.load(open(meta))
root = next(n for n in m["resolve"]["nodes"] if n["id"] == m["resolve"]["root"])
packages = {p["id"]: p for p in m["packages"]}
for dep in root["deps"]:
    p = packages[dep["pkg"]]
    crate = f'{p["name"]}-{p["version"]}'
    for top, dirs, files in os.walk(os.path.join(vendor, crate)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.endswith(".rs") and not f.startswith("."):
                src = os.path.join(top, f)
                out = os.path.join(dst, os.path.relpath(src, vendor))
                os.makedirs(os.path.dirname(out), exist_ok=True)
                shutil.copy2(src, out)
EOF
    mv "$rust_copy.tmp" "$rust_copy"
    echo "$lock_sum" >"$cache/rust-corpus.source"
fi

# --quick: a quarter of each corpus (every fourth top-level entry), for a smoke test.
py_corpus="$stdlib_copy"
rs_corpus="$rust_copy"
if ((quick)); then
    for c in stdlib rust-corpus; do
        rm -rf "$cache/quick-$c"
        mkdir -p "$cache/quick-$c"
        i=0
        for e in "$cache/$c"/*; do
            ((i++ % 4 == 0)) && cp -r "$e" "$cache/quick-$c/"
        done
    done
    py_corpus="$cache/quick-stdlib"
    rs_corpus="$cache/quick-rust-corpus"
fi

rm -rf "$run"
mkdir -p "$run/out"
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "gavel=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- crates Cargo.toml Cargo.lock policies 2>/dev/null || echo '+dirty')"
    echo "gavel_code=$(git -C "$root" log -1 --format='%h %cs' -- crates/gavel-cli crates/gavel-engine crates/gavel-lsp crates/gavel-policy crates/gavel-syntax crates/gavel-workspace policies Cargo.lock)"
    echo "ast_grep=$("$ast_grep" --version)"
    echo "semgrep=semgrep $("$semgrep" --version)"
    echo "python=$(python3 --version)"
    echo "rustc=$(rustc --version)"
    echo "rounds=$rounds"
    echo "semgrep_rounds=$semgrep_rounds"
    echo "edits=$edits"
    echo "baseline_edits=$baseline_edits"
    echo "pace_ms=$pace_ms"
    echo "quick=$quick"
    echo "py_corpus=${py_corpus#"$root"/}"
    echo "rs_corpus=${rs_corpus#"$root"/}"
    echo "stdlib_source=$stdlib"
} >"$run/meta"

# --- Scan --------------------------------------------------------------------------------------

# measure CORPUS THREADS TOOL ROUND COMMAND...: run COMMAND once with its output in
# $run/out/CORPUS-THREADS-TOOL.out; append "corpus threads tool round wall user sys rss_kib" to
# $run/scan.tsv. Wall time is taken here (microseconds); GNU time gives CPU and peak RSS.
measure() {
    local corpus="$1" threads="$2" tool="$3" round="$4" start end status=0
    shift 4
    local out="$run/out/$corpus-$threads-$tool"
    start="$EPOCHREALTIME"
    /usr/bin/time -f '%U %S %M' -o "$run/time" "$@" >"$out.out" 2>"$out.err" || status=$?
    end="$EPOCHREALTIME"
    if ((status != 0)); then
        say "$tool on $corpus with $threads thread(s) failed (exit $status): $*"
        tail -n 20 "$out.err" >&2
        exit 1
    fi
    read -r user sys rss < <(tail -n 1 "$run/time")
    echo "$corpus $threads $tool $round $start $end $user $sys $rss" |
        awk '{ printf "%s %s %s %s %.6f %s %s %s\n", $1, $2, $3, $4, $6 - $5, $7, $8, $9 }' >>"$run/scan.tsv"
}

run_tool() {
    local corpus="$1" threads="$2" tool="$3" round="$4" dir lang
    if [[ $corpus == python ]]; then dir="$py_corpus"; lang=python; else dir="$rs_corpus"; lang=rust; fi
    case "$tool" in
        gavel)
            RAYON_NUM_THREADS="$threads" measure "$corpus" "$threads" gavel "$round" \
                "$gavel" check --config "$bench/peers/gavel/gavel.toml" --format json --fail-on never "$dir"
            ;;
        floor)
            measure "$corpus" "$threads" floor "$round" "$floor" parse-floor --threads "$threads" "$dir"
            ;;
        ast-grep)
            measure "$corpus" "$threads" ast-grep "$round" \
                "$ast_grep" scan --config "$bench/peers/ast-grep/sgconfig.yml" --json=stream \
                --threads "$threads" "$dir"
            ;;
        semgrep)
            # Local rule file, no metrics, no version check, no .semgrepignore (its default skips
            # test/ and tests/), no .gitignore, gavel's 8 MiB size limit, no per-rule timeout
            # (a timed-out rule skips work the others do).
            measure "$corpus" "$threads" semgrep "$round" \
                "$semgrep" scan --config "$bench/peers/semgrep/$lang.yml" --metrics off \
                --disable-version-check --no-rewrite-rule-ids --x-ignore-semgrepignore-files \
                --no-git-ignore --max-target-bytes 8388608 --timeout 0 --jobs "$threads" \
                --json --quiet "$dir"
            ;;
    esac
}

if ! skipped scan; then
    tools=(gavel ast-grep floor semgrep)
    for ((round = 1; round <= rounds; round++)); do
        for corpus in python rust; do
            for threads in 1 2; do
                # Rotate the order every round, so that no tool always goes first or last.
                order=()
                for ((k = 0; k < ${#tools[@]}; k++)); do
                    order+=("${tools[(k + round - 1) % ${#tools[@]}]}")
                done
                for tool in "${order[@]}"; do
                    if [[ $tool == semgrep ]] && ((round > semgrep_rounds)); then
                        continue
                    fi
                    say "round $round/$rounds: $corpus, $threads thread(s): $tool"
                    run_tool "$corpus" "$threads" "$tool" "$round"
                done
            done
        done
    done
fi

# --- Editor latency and memory -----------------------------------------------------------------

if ! skipped lsp; then
    say "editor latency: 10,000-line files, $edits edits ($baseline_edits for the baseline)"
    mkdir -p "$run/lsp"
    python3 - "$stdlib" "$run/lsp" "$rust_copy" <<'EOF'
import glob, os, sys
stdlib, work, rust = sys.argv[1:4]
lines = []
for f in ["argparse.py", "typing.py", "subprocess.py", "inspect.py"]:
    lines += open(os.path.join(stdlib, f)).read().splitlines()
open(os.path.join(work, "big.py"), "w").write("\n".join(lines[:10000]) + "\n")
rs = []
for f in sorted(glob.glob(os.path.join(rust, "syn-2.*/src/*.rs"))):
    rs += open(f).read().splitlines()
    if len(rs) > 10000:
        break
open(os.path.join(work, "big.rs"), "w").write("\n".join(rs[:10000]) + "\n")
EOF
    "$lspbench" --gavel "$gavel" --config "$bench/peers/gavel/gavel.toml" \
        --server "ast-grep=$ast_grep lsp -c $bench/peers/ast-grep/sgconfig.yml" \
        --edits "$edits" --baseline-edits "$baseline_edits" --pace-ms "$pace_ms" --wait-ms 10000 \
        --json "$run/lsp.jsonl" --trace "$run/lsp-trace.tsv" \
        "$run/lsp/big.py" "$run/lsp/big.rs" >"$run/lsp.md" ||
        say "gavel-lsp-bench reported a failure (see $run/lsp.md)"
fi

if ! skipped memory; then
    for corpus in python rust; do
        if [[ $corpus == python ]]; then dir="$stdlib_copy"; else dir="$rust_copy"; fi
        say "memory: 200 $corpus files open"
        "$lspbench" --gavel "$gavel" --config "$bench/peers/gavel/gavel.toml" --no-baseline \
            --server "ast-grep=$ast_grep lsp -c $bench/peers/ast-grep/sgconfig.yml" \
            --open 200 --open-dir "$dir" --json "$run/memory-$corpus.jsonl" >"$run/memory-$corpus.md" ||
            say "gavel-lsp-bench reported a failure (see $run/memory-$corpus.md)"
    done
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$run/meta"

# --- Report ------------------------------------------------------------------------------------

if ((write)); then
    python3 "$bench/report.py" "$run" "$bench/RESULTS.md"
    say "wrote bench/RESULTS.md"
    cat "$bench/RESULTS.md"
else
    python3 "$bench/report.py" "$run" -
fi
