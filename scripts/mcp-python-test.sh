#!/usr/bin/env bash
# `gavel mcp` against a real client: the official MCP Python SDK (PyPI `mcp`, pinned), its stdio
# client spawning the built binary in examples/acme-service, in both protocol eras (the
# `initialize` handshake and the stateless 2026-07-28 revision). See tests/mcp/client.py.
set -euo pipefail
cd "$(dirname "$0")/.."

MCP_SDK_VERSION=2.3.0
venv=target/mcp-venv
if ! "$venv/bin/python" -c "import mcp, importlib.metadata as m; assert m.version('mcp') == '$MCP_SDK_VERSION'" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "mcp==$MCP_SDK_VERSION"
fi
cargo build --quiet --locked -p gavel-cli
"$venv/bin/python" tests/mcp/client.py "$PWD/target/debug/gavel" examples/acme-service
