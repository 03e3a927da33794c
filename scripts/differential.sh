#!/usr/bin/env bash
# The language server's differential test with many more random edit sequences than
# `cargo test` runs (default 5000 per language): text, tree and diagnostics against a fresh
# parse and check after every sequence.
set -euo pipefail
cd "$(dirname "$0")/.."
GAVEL_DIFF_SEQUENCES="${1:-5000}" cargo test --release --locked -p gavel-lsp --test differential
