#!/usr/bin/env bash
# The whole test suite, as CI runs it on a clean clone: formatting, lints, every cargo test
# (unit, engine fixtures, CLI end-to-end with SARIF schema validation), and the examples of
# every shipped policy pack through the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "gavel test policies/"
cargo run --quiet --locked -p gavel-cli -- test policies/

step "VS Code extension: npm ci, typecheck, lint, unit tests, bundle, package (editors/vscode)"
(cd editors/vscode && npm ci --no-audit --no-fund && npm run package)

step "Neovim end-to-end (scripts/e2e-neovim.sh)"
scripts/e2e-neovim.sh
