#!/usr/bin/env bash
# Editor latency and memory of `gavel lsp`, driven over stdio like an editor by gavel-lsp-bench:
# a 10,000-line Python file (from the standard library) and a 10,000-line Rust file (from syn in
# the cargo registry), 1,000 single-character edits each at typing pace, with incremental
# parsing and checking on, then off (a full reparse and check per change: the baseline, given
# BASELINE_EDITS edits, default 200, because it falls behind typing); then RSS with 200 typical
# files open. The built-in packs apply. bench/run.sh measures the same against ast-grep lsp.
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS="${EDITS:-1000}"
PACE_MS="${PACE_MS:-30}"
BASELINE_EDITS="${BASELINE_EDITS:-200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --locked -p gavel-cli -p gavel-bench >&2
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
python3 - "$stdlib" "$work" <<'PY'
import glob, os, sys
stdlib, work = sys.argv[1], sys.argv[2]
lines = []
for f in ["argparse.py", "typing.py", "subprocess.py", "inspect.py"]:
    lines += open(os.path.join(stdlib, f)).read().splitlines()
open(os.path.join(work, "big.py"), "w").write("\n".join(lines[:10000]) + "\n")
rs = []
for f in sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/syn-2.*/src/*.rs"))):
    rs += open(f).read().splitlines()
    if len(rs) > 10000:
        break
open(os.path.join(work, "big.rs"), "w").write("\n".join(rs[:10000]) + "\n")
PY
echo "# gavel lsp: edit-to-diagnostics latency ($(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo
target/release/gavel-lsp-bench --gavel target/release/gavel --edits "$EDITS" --baseline-edits "$BASELINE_EDITS" --pace-ms "$PACE_MS" \
  "$work/big.py" "$work/big.rs" -- "$stdlib"
