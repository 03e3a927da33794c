//! A language server under test: spawned on stdio, spoken to in framed JSON-RPC, its
//! publications collected by a reader thread.

use std::{
    io::{BufRead, BufReader, Read, Write},
    path::Path,
    process::{Child, ChildStdin, Command, Stdio},
    sync::mpsc::{Receiver, RecvTimeoutError, channel},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

#[derive(Clone)]
pub struct Spec {
    pub name: String,
    pub command: Vec<String>,
    pub options: Value,
    /// The full-reparse baseline: typed into with `--baseline-edits`, left out of memory.
    pub baseline: bool,
}

/// A publishDiagnostics as received: when, for which document and version.
pub struct Published {
    pub at: Instant,
    pub uri: String,
    pub version: Option<i64>,
}

pub struct Server {
    pub child: Child,
    pub stdin: ChildStdin,
    pub rx: Receiver<(Instant, Value)>,
    pub next_id: i64,
    /// What the server asked for in `textDocumentSync`: true for full text on every change.
    pub full_sync: bool,
}

impl Server {
    pub fn start(spec: &Spec, root: &Path) -> Result<Server, String> {
        let (program, args) = spec
            .command
            .split_first()
            .ok_or_else(|| format!("{}: empty command", spec.name))?;
        let mut child = Command::new(program)
            .args(args)
            .current_dir(root)
            .env("GAVEL_LOG", "warn")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: cannot start `{}`: {e}", spec.name, program))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let now = Instant::now();
                let Ok(v) = serde_json::from_slice::<Value>(&body) else {
                    continue;
                };
                if tx.send((now, v)).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take().expect("piped stdin");
        let mut server = Server {
            child,
            stdin,
            rx,
            next_id: 0,
            full_sync: false,
        };
        let init = server.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "bench"}],
                "capabilities": {},
                "initializationOptions": spec.options,
            }),
            Duration::from_secs(60),
        );
        let init = init.map_err(|e| format!("{}: initialize: {e}", spec.name))?;
        let sync = &init["result"]["capabilities"]["textDocumentSync"];
        let kind = sync
            .as_i64()
            .or_else(|| sync["change"].as_i64())
            .unwrap_or(2);
        server.full_sync = kind == 1;
        server.notify("initialized", json!({}));
        Ok(server)
    }

    pub fn send(&mut self, v: Value) -> Instant {
        let body = v.to_string();
        let at = Instant::now();
        // A server that died shows up as missing diagnostics, reported by the caller.
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = self.stdin.flush();
        at
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// The next message, answering the server's own requests (`client/registerCapability`,
    /// `workspace/configuration`, ...) with `null` on the way.
    pub fn recv(&mut self, timeout: Duration) -> Result<(Instant, Value), RecvTimeoutError> {
        let (at, m) = self.rx.recv_timeout(timeout)?;
        if m.get("method").is_some()
            && let Some(id) = m.get("id")
        {
            let id = id.clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
        Ok((at, m))
    }

    pub fn request(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv(left) {
                Ok((_, m)) if m["id"] == json!(id) && m.get("method").is_none() => return Ok(m),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("no answer in {} s", timeout.as_secs()));
                }
                Err(RecvTimeoutError::Disconnected) => return Err("the server exited".into()),
            }
        }
    }

    /// Wait until `deadline` for diagnostics of `uri` at `version` or later (or without a
    /// version); collect every publication seen on the way into `seen`.
    pub fn wait_published(
        &mut self,
        uri: &str,
        version: i64,
        deadline: Instant,
        seen: &mut Vec<Published>,
    ) -> bool {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((at, m)) = self.recv(left) else {
                return false;
            };
            if let Some(p) = published(at, &m) {
                let done = p.uri == uri && p.version.is_none_or(|v| v >= version);
                seen.push(p);
                if done {
                    return true;
                }
            }
        }
    }

    pub fn rss_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Shut down politely; a server still busy after 5 s is killed.
    pub fn stop(mut self) {
        if self
            .request("shutdown", Value::Null, Duration::from_secs(5))
            .is_ok()
        {
            self.notify("exit", Value::Null);
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn published(at: Instant, m: &Value) -> Option<Published> {
    if m["method"] != "textDocument/publishDiagnostics" {
        return None;
    }
    Some(Published {
        at,
        uri: m["params"]["uri"].as_str().unwrap_or_default().to_string(),
        version: m["params"]["version"].as_i64(),
    })
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}
