#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) under the real pre-commit from PyPI (pinned):
# `pre-commit try-repo` of this repository in a new git project, once with a file that breaks a
# built-in rule (the hook fails and names the finding) and once clean (it passes); then
# gavel-fix rewrites a fixable finding.
set -euo pipefail
cd "$(dirname "$0")/.."

PRE_COMMIT_VERSION=4.7.0
venv=target/pre-commit-venv
if ! "$venv/bin/pre-commit" --version 2>/dev/null | grep -q "$PRE_COMMIT_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
fi
cargo build --quiet --locked -p gavel-cli
export PATH="$PWD/target/debug:$PATH"
repo="$PWD"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
cd "$work"
git init -q project && cd project
git config user.email t@example.com && git config user.name t
printf 'import yaml\n\ndef load(f):\n    return yaml.load(f)\n' > app.py
git add app.py

fail() { echo "FAIL: $*"; exit 1; }
set +e
out=$("$repo/$venv/bin/pre-commit" try-repo "$repo" gavel --files app.py 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || fail "the hook should fail on app.py (exit $code): $out"
grep -q "py.yaml-load" <<<"$out" || fail "the hook output names py.yaml-load: $out"
echo "ok   gavel: fails and names the finding"

printf 'import yaml\n\ndef load(f):\n    return yaml.safe_load(f)\n' > app.py
git add app.py
"$repo/$venv/bin/pre-commit" try-repo "$repo" gavel --files app.py > /dev/null 2>&1 \
    || fail "the hook should pass on a clean file"
echo "ok   gavel: passes a clean file"

printf 'import yaml\n\ndef load(f):\n    return yaml.load(f)\n' > app.py
git add app.py
"$repo/$venv/bin/pre-commit" try-repo "$repo" gavel-fix --files app.py > /dev/null 2>&1 || true
grep -q "yaml.safe_load(f)" app.py || fail "gavel-fix should rewrite app.py: $(cat app.py)"
echo "ok   gavel-fix: rewrites the fixable finding"
echo "pre-commit: all checks passed"
