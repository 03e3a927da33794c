#!/usr/bin/env bash
# `gavel report` looked at in a real browser: the report of a real history nobody here wrote
# (../shared/corpora/simonw-llm.bundle, 1,245 commits with real Co-Authored-By: Claude
# trailers) and of a small history made here with suppressions and approvals, each rendered in
# headless Debian Chromium with playwright-core (tests/e2e/report/report.mjs), which checks
# every chart against the JSON and takes a full-page screenshot.
#
#   scripts/e2e-report.sh                                   # screenshots in target/e2e-report/
#   GAVEL_E2E_SHOTS=docs/screenshots scripts/e2e-report.sh  # refresh the README's screenshot
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
out="$repo/target/e2e-report"
shots="${GAVEL_E2E_SHOTS:-$out}"
bundle="${GAVEL_LLM_BUNDLE:-$repo/../shared/corpora/simonw-llm.bundle}"
step() { printf '\n==> %s\n' "$*"; }

step "Debian chromium"
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

step "playwright-core (npm ci in tests/e2e/report)"
(cd tests/e2e/report && npm ci --no-audit --no-fund)

if [ -n "${GAVEL_BIN:-}" ]; then
  gavel="$(realpath "$GAVEL_BIN")"
else
  step "gavel (cargo build --release -p gavel-cli)"
  cargo build --quiet --release --locked -p gavel-cli
  gavel="$repo/target/release/gavel"
fi

rm -rf "$out/llm" "$out/made"
mkdir -p "$out"

step "simonw/llm: gavel report (the built-in packs)"
git clone -q -b main "$bundle" "$out/llm"
(cd "$out/llm" && time "$gavel" report --out "$out/llm.html" && "$gavel" report --quiet --format json --out "$out/llm.json")
node tests/e2e/report/report.mjs "$out/llm.html" "$out/llm.json" "$shots/report.png"

step "a made history with suppressions and approvals"
made="$out/made"
mkdir -p "$made/service"
commit() { # DATE MESSAGE
  git -C "$made" add -A
  GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
    git -C "$made" -c user.name=Dev -c user.email=dev@example.com -c commit.gpgsign=false \
    commit -q -m "$2"
}
git -C "$made" -c init.defaultBranch=main init -q
cat > "$made/gavel.toml" <<'TOML'
policies = ["house.toml"]
TOML
cat > "$made/house.toml" <<'TOML'
[pack]
id = "house"
[[rule]]
id = "house.eval"
language = "python"
severity = "warning"
message = "eval runs arbitrary code"
[rule.match]
call = ["eval"]
[[rule]]
id = "house.requests"
language = "python"
severity = "error"
message = "Use the company HTTP client"
instead = "acme_http.get(url)"
[rule.match]
call = ["requests.get"]
TOML
printf 'import requests\nrequests.get(u)\n' > "$made/service/api.py"
commit 2025-03-03 "first"
printf 'import requests\nrequests.get(u)\nrequests.get(v)\neval(x)\n' > "$made/service/api.py"
commit 2025-03-05 "handlers

Co-Authored-By: Claude <noreply@anthropic.com>"
printf 'import requests\nrequests.get(v)\neval(x)  # gavel: allow(house.eval) constant input\n' > "$made/service/api.py"
commit 2025-03-14 "use the client"
fp=$("$gavel" check --format json --fail-on never "$made/service/api.py" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["findings"][0]["fingerprint"])')
mkdir -p "$made/.gavel"
cat > "$made/.gavel/approvals.toml" <<TOML
[[approval]]
rule = "house.requests"
path = "service/api.py"
fingerprint = "$fp"
reason = "the vendor SDK needs it until Q3"
approver = "owner@example.com"
date = "2025-03-14"
expires = "2099-01-01"
TOML
(cd "$made" && "$gavel" report --out "$out/made.html" && "$gavel" report --quiet --format json --out "$out/made.json")
node tests/e2e/report/report.mjs "$out/made.html" "$out/made.json" "$shots/report-made.png"
