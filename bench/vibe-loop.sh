#!/usr/bin/env bash
# The vibe loop's figures (issue 15, item 6): the share of findings whose agent message names a
# replacement and the rounds to a clean file (from the vibe_loop test), and the hook's wall time
# per edit on a 5,000-line file against a cold process start, measured in the same run.
#   bench/vibe-loop.sh [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet -p gavel-cli
python3 bench/vibe-loop.py target/release/gavel "${1:-30}"
