//! `gavel lsp` as a process: stdout carries protocol messages and nothing else, logs go to
//! stderr, and `exit` ends the process with status 0.

use std::{
    io::{Read, Write},
    process::{Command, Stdio},
};

use serde_json::{Value, json};

fn frame(v: Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Split stdout into framed JSON messages; panics on any stray byte.
fn messages(mut out: &[u8]) -> Vec<Value> {
    let mut all = Vec::new();
    while !out.is_empty() {
        let text = std::str::from_utf8(out).unwrap();
        let header_end = text.find("\r\n\r\n").expect("a header");
        let header = &text[..header_end];
        let len: usize = header
            .strip_prefix("Content-Length: ")
            .unwrap_or_else(|| panic!("not a protocol header: {header:?}"))
            .parse()
            .unwrap();
        let body = &out[header_end + 4..header_end + 4 + len];
        all.push(serde_json::from_slice(body).expect("a JSON body"));
        out = &out[header_end + 4 + len..];
    }
    all
}

#[test]
fn stdout_holds_only_protocol_messages() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.py");
    let uri = format!("file://{}", file.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .arg("lsp")
        .current_dir(dir.path())
        .env("GAVEL_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Drain stderr as it comes, as an editor does, so the server never blocks on a full pipe.
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut err = String::new();
        stderr.read_to_string(&mut err).unwrap();
        err
    });
    stdin
        .write_all(&frame(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": format!("file://{}", dir.path().display()), "capabilities": {}}})))
        .unwrap();
    stdin.flush().unwrap();
    // Read stdout as it comes.
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut buf = [0; 8192];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut out = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let read_until = |needle: &str, out: &mut Vec<u8>| {
        while !String::from_utf8_lossy(out).contains(needle) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            out.extend(rx.recv_timeout(left).expect("an answer within 60 s"));
        }
    };
    // A client sends nothing else before the initialize response.
    read_until("capabilities", &mut out);
    let mut input = Vec::new();
    input.extend(frame(
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    ));
    input.extend(frame(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "python", "version": 1,
        "text": "import pickle\npickle.loads(data)\n"}}}),
    ));
    // An edit for an unknown document and one with an old version: logged, not printed.
    input.extend(frame(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": "file:///nowhere.py", "version": 2}, "contentChanges": [{"text": "x"}]}})));
    input.extend(frame(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 0}, "contentChanges": [{"text": "x"}]}}),
    ));
    input.extend(frame(
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic",
        "params": {"textDocument": {"uri": uri}}}),
    ));
    stdin.write_all(&input).unwrap();
    stdin.flush().unwrap();
    read_until("publishDiagnostics", &mut out);
    stdin
        .write_all(&frame(
            json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        ))
        .unwrap();
    stdin
        .write_all(&frame(json!({"jsonrpc": "2.0", "method": "exit"})))
        .unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    out.extend(rx.try_iter().flatten());
    let err = logs.join().unwrap();
    assert!(status.success(), "{status:?}\n{err}");
    let all = messages(&out);
    let pushed = all
        .iter()
        .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .expect("diagnostics were pushed");
    assert_eq!(pushed["params"]["version"], 1);
    assert_eq!(
        pushed["params"]["diagnostics"][0]["code"], "py.pickle-load",
        "{pushed}"
    );
    assert!(all.iter().any(|m| m["id"] == 3));
    assert!(err.contains("not open"), "{err}");
    assert!(err.contains("older than"), "{err}");
}
