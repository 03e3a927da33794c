//! An in-process LSP client for the server's end-to-end tests: the server runs on a duplex pipe,
//! the client frames JSON-RPC, answers the server's own requests, and keeps every notification
//! so tests can wait for the one they need.

#![allow(dead_code)]

use std::{
    collections::VecDeque,
    path::Path,
    time::{Duration, Instant},
};

use gavel_syntax::{LineCol, LineIndex, WideEncoding};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    writer: tokio::io::WriteHalf<DuplexStream>,
    rx: tokio::sync::mpsc::UnboundedReceiver<Value>,
    /// Messages read but not yet consumed (notifications, server requests).
    pub seen: VecDeque<Value>,
    /// Every request the server sent us, in order.
    pub server_requests: Vec<Value>,
    next_id: i64,
    pub enc: WideEncoding,
    pub pull: bool,
}

/// Client capabilities: `pull` diagnostics or push; UTF-8 offered or not; file watching.
pub struct Setup {
    pub pull: bool,
    pub utf8: bool,
    pub watch: bool,
    pub options: Value,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            pull: false,
            utf8: false,
            watch: false,
            options: json!({ "watchIntervalMs": 100 }),
        }
    }
}

/// A temp project with `gavel.toml` using the test pack `tests/fixtures/acme.toml`.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/acme.toml"),
        dir.path().join("acme.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("gavel.toml"),
        "policies = [\"acme.toml\"]\n",
    )
    .unwrap();
    dir
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    pub async fn start(root: &Path, setup: Setup) -> Client {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_side);
        tokio::spawn(gavel_lsp::serve(server_read, server_write));
        let (read, writer) = tokio::io::split(client_side);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(read_messages(read, tx));
        let mut client = Client {
            writer,
            rx,
            seen: VecDeque::new(),
            server_requests: Vec::new(),
            next_id: 0,
            enc: if setup.utf8 {
                WideEncoding::Utf8
            } else {
                WideEncoding::Utf16
            },
            pull: setup.pull,
        };
        let mut caps = json!({
            "general": { "positionEncodings": if setup.utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) } },
            "window": { "workDoneProgress": true, "showDocument": { "support": true } },
            "workspace": {
                "didChangeWatchedFiles": { "dynamicRegistration": setup.watch, "relativePatternSupport": setup.watch },
                "diagnostics": { "refreshSupport": setup.pull },
            },
            "textDocument": {},
        });
        if setup.pull {
            caps["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
        }
        let init = client
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri(root),
                    "capabilities": caps,
                    "initializationOptions": setup.options,
                }),
            )
            .await
            .expect("initialize succeeds");
        let negotiated = init["capabilities"]["positionEncoding"].as_str().unwrap();
        assert_eq!(negotiated, if setup.utf8 { "utf-8" } else { "utf-16" });
        // Pull diagnostics are offered to pulling clients only: never both.
        assert_eq!(
            init["capabilities"].get("diagnosticProvider").is_some(),
            setup.pull
        );
        client.notify("initialized", json!({})).await;
        client
    }

    pub async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.writer.write_all(frame.as_bytes()).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// Write raw bytes, as a broken client might.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// The next message the server sends that is not a notification nor a server request.
    pub async fn next_response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next_message(deadline).await;
            if m.get("method").is_none() {
                return m;
            }
            self.seen.push_back(m);
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    /// Send a request and wait for its response: `Ok(result)` or `Err(error)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next_message(deadline).await;
            if m.get("method").is_none() && m["id"] == json!(id) {
                return match m.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(m["result"].clone()),
                };
            }
            self.seen.push_back(m);
        }
    }

    async fn next_message(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let m = tokio::time::timeout(left, self.rx.recv())
            .await
            .expect("timed out waiting for the server")
            .expect("the server closed the connection");
        if m.get("method").is_some() && m.get("id").is_some() {
            self.answer(&m).await;
        }
        m
    }

    /// Answer a request from the server, the way an editor would.
    async fn answer(&mut self, request: &Value) {
        self.server_requests.push(request.clone());
        let result = match request["method"].as_str() {
            Some("window/showDocument") => json!({ "success": true }),
            Some("workspace/configuration") => json!([]),
            _ => Value::Null,
        };
        self.send(json!({ "jsonrpc": "2.0", "id": request["id"], "result": result }))
            .await;
    }

    /// Wait for a notification (or server request) matching `pred`, consuming it.
    pub async fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .seen
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.seen.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next_message(deadline).await;
            if m["method"] == method && pred(&m["params"]) {
                return m;
            }
            self.seen.push_back(m);
        }
    }

    /// Read whatever arrives within `d`.
    pub async fn drain(&mut self, d: Duration) {
        let deadline = Instant::now() + d;
        while let Ok(Some(m)) = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            self.rx.recv(),
        )
        .await
        {
            if m.get("method").is_some() && m.get("id").is_some() {
                self.answer(&m).await;
            }
            self.seen.push_back(m);
        }
    }

    pub async fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        let lang = match path.extension().and_then(|e| e.to_str()) {
            Some("py") => "python",
            Some("rs") => "rust",
            Some("toml") => "toml",
            _ => "plaintext",
        };
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": lang, "version": 0, "text": text } }),
        )
        .await;
        uri
    }

    pub async fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }

    /// The diagnostics of `version` of a document: pulled, or waited for when pushed.
    pub async fn diagnostics(&mut self, uri: &str, version: i32) -> Vec<Value> {
        if self.pull {
            let r = self
                .request(
                    "textDocument/diagnostic",
                    json!({ "textDocument": { "uri": uri } }),
                )
                .await
                .expect("diagnostic succeeds");
            assert_eq!(r["kind"], "full");
            return r["items"].as_array().unwrap().clone();
        }
        let m = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && p["version"] == json!(version)
            })
            .await;
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// The pushed diagnostics of a file with no version (policy files, scanned files).
    pub async fn published(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let m = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && pred(p["diagnostics"].as_array().unwrap())
            })
            .await;
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub async fn code_actions(
        &mut self,
        uri: &str,
        range: Value,
        only: Option<&str>,
    ) -> Vec<Value> {
        let mut context = json!({ "diagnostics": [] });
        if let Some(only) = only {
            context["only"] = json!([only]);
        }
        let r = self
            .request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
            )
            .await
            .expect("codeAction succeeds");
        r.as_array().cloned().unwrap_or_default()
    }

    pub async fn state(&mut self, uri: &str) -> Value {
        self.request("gavel/documentState", json!({ "uri": uri }))
            .await
            .expect("documentState succeeds")
    }

    pub async fn shutdown(mut self) {
        self.request("shutdown", Value::Null).await.unwrap();
        self.notify("exit", Value::Null).await;
    }
}

async fn read_messages(
    read: tokio::io::ReadHalf<DuplexStream>,
    tx: tokio::sync::mpsc::UnboundedSender<Value>,
) {
    let mut reader = BufReader::new(read);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let value: Value = serde_json::from_slice(&body).expect("the server sends JSON");
        if tx.send(value).is_err() {
            return;
        }
    }
}

pub fn range(sl: u32, sc: u32, el: u32, ec: u32) -> Value {
    json!({ "start": { "line": sl, "character": sc }, "end": { "line": el, "character": ec } })
}

/// Apply LSP text edits (in `enc`) to a text, as an editor does.
pub fn apply_edits(text: &str, edits: &[Value], enc: WideEncoding) -> String {
    let index = LineIndex::new(text);
    let offset = |p: &Value| {
        index.offset(
            text,
            LineCol {
                line: p["line"].as_u64().unwrap() as u32,
                col: p["character"].as_u64().unwrap() as u32,
            },
            enc,
        )
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut at = 0;
    for (s, e, t) in spans {
        out.push_str(&text[at..s]);
        out.push_str(t);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// The edits a code action makes to `uri`.
pub fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Diagnostics as one line each: `line:col-line:col severity code message`.
pub fn render(diags: &[Value]) -> String {
    let mut out = String::new();
    for d in diags {
        let r = &d["range"];
        out.push_str(&format!(
            "{}:{}-{}:{} {} {} {}\n",
            r["start"]["line"],
            r["start"]["character"],
            r["end"]["line"],
            r["end"]["character"],
            d["severity"],
            d["code"].as_str().unwrap_or("-"),
            d["message"].as_str().unwrap_or_default()
        ));
    }
    out
}
