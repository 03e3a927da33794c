#!/usr/bin/env bash
# The whole test suite, as CI runs it on a clean clone: formatting, lints, every cargo test
# (unit, engine fixtures, CLI end-to-end with SARIF schema validation), and the examples of
# every shipped policy pack through the real binary, the MCP server under the official Python
# SDK's client, the VS Code extension's checks and Neovim end to end.
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

step "MCP: the official Python SDK's client against gavel mcp (scripts/mcp-python-test.sh)"
scripts/mcp-python-test.sh

step "pre-commit: the hooks under the real pre-commit (scripts/pre-commit-test.sh)"
scripts/pre-commit-test.sh

step "VS Code extension: npm ci, typecheck, lint, unit tests, bundle, package (editors/vscode)"
(cd editors/vscode && npm ci --no-audit --no-fund && npm run package)

step "Neovim end-to-end (scripts/e2e-neovim.sh)"
scripts/e2e-neovim.sh

step "agents' instructions in step with the packs (gavel agents-md --check examples/acme-service/AGENTS.md)"
(cd examples/acme-service && cargo run --quiet --locked -p gavel-cli -- agents-md --check AGENTS.md)

step "gavel report in headless Chromium (scripts/e2e-report.sh)"
GAVEL_BIN=target/debug/gavel scripts/e2e-report.sh  # the debug build cargo test made: no second build
