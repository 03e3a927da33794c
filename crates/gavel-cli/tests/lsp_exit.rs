//! `gavel lsp`'s exit status (LSP `exit`): 0 after `shutdown`, 1 without it; and one malformed
//! frame on stdin does not end the process.

use std::{
    io::Write,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

fn frame(v: Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Run `gavel lsp` on `input` (stdin left open, as editors do) and return its exit code.
fn exit_code(input: &[u8]) -> Option<i32> {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .arg("lsp")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    stdin.write_all(input).unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    panic!("gavel lsp did not exit within 30 s");
}

#[test]
fn exit_status_follows_the_shutdown_handshake() {
    let init = frame(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    let shutdown = frame(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    let exit = frame(json!({"jsonrpc": "2.0", "method": "exit"}));
    let garbage = b"Content-Length: 5\r\n\r\n{oops".to_vec();
    let cases: [(&str, Vec<&[u8]>, i32); 4] = [
        ("shutdown, exit", vec![&init, &shutdown, &exit], 0),
        ("exit without shutdown", vec![&init, &exit], 1),
        (
            "a bad frame, then shutdown, exit",
            vec![&init, &garbage, &shutdown, &exit],
            0,
        ),
        ("a bad frame, then exit", vec![&init, &garbage, &exit], 1),
    ];
    for (name, parts, want) in cases {
        assert_eq!(exit_code(&parts.concat()), Some(want), "{name}");
    }
}
