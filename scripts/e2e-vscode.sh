#!/usr/bin/env bash
# End-to-end test of the VS Code extension (editors/vscode) in a real VS Code: code-server
# 4.100.3 from the npm registry, driven through its UI by headless Debian Chromium with
# playwright-core (tests/e2e/vscode/e2e.mjs). Takes a few minutes on first run (it installs
# code-server into .cache/), about a minute after that.
#
#   scripts/e2e-vscode.sh            # screenshots go to target/e2e-vscode/
#   GAVEL_E2E_SHOTS=docs/screenshots scripts/e2e-vscode.sh   # refresh the README's screenshot
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

CODE_SERVER_VERSION=4.100.3   # the last one that runs on node 20
cs_prefix="$repo/.cache/code-server-$CODE_SERVER_VERSION"
cs_pkg="$cs_prefix/lib/node_modules/code-server"
code_server="$cs_prefix/bin/code-server"
shots="${GAVEL_E2E_SHOTS:-$repo/target/e2e-vscode}"
step() { printf '\n==> %s\n' "$*"; }

step "Debian packages (chromium; build tools for code-server's native modules; ripgrep)"
apt_packages=(chromium build-essential pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x "$code_server" ] || [ ! -e "$cs_pkg/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  step "code-server $CODE_SERVER_VERSION into $cs_prefix"
  rm -rf "$cs_prefix"
  # As root a plain install fails in its postinstall: install without scripts, then run them.
  npm install -g --prefix "$cs_prefix" --ignore-scripts --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  (cd "$cs_pkg" && npm rebuild argon2)
  # @vscode/ripgrep downloads a ripgrep release at install; give it Debian's rg as its cached
  # download instead (the cache it checks first: $TMPDIR/vscode-ripgrep-cache-VERSION/).
  rg_version=$(node -e 'const l=require(process.argv[1]);const p=l.packages["node_modules/@vscode/ripgrep"];console.log(p.version)' \
    "$cs_pkg/lib/vscode/npm-shrinkwrap.json")
  rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_version"
  rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$rg_tar" ]; then
    mkdir -p "$rg_cache"
    tmp_rg=$(mktemp -d)
    cp "$(command -v rg)" "$tmp_rg/rg"
    tar czf "$rg_tar" -C "$tmp_rg" rg
    rm -rf "$tmp_rg"
  fi
  (cd "$cs_pkg" && npm_config_unsafe_perm=true npm_config_yes=true npm run postinstall)
  test -x "$cs_pkg/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
fi
"$code_server" --version | tail -1

if [ -n "${GAVEL_BIN:-}" ]; then
  gavel_bin="$(realpath "$GAVEL_BIN")"   # a prebuilt gavel instead of building one
else
  step "gavel (cargo build -p gavel-cli)"
  cargo build --quiet --locked -p gavel-cli
  gavel_bin="$repo/target/debug/gavel"
fi

step "the extension (npm ci && npm run package in editors/vscode)"
(cd editors/vscode && npm ci --no-audit --no-fund && npm run package)

step "playwright-core (npm ci in tests/e2e/vscode)"
(cd tests/e2e/vscode && npm ci --no-audit --no-fund)

tmp=$(mktemp -d)
cs_pid=""
cleanup() {
  if [ -n "$cs_pid" ]; then kill "$cs_pid" 2>/dev/null || true; wait "$cs_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

extensions="$tmp/extensions"
mkdir -p "$extensions"
cat > "$tmp/config.yaml" <<YAML
bind-addr: 127.0.0.1:0
auth: none
cert: false
YAML

# user_settings DIR TRUST: a fresh user-data dir whose user settings run our gavel.
user_settings() {
  mkdir -p "$1/User"
  cat > "$1/User/settings.json" <<JSON
{
  "gavel.path": "$gavel_bin",
  "gavel.trace.server": "messages",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": $2,
  "security.workspace.trust.startupPrompt": "never",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "window.commandCenter": false
}
JSON
}

# new_project DIR: a git repository with a gavel.toml and a Python file that breaks py.yaml-load.
new_project() {
  git init -q "$1"
  printf 'import yaml\n\n\ndef load_config(path):\n    with open(path) as f:\n        return yaml.load(f)\n' > "$1/app.py"
  printf '# The built-in packs apply, as with no gavel.toml.\n[rules]\n"py.assert-used" = "warning"\n' > "$1/gavel.toml"
}

step "install the vsix into code-server"
user_settings "$tmp/user-data" false
"$code_server" --config "$tmp/config.yaml" --user-data-dir "$tmp/user-data" --extensions-dir "$extensions" \
  --install-extension "$repo/editors/vscode/gavel.vsix"
"$code_server" --config "$tmp/config.yaml" --user-data-dir "$tmp/user-data" --extensions-dir "$extensions" \
  --list-extensions --show-versions

# run_vscode USER_DATA PROJECT SCRIPT [code-server flags]: serve VS Code on 127.0.0.1 and drive it.
run_vscode() {
  local user_data="$1" project="$2" script="$3"
  shift 3
  local port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$code_server" --config "$tmp/config.yaml" --user-data-dir "$user_data" --extensions-dir "$extensions" \
    --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
    --disable-getting-started-override "$@" "$project" >"$user_data.log" 2>&1 &
  cs_pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$cs_pid" 2>/dev/null; then cat "$user_data.log"; echo "code-server exited"; exit 1; fi
    sleep 0.2
  done
  echo "code-server on 127.0.0.1:$port: $(curl -fsS "http://127.0.0.1:$port/healthz")"
  local status=0
  GAVEL_E2E_URL="http://127.0.0.1:$port/?folder=$project" GAVEL_E2E_PROJECT="$project" GAVEL_E2E_SHOTS="$shots" \
    node "$script" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "--- code-server log (last 40 lines)"; tail -40 "$user_data.log"
    find "$user_data/logs" -name '*gavel*' -print -exec tail -40 {} \; 2>/dev/null || true
  fi
  kill "$cs_pid" 2>/dev/null || true
  wait "$cs_pid" 2>/dev/null || true
  cs_pid=""
  return "$status"
}

mkdir -p "$shots"
step "drive VS Code in headless Chromium (tests/e2e/vscode/e2e.mjs)"
new_project "$tmp/project"
run_vscode "$tmp/user-data" "$tmp/project" tests/e2e/vscode/e2e.mjs --disable-workspace-trust

step "Restricted Mode: an untrusted workspace's gavel.path is ignored (tests/e2e/vscode/restricted.mjs)"
user_settings "$tmp/user-data-restricted" true
new_project "$tmp/untrusted"
# The workspace asks VS Code to run its own "gavel": a script that would leave a mark.
mkdir -p "$tmp/untrusted/.vscode"
printf '#!/bin/sh\ntouch "%s"\nexit 1\n' "$tmp/untrusted/RAN" > "$tmp/untrusted/not-gavel"
chmod +x "$tmp/untrusted/not-gavel"
printf '{ "gavel.path": "%s" }\n' "$tmp/untrusted/not-gavel" > "$tmp/untrusted/.vscode/settings.json"
run_vscode "$tmp/user-data-restricted" "$tmp/untrusted" tests/e2e/vscode/restricted.mjs
