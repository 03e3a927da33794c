#!/usr/bin/env bash
# A screenshot of the Neovim plugin at work, for the README: Neovim 0.11 runs in a tmux pane with
# editors/neovim set up (scripts/screenshot/neovim-init.lua) on a Python file with three
# violations. Two shots: gavel's diagnostics and status line (OUT), then the code action menu on
# one finding (OUT-code-actions.png). `tmux capture-pane -e` takes the pane's text and colours,
# scripts/screenshot/ansi2html.py turns them into HTML, and headless Chromium renders a PNG.
#
#   scripts/screenshot-neovim.sh [out.png]     # default docs/screenshots/neovim.png
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
out="$(realpath -m "${1:-docs/screenshots/neovim.png}")"
nvim="$repo/.cache/neovim-0.11.4/bin/nvim"
[ -x "$nvim" ] || { echo "run scripts/e2e-neovim.sh first (it installs Neovim into .cache/)"; exit 1; }
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install tmux)"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "chromium is needed (apt-get install chromium)"; exit 1; }
if [ -z "${GAVEL_BIN:-}" ]; then
  cargo build --quiet --locked -p gavel-cli
  GAVEL_BIN="$repo/target/debug/gavel"
fi

tmp=$(mktemp -d)
session="gavel-shot-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$tmp"' EXIT
project="$tmp/acme-service"
git init -q "$project"
cat > "$project/app.py" <<'PY'
import subprocess

import yaml


def load_config(path):
    with open(path) as f:
        return yaml.load(f)


def run(cmd):
    return subprocess.run(cmd, shell=True, check=True)


def parse(text):
    return eval(text)
PY

export GAVEL_REPO="$repo" GAVEL_BIN
tmux -f /dev/null new-session -d -s "$session" -x 150 -y 24 -c "$project" \
  "env TERM=tmux-256color XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data GAVEL_REPO=$repo GAVEL_BIN=$GAVEL_BIN $nvim -u $repo/scripts/screenshot/neovim-init.lua app.py"
tmux set-option -t "$session" -g default-terminal tmux-256color >/dev/null
tmux set-option -t "$session" -ga terminal-overrides ",*:RGB" >/dev/null

wait_screen() { # wait until the pane shows $1
  for _ in $(seq 1 150); do
    if tmux capture-pane -t "$session" -p | grep -qF -- "$1"; then return 0; fi
    sleep 0.2
  done
  echo "the pane never showed: $1"; tmux capture-pane -t "$session" -p; exit 1
}
wait_screen "py.eval-used:"
wait_screen "py.yaml-load:"
wait_screen "py.subprocess-shell:"
wait_screen "gavel: "
shoot() { # shoot OUT.png: the pane as it is now
  tmux capture-pane -t "$session" -e -p > "$tmp/pane.ansi"
  python3 scripts/screenshot/ansi2html.py "$tmp/pane.ansi" > "$tmp/pane.html"
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --window-size=1380,460 --screenshot="$1" "file://$tmp/pane.html" 2>/dev/null
  echo "wrote $1"
}
mkdir -p "$(dirname "$out")"
shoot "$out"
# Open the code actions on yaml.load (line 8).
tmux send-keys -t "$session" "8G" "20|" ":lua vim.lsp.buf.code_action()" Enter
wait_screen "Use yaml.safe_load"
shoot "${out%.png}-code-actions.png"
