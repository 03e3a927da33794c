#!/usr/bin/env bash
# Time and memory of `gavel check` (release, built-in packs) on generated files of 1,000 to
# 8,000 items of every construct that once cost the square of the file's size (issue 21), and on
# web-sys's generated `features/mod.rs` (331 KB). Prints wall time and peak RSS per size and the
# 8,000/1,000 ratios: linear is about 8x or less, quadratic 64x.
#   bench/scaling.sh            # every construct
#   bench/scaling.sh vec glob   # some
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --locked -q -p gavel-cli
gavel="$PWD/target/release/gavel"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kinds=("$@")
((${#kinds[@]})) || kinds=(cfgglob glob rsuses vec blocks chain rsmod macros evalline nesteval pychain bigpy pystar pyimports pyclass suppr fix)
measure() { # DIR -> "seconds KB"
    /usr/bin/time -f "%e %M" -o "$work/t" "$gavel" check --format json --fail-on never "$1" >/dev/null 2>&1 || true
    cat "$work/t"
}
printf '%-10s %14s %14s %14s %14s %9s %9s\n' construct 1000 2000 4000 8000 time-8x mem-8x
for k in "${kinds[@]}"; do
    line=$(printf '%-10s' "$k")
    first=() last=()
    for n in 1000 2000 4000 8000; do
        dir="$work/$k-$n"
        python3 bench/scaling-gen.py "$k" "$n" "$dir" >/dev/null
        read -r s kb < <(measure "$dir")
        line+=$(printf ' %7ss %5sM' "$s" "$((kb / 1024))")
        ((n == 1000)) && first=("$s" "$kb")
        ((n == 8000)) && last=("$s" "$kb")
    done
    line+=$(python3 -c "import sys; a,b,c,d=map(float,sys.argv[1:]); print(f' {b/max(a,0.01):8.1f}x {d/c:8.1f}x')" "${first[0]}" "${last[0]}" "${first[1]}" "${last[1]}")
    echo "$line"
done
# web-sys's features/mod.rs: 331 KB of `#[cfg(feature = "..")] pub use ...::*;`, no findings.
proj="$work/websys"
mkdir -p "$proj/src" && touch "$proj/src/lib.rs"
printf '[package]\nname = "websys-fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nweb-sys = "=0.3.77"\n' >"$proj/Cargo.toml"
(cd "$proj" && cargo fetch -q)
mod=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/web-sys-0.3.77/src/features/mod.rs | head -1)
mkdir -p "$work/websys-check" && cp "$mod" "$work/websys-check/mod.rs"
read -r s kb < <(measure "$work/websys-check")
echo "web-sys 0.3.77 features/mod.rs ($(($(wc -c <"$mod") / 1024)) KB): ${s}s, $((kb / 1024)) MB peak RSS"
