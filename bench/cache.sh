#!/usr/bin/env bash
# The result cache against a cold run and against ruff, in the same run (issue 16): `gavel check`
# cold (empty .gavel_cache), warm (twice), and with --no-cache, beside `ruff check` cold
# (--no-cache) and warm, on Django's sdist (PyPI) and this machine's CPython standard library.
# Prints wall, user and sys seconds, and the warm ratios.
#   bench/cache.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DJANGO=5.2.8 RUFF=0.17.6
work="$PWD/bench/.cache/cache-bench"
mkdir -p "$work"
cargo build --release --locked --quiet -p gavel-cli
gavel="$PWD/target/release/gavel"
[ -x "$work/venv/bin/ruff" ] || { python3 -m venv "$work/venv"; "$work/venv/bin/pip" install -q "ruff==$RUFF"; }
ruff="$work/venv/bin/ruff"
if [ ! -d "$work/django-$DJANGO" ]; then
    "$work/venv/bin/pip" download -q "django==$DJANGO" --no-deps --no-binary :all: -d "$work"
    tar xzf "$work/django-$DJANGO.tar.gz" -C "$work"
    (cd "$work/django-$DJANGO" && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm django)
fi
if [ ! -d "$work/stdlib" ]; then
    lib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
    cp -r "$lib" "$work/stdlib" && rm -rf "$work/stdlib/site-packages"
    find "$work/stdlib" -name __pycache__ -prune -exec rm -rf {} +
fi
t() { /usr/bin/time -f "%e %U %S" "$@" > /dev/null 2> "$work/t.err" || true; tail -1 "$work/t.err"; }
for corpus in "django-$DJANGO" stdlib; do
    cd "$work/$corpus"
    rm -rf .gavel_cache .ruff_cache
    echo "== $corpus ($(find . -name '*.py' | wc -l) Python files); seconds: wall user sys"
    g_cold=$(t "$gavel" check . --fail-on never --no-baseline)
    g_warm=$(t "$gavel" check . --fail-on never --no-baseline)
    g_warm2=$(t "$gavel" check . --fail-on never --no-baseline)
    g_none=$(t "$gavel" check . --fail-on never --no-baseline --no-cache)
    r_cold=$(t "$ruff" check . --no-cache --exit-zero -q)
    r_warm=$(t "$ruff" check . --exit-zero -q)
    r_warm2=$(t "$ruff" check . --exit-zero -q)
    printf '%-22s %s\n' "gavel cold" "$g_cold" "gavel warm" "$g_warm" "gavel warm again" "$g_warm2" \
        "gavel --no-cache" "$g_none" "ruff cold" "$r_cold" "ruff warm" "$r_warm" "ruff warm again" "$r_warm2"
    GAVEL_LOG=debug "$gavel" check . --fail-on never --no-baseline 2>&1 >/dev/null | grep "cache:" || true
    python3 -c "
g, c, r = (float(x.split()[0]) for x in '''$g_warm2|$g_cold|$r_warm2'''.split('|'))
print(f'gavel warm / gavel cold: {g / c:.3f}; gavel warm / ruff warm: {g / r:.2f}')"
    cd - > /dev/null
done
