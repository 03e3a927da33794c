#!/usr/bin/env bash
# Provenance cost in CI: `gavel check` on a generated repository of 1,000 stdlib files and
# 2,001 commits (bench/make-history-repo.py: 15% with an AI co-author trailer, 5% aider-style),
# with --scope all and --scope ai, next to the same files without .git (no git read at all:
# the baseline), interleaved over ROUNDS rounds (default 5); prints medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-5}"
cargo build --release --locked -p gavel-cli >&2
gavel="$PWD/target/release/gavel"
cache="$PWD/bench/.cache"
repo="$cache/history-repo"
# Outside this repository, so that no git is read at all.
plain="${TMPDIR:-/tmp}/gavel-history-plain"
if [[ ! -d "$repo/.git" ]]; then
    stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
    mkdir -p "$cache"
    python3 bench/make-history-repo.py "$stdlib" "$repo" >&2
fi
if [[ ! -d "$plain" ]]; then
    cp -r "$repo" "$plain"
    rm -rf "$plain/.git"
fi
python3 - "$gavel" "$repo" "$plain" "$ROUNDS" <<'PY'
import json, os, statistics, subprocess, sys, time
gavel, repo, plain, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
variants = [
    ("no .git (baseline)", plain, []),
    ("--scope all", repo, ["--scope", "all"]),
    ("--scope ai", repo, ["--scope", "ai"]),
]
times = {name: [] for name, _, _ in variants}
summaries = {}
for r in range(rounds):
    order = variants if r % 2 == 0 else list(reversed(variants))
    for name, cwd, args in order:
        t = time.perf_counter()
        out = subprocess.run([gavel, "check", "--format", "json", "--fail-on", "never", *args],
                             cwd=cwd, capture_output=True, check=True).stdout
        times[name].append(time.perf_counter() - t)
        summaries[name] = json.loads(out)["summary"]
commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo,
                         capture_output=True, text=True).stdout.strip()
files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.count("\n")
print(f"# gavel check with provenance ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
      f"{files} files, {commits} commits, median of {rounds})\n")
print("| variant | wall s | vs baseline | findings | ai | changed | unchanged | unknown |")
print("|---|---|---|---|---|---|---|---|")
base = statistics.median(times[variants[0][0]])
for name, _, _ in variants:
    m = statistics.median(times[name])
    s = summaries[name]
    p = s["provenance"]
    print(f"| {name} | {m:.2f} | {m / base:.2f}× | {s['findings']} | {p['ai']} | {p['changed']} "
          f"| {p['unchanged']} | {p['unknown']} |")
PY

# The editor: a keystroke with provenance on versus off, in a 10,000-line file of a repository
# whose history has a human commit (the first half) and an AI-co-authored one (the rest).
cargo build --release --locked -p gavel-bench >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import os, subprocess, sys, sysconfig
work = sys.argv[1]
stdlib = sysconfig.get_paths()["stdlib"]
lines = []
for f in ["argparse.py", "typing.py", "subprocess.py", "inspect.py"]:
    lines += open(os.path.join(stdlib, f)).read().splitlines()
lines = lines[:10000]
git = ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"]
subprocess.run(["git", "init", "-q", "-b", "main", work], check=True)
open(os.path.join(work, "big.py"), "w").write("\n".join(lines[:5000]) + "\n")
subprocess.run(git + ["add", "big.py"], cwd=work, check=True)
subprocess.run(git + ["commit", "-qm", "human half"], cwd=work, check=True)
open(os.path.join(work, "big.py"), "w").write("\n".join(lines) + "\n")
subprocess.run(git + ["commit", "-qam", "the rest\n\nCo-authored-by: Claude <noreply@anthropic.com>"],
               cwd=work, check=True)
PY
echo
echo "## A keystroke with provenance on and off (10,000-line big.py, 2 commits, ${EDITS:-300} edits)"
echo
target/release/gavel-lsp-bench --gavel target/release/gavel --no-baseline \
    --gavel-variant 'gavel, provenance off={"provenance":false}' \
    --edits "${EDITS:-300}" "$work/big.py"
