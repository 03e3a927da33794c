//! `gavel-lsp-bench`: drive `gavel lsp` over stdio the way an editor does, and print how long
//! diagnostics take to follow typing, and how much memory open files cost.
//!
//! ```text
//! gavel-lsp-bench --gavel PATH [--edits N] [--pace-ms MS] [--open N] FILE... [-- OPEN_DIR]
//! ```
//!
//! For each FILE (a 10,000-line Python or Rust file), in two runs of a fresh server, incremental
//! parsing on and then off (`initializationOptions.incremental = false`, a full reparse per
//! change, the baseline): open it, wait for its diagnostics, then type N characters at typing
//! pace in the middle of the file (before a top-level definition), one didChange each. The
//! latency of an edit is the time from sending its didChange to the first diagnostics published
//! for that version or a later one: what the user waits for. It prints p50, p90, p99 and max.
//!
//! With `-- OPEN_DIR`, it also opens the first `--open` Python and Rust files under OPEN_DIR in
//! one server, waits for all their diagnostics, and prints the server's resident memory.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Read, Write},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    sync::mpsc::{Receiver, channel},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<(Instant, Value)>,
    next_id: i64,
}

impl Server {
    fn start(gavel: &Path, root: &Path, options: Value) -> Server {
        let mut child = Command::new(gavel)
            .arg("lsp")
            .env("GAVEL_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gavel lsp starts");
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
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
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let now = Instant::now();
                let v: Value = serde_json::from_slice(&body).unwrap();
                if tx.send((now, v)).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take().unwrap();
        let mut server = Server {
            child,
            stdin,
            rx,
            next_id: 0,
        };
        server.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": format!("file://{}", root.display()),
                "capabilities": {},
                "initializationOptions": options,
            }),
        );
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, v: Value) -> Instant {
        let body = v.to_string();
        let at = Instant::now();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
        at
    }

    fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let (_, m) = self
                .rx
                .recv_timeout(Duration::from_secs(120))
                .expect("a response");
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
        }
    }

    /// Wait until diagnostics for `uri` at `version` (or later) arrive; `None` versions too.
    fn wait_published(&mut self, uri: &str, version: Option<i64>) -> Instant {
        loop {
            let (at, m) = self
                .rx
                .recv_timeout(Duration::from_secs(300))
                .expect("diagnostics");
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"].as_i64().unwrap_or(-1) >= v)
            {
                return at;
            }
        }
    }

    fn rss_kib(&self) -> (u64, u64) {
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

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn language(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rs") => "rust",
        _ => "python",
    }
}

/// Where to type: the start of a top-level definition near the middle of the file, and what.
fn typing_point(text: &str, lang: &str) -> (u32, &'static str) {
    let lines: Vec<&str> = text.lines().collect();
    let starts: &[&str] = if lang == "rust" {
        &["fn ", "pub fn ", "impl", "pub struct", "struct "]
    } else {
        &["def ", "class "]
    };
    let mid = lines.len() / 2;
    let line = (mid..lines.len())
        .chain(0..mid)
        .find(|&i| starts.iter().any(|s| lines[i].starts_with(s)))
        .unwrap_or(mid);
    let snippet = if lang == "rust" {
        "fn typed(a: u32, b: u32) -> u32 {\n    let total = a + b;\n    total.checked_mul(2).unwrap()\n}\n"
    } else {
        "def typed(a, b):\n    total = a + b\n    return eval(str(total))\n\n"
    };
    (line as u32, snippet)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Type `edits` characters into `file` and return each edit's latency in ms.
fn latency(gavel: &Path, file: &Path, edits: usize, pace: Duration, incremental: bool) -> Vec<f64> {
    let text = std::fs::read_to_string(file).expect("readable file");
    let root = file.parent().unwrap();
    let mut server = Server::start(gavel, root, json!({ "incremental": incremental }));
    let uri = uri(file);
    let lang = language(file);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": lang, "version": 0, "text": text}}),
    );
    server.wait_published(&uri, Some(0));
    let (mut line, snippet) = typing_point(&text, lang);
    let mut col = 0u32;
    let mut sent: Vec<Instant> = Vec::with_capacity(edits);
    let mut published: Vec<(Instant, i64)> = Vec::new();
    let chars: Vec<char> = snippet.chars().cycle().take(edits).collect();
    for (i, ch) in chars.iter().enumerate() {
        let version = i as i64 + 1;
        let at = server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}},
                    "text": ch.to_string(),
                }],
            }),
        );
        sent.push(at);
        if *ch == '\n' {
            line += 1;
            col = 0;
        } else {
            col += ch.len_utf16() as u32;
        }
        // Collect what arrived meanwhile, until it is time for the next keystroke.
        let next = at + pace;
        while let Some(left) = next.checked_duration_since(Instant::now()) {
            match server.rx.recv_timeout(left) {
                Ok((t, m)) => {
                    if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
                    {
                        published.push((t, m["params"]["version"].as_i64().unwrap_or(-1)));
                    }
                }
                Err(_) => break,
            }
        }
    }
    let last = server.wait_published(&uri, Some(edits as i64));
    published.push((last, edits as i64));
    server.stop();
    sent.iter()
        .enumerate()
        .map(|(i, at)| {
            let v = i as i64 + 1;
            let t = published
                .iter()
                .find(|(t, pv)| *pv >= v && t >= at)
                .map(|(t, _)| *t)
                .expect("the last version is published");
            t.duration_since(*at).as_secs_f64() * 1000.0
        })
        .collect()
}

fn report(name: &str, mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (p50, p90, p99, max) = (
        percentile(&ms, 0.5),
        percentile(&ms, 0.9),
        percentile(&ms, 0.99),
        ms[ms.len() - 1],
    );
    println!(
        "| {name} | {} | {p50:.2} | {p90:.2} | {p99:.2} | {max:.2} |",
        ms.len()
    );
    (p50, p99)
}

fn memory(gavel: &Path, dir: &Path, count: usize) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if !p.ends_with("site-packages") {
                    stack.push(p);
                }
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("py" | "rs")) {
                files.push(p);
            }
        }
    }
    // Typical files: between 2 KB and 100 KB.
    files.retain(|p| std::fs::metadata(p).is_ok_and(|m| (2_000..100_000).contains(&m.len())));
    files.truncate(count);
    let mut server = Server::start(gavel, dir, json!({}));
    let idle = server.rss_kib().0;
    let mut bytes = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        bytes += text.len();
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(f), "languageId": language(f), "version": 0, "text": text}}),
        );
    }
    let mut pending: HashMap<String, ()> = files.iter().map(|f| (uri(f), ())).collect();
    let deadline = Instant::now() + Duration::from_secs(600);
    while !pending.is_empty() && Instant::now() < deadline {
        if let Ok((_, m)) = server.rx.recv_timeout(Duration::from_secs(60))
            && m["method"] == "textDocument/publishDiagnostics"
        {
            pending.remove(m["params"]["uri"].as_str().unwrap_or_default());
        }
    }
    let (rss, peak) = server.rss_kib();
    println!(
        "memory: {} files open ({:.1} MB of source): RSS {:.1} MiB (idle server {:.1} MiB, peak {:.1} MiB)",
        files.len(),
        bytes as f64 / 1e6,
        rss as f64 / 1024.0,
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    server.stop();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut gavel, mut edits, mut pace, mut open) = (None, 1000, 30, 200);
    let (mut files, mut open_dir) = (Vec::new(), None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--gavel" => gavel = args.next().map(PathBuf::from),
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            "--pace-ms" => pace = args.next().and_then(|v| v.parse().ok()).unwrap_or(pace),
            "--open" => open = args.next().and_then(|v| v.parse().ok()).unwrap_or(open),
            "--" => open_dir = args.next().map(PathBuf::from),
            f => files.push(std::fs::canonicalize(f).expect("FILE exists")),
        }
    }
    let gavel = gavel.expect("--gavel PATH");
    let pace = Duration::from_millis(pace);
    println!(
        "{edits} single-character edits per file, one every {} ms",
        pace.as_millis()
    );
    println!();
    println!("| file, parsing | edits | p50 ms | p90 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    for f in &files {
        let lines = std::fs::read_to_string(f)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        let name = format!(
            "{} ({lines} lines)",
            f.file_name().unwrap().to_string_lossy()
        );
        let inc = report(
            &format!("{name}, incremental"),
            latency(&gavel, f, edits, pace, true),
        );
        let full = report(
            &format!("{name}, full reparse"),
            latency(&gavel, f, edits, pace, false),
        );
        println!(
            "| {name}: full/incremental | | {:.1}× | | {:.1}× | |",
            full.0 / inc.0,
            full.1 / inc.1
        );
    }
    if let Some(dir) = open_dir {
        println!();
        memory(&gavel, &dir, open);
    }
}
