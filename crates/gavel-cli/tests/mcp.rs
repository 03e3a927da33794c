//! `gavel mcp` (SPEC 7.2) end to end: the real binary on stdio, spoken to in raw JSON-RPC lines
//! as clients send them, in both protocol eras: the `initialize` handshake (2025-11-25, and the
//! 2025-06-18 many clients still send) and the stateless 2026-07-28 (`server/discover`, each
//! request with its `_meta`). What is asserted is what an agent reads: each result's text, its
//! `isError`, and its structured content (arrays by length).
//!
//! The official MCP Python SDK's client runs against the same binary in
//! `scripts/mcp-python-test.sh`, and the MCP Inspector's CLI in `scripts/mcp-inspector.sh`.

use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
};

use expect_test::{Expect, expect};
use serde_json::{Value, json};

const PACK: &str = r#"
[pack]
id = "acme"

[[rule]]
id = "acme.http-client"
language = "python"
severity = "error"
category = "architecture"
message = "Use acme_http, not $MODULE: it adds retries and tracing"
instead = "acme_http.get(url)"
[rule.match]
import = ["requests"]
[rule.sanctioned]
name = "acme_http"
docs = "https://wiki.acme.example/acme-http"
[[rule.fix]]
title = "Switch to acme_http"
rename_to = "acme_http"
[rule.examples]
bad = ["import requests"]
good = ["import acme_http"]

[[rule]]
id = "acme.print"
language = "python"
severity = "warning"
category = "quality"
message = "Use acme_log, not print()"
instead = "acme_log.info($ARGS)"
[rule.match]
call = ["print"]
"#;

const APP: &str = "import requests\nprint(\"a\")\nprint(\"b\")\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("ws");
    std::fs::create_dir_all(root.join("policies")).unwrap();
    std::fs::write(root.join("gavel.toml"), "policies = [\"policies/\"]\n").unwrap();
    std::fs::write(root.join("policies/acme.toml"), PACK).unwrap();
    std::fs::write(root.join("app.py"), APP).unwrap();
    std::fs::write(dir.path().join("outside.py"), "import requests\n").unwrap();
    dir
}

/// A running `gavel mcp`, spoken to line by line.
struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
    /// Answered to `roots/list` requests from the server.
    roots: Option<Vec<String>>,
}

impl Session {
    fn start(dir: &Path) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gavel"))
            .arg("mcp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gavel runs");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Session {
            child,
            stdin,
            stdout,
            next_id: 1,
            roots: None,
        }
    }

    /// The legacy handshake, offering roots when `roots` is set.
    fn initialize(dir: &Path, version: &str, roots: Option<Vec<String>>) -> (Session, Value) {
        let mut s = Session::start(dir);
        let capabilities = match &roots {
            Some(_) => json!({"roots": {"listChanged": false}}),
            None => json!({}),
        };
        s.roots = roots;
        let init = s.request(
            "initialize",
            json!({"protocolVersion": version, "capabilities": capabilities,
                   "clientInfo": {"name": "test", "version": "1"}}),
        );
        s.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        (s, init)
    }

    fn send(&mut self, message: Value) {
        let line = serde_json::to_string(&message).unwrap();
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Send a request and read until its response, answering `roots/list` on the way. Every
    /// line on stdout must be a JSON-RPC message.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let mut line = String::new();
            let n = self.stdout.read_line(&mut line).unwrap();
            assert!(n > 0, "gavel mcp closed stdout before answering {method}");
            let msg: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout carries a non-JSON line ({e}): {line}"));
            assert_eq!(msg["jsonrpc"], "2.0", "{line}");
            if msg["method"] == "roots/list" {
                let roots: Vec<Value> = self
                    .roots
                    .iter()
                    .flatten()
                    .map(|r| json!({"uri": r}))
                    .collect();
                let answer = json!({"jsonrpc": "2.0", "id": msg["id"], "result": {"roots": roots}});
                self.send(answer);
            } else if msg["id"] == json!(id) {
                return msg;
            }
        }
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": tool, "arguments": arguments}))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tool result as an agent reads it: `isError`, the text, and the structured content's
/// fields (arrays as their length, long strings cut).
fn render(response: &Value, dir: &Path) -> String {
    let result = &response["result"];
    if result.is_null() {
        return format!("protocol error: {}\n", response["error"]);
    }
    let mut out = format!("isError: {}\n", result["isError"]);
    for c in result["content"].as_array().into_iter().flatten() {
        out.push_str(c["text"].as_str().unwrap_or("(no text)"));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str("structured:");
    for (k, v) in result["structuredContent"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let shown = match v {
            Value::Array(a) => format!("[{}]", a.len()),
            Value::String(s) if s.chars().count() > 40 => {
                format!("{:?}...", s.chars().take(40).collect::<String>())
            }
            other => other.to_string(),
        };
        out.push_str(&format!(" {k}={shown}"));
    }
    out.push('\n');
    let root = dir.canonicalize().unwrap();
    out.replace(root.to_str().unwrap(), "$DIR")
}

fn check(call: impl FnOnce(&mut Session, &Path) -> Value, expect: Expect) {
    let dir = project();
    let ws = dir.path().join("ws");
    let (mut s, _) = Session::initialize(&ws, "2025-11-25", None);
    let response = call(&mut s, &ws);
    expect.assert_eq(&render(&response, dir.path()));
}

#[test]
fn initialize_answers_the_version_the_client_asks_for() {
    let dir = project();
    let ws = dir.path().join("ws");
    for version in ["2025-11-25", "2025-06-18"] {
        let (mut s, init) = Session::initialize(&ws, version, None);
        assert_eq!(init["result"]["protocolVersion"], version);
        assert_eq!(init["result"]["serverInfo"]["name"], "gavel");
        let listed = s.request("tools/list", json!({}));
        let tools: Vec<String> = listed["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                format!(
                    "{} readOnly={}",
                    t["name"].as_str().unwrap(),
                    t["annotations"]["readOnlyHint"]
                )
            })
            .collect();
        expect![[r#"
            gavel_check readOnly=true
            gavel_explain readOnly=true
            gavel_fix readOnly=false
            gavel_guidance readOnly=true
            gavel_rules readOnly=true"#]]
        .assert_eq(&tools.join("\n"));
    }
}

#[test]
fn the_stateless_revision_discovers_then_calls_with_meta() {
    let dir = project();
    let ws = dir.path().join("ws");
    let mut s = Session::start(&ws);
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {}
    });
    let discovered = s.request("server/discover", json!({"_meta": meta}));
    let versions = &discovered["result"]["supportedVersions"];
    assert!(
        versions.as_array().unwrap().contains(&json!("2026-07-28")),
        "{discovered}"
    );
    let called = s.request(
        "tools/call",
        json!({"name": "gavel_check", "arguments": {"paths": ["app.py"]}, "_meta": meta}),
    );
    assert_eq!(called["result"]["resultType"], "complete", "{called}");
    expect![[r#"
        isError: false
        app.py:1:8: error: Use acme_http, not requests: it adds retries and tracing. Instead: acme_http.get(url) [acme.http-client]
          fix: Switch to acme_http (gavel_fix applies it)
        app.py:2:1: warning: Use acme_log, not print(). Instead: acme_log.info("a") [acme.print]
        app.py:3:1: warning: Use acme_log, not print(). Instead: acme_log.info("b") [acme.print]
        gavel: 3 finding(s) in 1 file
        structured: findings=[3] total=3 more=0 files=1 notes=[0] errors=[0]
    "#]].assert_eq(&render(&called, dir.path()));
}

#[test]
fn check_files_gives_agent_messages_and_fixes() {
    check(
        |s, _| s.call("gavel_check", json!({"paths": ["app.py"]})),
        expect![[r#"
            isError: false
            app.py:1:8: error: Use acme_http, not requests: it adds retries and tracing. Instead: acme_http.get(url) [acme.http-client]
              fix: Switch to acme_http (gavel_fix applies it)
            app.py:2:1: warning: Use acme_log, not print(). Instead: acme_log.info("a") [acme.print]
            app.py:3:1: warning: Use acme_log, not print(). Instead: acme_log.info("b") [acme.print]
            gavel: 3 finding(s) in 1 file
            structured: findings=[3] total=3 more=0 files=1 notes=[0] errors=[0]
        "#]],
    );
}

#[test]
fn check_a_buffer_as_if_it_were_the_file() {
    check(
        |s, _| {
            s.call(
                "gavel_check",
                json!({"path": "new/module.py", "text": "print(1)\n"}),
            )
        },
        expect![[r#"
            isError: false
            new/module.py:1:1: warning: Use acme_log, not print(). Instead: acme_log.info(1) [acme.print]
            gavel: 1 finding(s) in 1 file
            structured: findings=[1] total=1 more=0 files=1 notes=[0] errors=[0]
        "#]],
    );
}

#[test]
fn check_stops_at_the_limit_and_counts_the_rest() {
    check(
        |s, _| s.call("gavel_check", json!({"paths": ["."], "limit": 1})),
        expect![[r#"
            isError: false
            app.py:1:8: error: Use acme_http, not requests: it adds retries and tracing. Instead: acme_http.get(url) [acme.http-client]
              fix: Switch to acme_http (gavel_fix applies it)
            2 more finding(s) not shown: check fewer paths, or pass a larger `limit`
            gavel: 3 finding(s) in 1 file
            structured: findings=[1] total=3 more=2 files=1 notes=[0] errors=[0]
        "#]],
    );
}

#[test]
fn a_path_outside_the_root_is_an_error_result_never_a_read() {
    check(
        |s, _| s.call("gavel_check", json!({"paths": ["../outside.py"]})),
        expect![[r#"
            isError: true
            error: ../outside.py: outside the workspace roots ($DIR/ws); gavel reads nothing outside them
            structured: error="../outside.py: outside the workspace roo"...
        "#]],
    );
}

#[test]
fn bad_arguments_say_what_to_give() {
    check(
        |s, _| s.call("gavel_check", json!({"text": "x = 1\n"})),
        expect![[r#"
            isError: true
            error: `text` needs `path`: the file the buffer belongs to
            structured: error="`text` needs `path`: the file the buffer"...
        "#]],
    );
}

#[test]
fn the_client_roots_confine_the_paths() {
    let dir = project();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(ws.join("sub")).unwrap();
    std::fs::write(ws.join("sub/a.py"), "print(1)\n").unwrap();
    let root = format!(
        "file://{}",
        ws.join("sub").canonicalize().unwrap().display()
    );
    let (mut s, _) = Session::initialize(&ws, "2025-06-18", Some(vec![root]));
    let inside = s.call("gavel_check", json!({"paths": ["a.py"]}));
    let outside = s.call("gavel_check", json!({"paths": [ws.join("app.py")]}));
    expect![[r#"
        isError: false
        a.py:1:1: warning: Use acme_log, not print(). Instead: acme_log.info(1) [acme.print]
        gavel: 1 finding(s) in 1 file
        structured: findings=[1] total=1 more=0 files=1 notes=[0] errors=[0]
        isError: true
        error: $DIR/ws/app.py: outside the workspace roots ($DIR/ws/sub); gavel reads nothing outside them
        structured: error="$DIR/ws/app.py: outside the w"...
    "#]].assert_eq(&(render(&inside, dir.path()) + &render(&outside, dir.path())));
}

#[test]
fn fix_returns_the_fixed_text_and_writes_only_when_asked() {
    let dir = project();
    let ws = dir.path().join("ws");
    let (mut s, _) = Session::initialize(&ws, "2025-11-25", None);
    let dry = s.call("gavel_fix", json!({"path": "app.py"}));
    assert_eq!(std::fs::read_to_string(ws.join("app.py")).unwrap(), APP);
    let wrote = s.call("gavel_fix", json!({"path": "app.py", "write": true}));
    expect![[r#"
        isError: false
        app.py: 1 fix(es) applied; not written (pass write = true to write them), the fixed text is below
        left: app.py:2:1: warning: Use acme_log, not print(). Instead: acme_log.info("a") [acme.print]
        left: app.py:3:1: warning: Use acme_log, not print(). Instead: acme_log.info("b") [acme.print]
        --- fixed text
        import acme_http
        print("a")
        print("b")
        structured: path="app.py" fixed=1 fixable=[1] changed=true written=false problems=[0] remaining=[2] text="import acme_http\nprint(\"a\")\nprint(\"b\")\n"
        isError: false
        app.py: 1 fix(es) applied and written
        left: app.py:2:1: warning: Use acme_log, not print(). Instead: acme_log.info("a") [acme.print]
        left: app.py:3:1: warning: Use acme_log, not print(). Instead: acme_log.info("b") [acme.print]
        structured: path="app.py" fixed=1 fixable=[1] changed=true written=true problems=[0] remaining=[2] text="import acme_http\nprint(\"a\")\nprint(\"b\")\n"
    "#]].assert_eq(&(render(&dry, dir.path()) + &render(&wrote, dir.path())));
    expect![[r#"
        import acme_http
        print("a")
        print("b")
    "#]]
    .assert_eq(&std::fs::read_to_string(ws.join("app.py")).unwrap());
}

#[test]
fn fix_of_a_buffer_refuses_to_write() {
    check(
        |s, _| {
            s.call(
                "gavel_fix",
                json!({"path": "app.py", "text": "import requests\n", "write": true}),
            )
        },
        expect![[r#"
            isError: true
            error: `write` fixes the file on disk, and `text` is a buffer: drop `text` to fix the file, or drop `write` and put the returned text in the buffer
            structured: error="`write` fixes the file on disk, and `tex"...
        "#]],
    );
}

#[test]
fn explain_tells_the_rule_in_full() {
    check(
        |s, _| s.call("gavel_explain", json!({"rule": "acme.http-client"})),
        expect![[r#"
            isError: false
            acme.http-client (python, error, architecture)
            pack: acme ($DIR/ws/policies/acme.toml:5)

            Use acme_http, not $MODULE: it adds retries and tracing

            Instead: acme_http.get(url)

            Sanctioned: use acme_http (https://wiki.acme.example/acme-http)
            Fix: Switch to acme_http

            Flagged:
                import requests


            Not flagged:
                import acme_http

            structured: id="acme.http-client" pack="acme" language="python" severity="error" category="architecture" message="Use acme_http, not $MODULE: it adds retr"... note=null instead="acme_http.get(url)" sanctioned={"name":"acme_http","docs":"https://wiki.acme.example/acme-http"} url=null fixes=[1] examples={"flagged":["import requests"],"not_flagged":["import acme_http"],"fixed":[]} errors=[0]
        "#]],
    );
}

#[test]
fn explain_an_unknown_rule_suggests_the_nearest() {
    check(
        |s, _| s.call("gavel_explain", json!({"rule": "acme.http-clent"})),
        expect![[r#"
            isError: true
            error: no loaded rule is called `acme.http-clent`: did you mean `acme.http-client`? gavel_rules lists them
            structured: error="no loaded rule is called `acme.http-clen"...
        "#]],
    );
}

#[test]
fn rules_for_a_path_are_those_of_its_language() {
    check(
        |s, _| {
            let py = s.call("gavel_rules", json!({"path": "src/new.py"}));
            let rs = s.call("gavel_rules", json!({"path": "src/lib.rs"}));
            json!({"result": {"isError": false, "content": [py["result"]["content"][0], rs["result"]["content"][0]]}})
        },
        expect![[r#"
            isError: false
            acme.http-client (error, architecture): Use acme_http, not $MODULE: it adds retries and tracing. Instead: acme_http.get(url)
            acme.print (warning, quality): Use acme_log, not print(). Instead: acme_log.info($ARGS)
            2 rule(s); gavel_explain RULE tells one in full
            0 rule(s); gavel_explain RULE tells one in full
            structured:
        "#]],
    );
}

#[test]
fn guidance_names_the_sanctioned_library() {
    check(
        |s, _| s.call("gavel_guidance", json!({"topic": "HTTP requests"})),
        expect![[r#"
            isError: false
            Sanctioned libraries for "HTTP requests":
            - acme_http (https://wiki.acme.example/acme-http): instead of importing `requests`
              write: acme_http.get(url)
            Rules about "HTTP requests":
            - acme.http-client (error, architecture): Use acme_http, not $MODULE: it adds retries and tracing. Instead: acme_http.get(url)
            structured: topic="HTTP requests" libraries=[1] rules=[1] more=0 errors=[0]
        "#]],
    );
}

#[test]
fn guidance_with_no_match_lists_the_libraries() {
    check(
        |s, _| s.call("gavel_guidance", json!({"topic": "quantum entanglement"})),
        expect![[r#"
            isError: false
            No house rule or sanctioned library matches "quantum entanglement". The sanctioned libraries are: acme_http. gavel_rules lists every rule.
            structured: topic="quantum entanglement" libraries=[0] rules=[0] more=0 errors=[0]
        "#]],
    );
}
