#!/usr/bin/env bash
# Every differential test with many more random edit sequences than `cargo test` runs
# (default 10000): the syntax tree and rope against a fresh parse and a string model
# (gavel-syntax), incremental and provisional checks against a full check (gavel-engine), and
# the language server's text, tree and diagnostics against a fresh parse and check (gavel-lsp).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
export GAVEL_DIFF_SEQUENCES="$n"
cargo test --release --locked -p gavel-syntax --lib random_edits_match
cargo test --release --locked -p gavel-engine --test incremental
cargo test --release --locked -p gavel-lsp --test differential
echo "differential: $n sequences per test and language: all passed"
