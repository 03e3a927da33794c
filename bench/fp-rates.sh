#!/usr/bin/env bash
# False-positive rates of the built-in packs on code gavel's authors did not write: this
# machine's Python standard library (without site-packages) and the crates in
# ~/.cargo/registry/src. See bench/FP-RATES.md for the figures and how they were classified.
#
# usage: bench/fp-rates.sh [--sample N] [--seed S] [--no-build]
#
#   (no flags)   build target/release/gavel, check both corpora with the built-in packs
#                (`gavel check --format json --fail-on never`, no gavel.toml), and print the
#                findings per rule, with the sampled false-positive rate per rule from
#                bench/fp-verdicts.tsv (the hand classification) where samples were classified.
#   --sample N   also write N sampled findings per rule and corpus (default 12), with their
#                source line and its neighbours, to bench/.cache/fp/samples-{stdlib,cargo}.txt,
#                marking those not classified yet in bench/fp-verdicts.tsv.
#   --seed S     the sampling seed (default 4). Samples are the N findings of a rule whose
#                hash(seed, location) is smallest, so tuning a rule keeps the samples that
#                still fire and adds a few new ones.
#   --no-build   use target/release/gavel as it is.
#
# Reports and samples go to bench/.cache/fp/ (gitignored); nothing else in the repository is
# written.
set -euo pipefail

sample=12
seed=4
build=1
write_samples=0
while (($#)); do
    case "$1" in
        --sample)
            sample="${2:?--sample needs a number}"
            write_samples=1
            shift 2
            ;;
        --seed)
            seed="${2:?--seed needs a number}"
            shift 2
            ;;
        --no-build)
            build=0
            shift
            ;;
        -h | --help)
            sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "fp-rates: unknown argument '$1' (try --help)" >&2
            exit 2
            ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/bench/.cache"
out="$cache/fp"
gavel="$root/target/release/gavel"
say() { echo "fp-rates: $*" >&2; }

command -v python3 >/dev/null || {
    say "python3 is needed: its standard library is one of the corpora"
    exit 1
}
if ((build)); then
    say "building target/release/gavel"
    (cd "$root" && cargo build --release --quiet -p gavel-cli)
fi
mkdir -p "$out"

# The Python standard library without site-packages and __pycache__ (the copy check-stdlib.sh
# makes; made here if missing). A copy, so that no gavel.toml or .gitignore around the
# interpreter changes what is checked.
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
stamp="$cache/stdlib.source"
if [[ ! -d "$cache/stdlib" || "$(cat "$stamp" 2>/dev/null)" != "$stdlib" ]]; then
    say "copying $stdlib (without site-packages, __pycache__) to bench/.cache/stdlib"
    rm -rf "$cache/stdlib" "$cache/stdlib.tmp" "$stamp"
    python3 - "$stdlib" "$cache/stdlib.tmp" <<'EOF'
import shutil, sys
shutil.copytree(sys.argv[1], sys.argv[2], symlinks=True,
                ignore=shutil.ignore_patterns("site-packages", "__pycache__"))
EOF
    mv "$cache/stdlib.tmp" "$cache/stdlib"
    echo "$stdlib" >"$stamp"
fi

# The crates Cargo has downloaded, checked in place (read only).
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
if [[ ! -d "$registry" ]]; then
    say "$registry does not exist: fetch some crates first (cargo fetch in this repository)"
    exit 1
fi

say "checking the Python standard library"
"$gavel" check --format json --fail-on never "$cache/stdlib" >"$out/stdlib.json" 2>"$out/stdlib.err"
say "checking $registry"
"$gavel" check --format json --fail-on never "$registry" >"$out/cargo.json" 2>"$out/cargo.err"

python3 - "$root" "$out" "$cache/stdlib" "$registry" "$sample" "$seed" "$write_samples" "$stdlib" <<'EOF'
import collections, hashlib, json, os, sys

root, out, stdlib_root, registry, n, seed, write_samples, stdlib_src = sys.argv[1:]
n, write_samples = int(n), write_samples == "1"
corpora = {"stdlib": stdlib_root, "cargo": registry}


def rel(corpus, path):
    """A finding's path relative to its corpus root; for crates, without the index directory."""
    p = os.path.relpath(os.path.abspath(path), corpora[corpus])
    if corpus == "cargo":
        p = p.split(os.sep, 1)[1] if os.sep in p else p
    return p.replace(os.sep, "/")


def rank(key):
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


verdicts = {}
verdicts_file = os.path.join(root, "bench", "fp-verdicts.tsv")
if os.path.exists(verdicts_file):
    for line in open(verdicts_file, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        corpus, rule, where, verdict, *_ = line.rstrip("\n").split("\t")
        verdicts[(corpus, rule, where)] = verdict

reports, samples = {}, {}
for corpus in corpora:
    report = json.load(open(os.path.join(out, f"{corpus}.json"), encoding="utf-8"))
    reports[corpus] = report
    by_rule = collections.defaultdict(list)
    for f in report["findings"]:
        where = f"{rel(corpus, f['path'])}:{f['start']['line']}"
        by_rule[f["rule"]].append((where, f))
    samples[corpus] = {
        rule: sorted(items, key=lambda it: rank(f"{rule}:{it[0]}"))[:n]
        for rule, items in by_rule.items()
    }

crates = sum(len(os.listdir(os.path.join(registry, d))) for d in os.listdir(registry))
print(f"Python standard library: {stdlib_src} ({reports['stdlib']['summary']['files']} files)")
print(f"Crates: {registry} ({crates} crates, {reports['cargo']['summary']['files']} files)")
print(f"Samples: up to {n} findings per rule and corpus, seed {seed}; FP rate from bench/fp-verdicts.tsv")
print()
print(f"{'rule':34} {'corpus':7} {'findings':>8} {'files':>6} {'sampled':>7} {'FP':>4} {'FP rate':>8}")
rows = []
for corpus, report in reports.items():
    counts = collections.Counter(f["rule"] for f in report["findings"])
    files = collections.defaultdict(set)
    for f in report["findings"]:
        files[f["rule"]].add(f["path"])
    for rule, count in counts.items():
        classified = [verdicts.get((corpus, rule, w)) for w, _ in samples[corpus][rule]]
        classified = [v for v in classified if v]
        fp = sum(v == "FP" for v in classified)
        rate = f"{100 * fp / len(classified):.0f}%" if classified else "-"
        rows.append((rule, corpus, count, len(files[rule]), len(classified), fp, rate))
for rule, corpus, count, nfiles, sampled, fp, rate in sorted(rows):
    print(f"{rule:34} {corpus:7} {count:8d} {nfiles:6d} {sampled:7d} {fp:4d} {rate:>8}")
total = {c: r["summary"]["findings"] for c, r in reports.items()}
print(f"\ntotal findings: stdlib {total['stdlib']}, cargo {total['cargo']}")

if write_samples:
    for corpus in corpora:
        path = os.path.join(out, f"samples-{corpus}.txt")
        todo = 0
        with open(path, "w", encoding="utf-8") as fh:
            for rule in sorted(samples[corpus]):
                for where, f in samples[corpus][rule]:
                    verdict = verdicts.get((corpus, rule, where))
                    todo += verdict is None
                    fh.write(f"{corpus}\t{rule}\t{where}\t{verdict or '?'}\t{f['message']}\n")
                    try:
                        lines = open(f["path"], encoding="utf-8").read().split("\n")
                    except OSError:
                        lines = []
                    line = f["start"]["line"]
                    for i in range(max(1, line - 2), min(len(lines), line + 2) + 1):
                        mark = ">" if i == line else " "
                        fh.write(f"    {mark}{i:6d} | {lines[i - 1][:160]}\n")
                    fh.write("\n")
        print(f"samples: {path} ({todo} not classified yet)")
EOF
