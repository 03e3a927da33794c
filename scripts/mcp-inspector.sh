#!/usr/bin/env bash
# `gavel mcp` under the MCP Inspector's CLI mode (npm `@modelcontextprotocol/inspector`, pinned):
# tools/list with --strict (exits 6 on a tool schema that is not portable across model
# providers), then a call of each tool in examples/acme-service, each answer checked.
set -euo pipefail
cd "$(dirname "$0")/.."

INSPECTOR_VERSION=2.12.0
prefix=target/mcp-inspector
inspector="$prefix/node_modules/.bin/mcp-inspector"
if ! grep -qs "\"version\": \"$INSPECTOR_VERSION\"" "$prefix/node_modules/@modelcontextprotocol/inspector/package.json"; then
    npm install --prefix "$prefix" --no-audit --no-fund --silent "@modelcontextprotocol/inspector@$INSPECTOR_VERSION"
fi
cargo build --quiet --locked -p gavel-cli
gavel="$PWD/target/debug/gavel"
inspect() { (cd examples/acme-service && "$PWD/../../$inspector" --cli "$gavel" mcp "$@"); }

# Each answer must hold the text after it (a Python check, so a miss says what came instead).
expect() {
    python3 -c '
import json, sys
answer, want = json.load(sys.stdin), sys.argv[1]
text = json.dumps(answer)
print(("ok   " if want in text else "FAIL ") + sys.argv[2])
sys.exit(0 if want in text else 1)' "$@"
}

inspect --strict --method tools/list | expect '"readOnlyHint": true' "tools/list, strict: portable schemas, read-only hints"
inspect --method tools/call --tool-name gavel_check --tool-arg 'paths=["python/orders/billing.py"]' \
    | expect 'Instead: acme_http.get(url)' "gavel_check: agent messages"
inspect --method tools/call --tool-name gavel_fix --tool-arg path=python/orders/new.py 'text=import requests' \
    | expect 'import acme_http' "gavel_fix: the fixed text"
inspect --method tools/call --tool-name gavel_explain --tool-arg rule=acme.http-client \
    | expect 'Sanctioned: use acme_http' "gavel_explain"
inspect --method tools/call --tool-name gavel_rules --tool-arg path=rust/src/lib.rs \
    | expect 'acme.rs-reqwest' "gavel_rules"
inspect --method tools/call --tool-name gavel_guidance --tool-arg 'topic=http client' \
    | expect 'acme_http' "gavel_guidance"
# The Inspector exits non-zero on an error result, which is the answer wanted here.
{ inspect --method tools/call --tool-name gavel_check --tool-arg 'paths=["../../Cargo.toml"]' 2>/dev/null || true; } \
    | expect 'outside the workspace roots' "a path outside the root is an error result"
echo "MCP Inspector: all checks passed"
