//! The server never dies: unknown documents, positions out of range, stale versions, files over
//! the size limit, a panicking handler and unsupported requests each get a logged error or an
//! error response, and the server goes on serving. Also: edits keep their order, and
//! `gavel.scanWorkspace` reports progress and publishes unopened files.

mod common;

use common::{Client, Setup, project, range, render, uri};
use expect_test::expect;
use serde_json::json;

const PY: &str = "import requests\nprint(eval(x))\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_documents_and_unsupported_requests() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let ghost = uri(&dir.path().join("ghost.py"));
    client
        .change(&ghost, 3, json!([{ "text": "eval(x)" }]))
        .await;
    let actions = client.code_actions(&ghost, range(0, 0, 0, 0), None).await;
    assert!(actions.is_empty());
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": ghost }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert_eq!(hover, Ok(serde_json::Value::Null));
    let unsupported = client
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": ghost }, "position": { "line": 0, "character": 0 } }),
        )
        .await
        .unwrap_err();
    assert_eq!(unsupported["code"], -32601, "{unsupported}");
    let unknown = client
        .request("gavel/nonsense", json!({}))
        .await
        .unwrap_err();
    assert_eq!(unknown["code"], -32601, "{unknown}");
    let bad_command = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "gavel.nope" }),
        )
        .await
        .unwrap_err();
    assert!(
        bad_command["message"]
            .as_str()
            .unwrap()
            .contains("gavel.scanWorkspace")
    );
    // Still serving.
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    assert_eq!(client.diagnostics(&doc, 0).await.len(), 2);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_out_of_range_are_clamped_and_old_versions_ignored() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&doc, 0).await;
    // Past the end of line 0, and past the end of the file.
    client
        .change(
            &doc,
            1,
            json!([
                { "range": range(0, 99, 0, 120), "text": " as r" },
                { "range": range(40, 0, 50, 3), "text": "eval(y)\n" },
            ]),
        )
        .await;
    let diags = client.diagnostics(&doc, 1).await;
    expect![[r#"
        0:7-0:20 2 acme.requests Use acme_http, not requests [acme.requests]
        1:6-1:13 2 acme.eval eval of x [acme.eval]
        2:0-2:7 2 acme.eval eval of y [acme.eval]
    "#]]
    .assert_eq(&render(&diags));
    // A change for an older version is ignored.
    client.change(&doc, 1, json!([{ "text": "" }])).await;
    client.change(&doc, 0, json!([{ "text": "" }])).await;
    let state = client.state(&doc).await;
    assert_eq!(state["version"], 1);
    assert_eq!(
        state["text"],
        "import requests as r\nprint(eval(x))\neval(y)\n"
    );
    // A code action range out of range is clamped too.
    let actions = client.code_actions(&doc, range(0, 500, 900, 0), None).await;
    assert!(!actions.is_empty());
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_over_the_limit_are_kept_but_not_checked() {
    let dir = project();
    let mut client = Client::start(
        dir.path(),
        Setup {
            options: json!({ "maxFileBytes": 64 }),
            ..Setup::default()
        },
    )
    .await;
    let big = format!("{PY}{}\n", "# padding ".repeat(10));
    let doc = client.open(&dir.path().join("big.py"), &big).await;
    let state = client.state(&doc).await;
    assert_eq!(state["checked"], false);
    // Shrinking it under the limit starts checking it.
    let lines = big.lines().count() as u32;
    client
        .change(
            &doc,
            1,
            json!([{ "range": range(2, 0, lines, 0), "text": "" }]),
        )
        .await;
    assert_eq!(client.diagnostics(&doc, 1).await.len(), 2);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_gets_an_error_response_and_the_server_goes_on() {
    let dir = project();
    let mut client = Client::start(
        dir.path(),
        Setup {
            options: json!({ "debugCommands": true }),
            ..Setup::default()
        },
    )
    .await;
    let err = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "gavel.debug.panic" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32603);
    assert!(
        err["message"].as_str().unwrap().contains("panicked"),
        "{err}"
    );
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    assert_eq!(client.diagnostics(&doc, 0).await.len(), 2);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_edits_keep_their_order() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let doc = client.open(&dir.path().join("app.py"), "x = ''\n").await;
    let mut expected = String::from("x = '");
    for v in 1..=1000 {
        let ch = if v % 7 == 0 { "€" } else { "a" };
        let col = expected.encode_utf16().count() as u32;
        client
            .change(
                &doc,
                v,
                json!([{ "range": range(0, col, 0, col), "text": ch }]),
            )
            .await;
        expected.push_str(ch);
    }
    expected.push_str("'\n");
    // The first request after the edits sees all of them.
    let state = client.state(&doc).await;
    assert_eq!(state["version"], 1000);
    assert_eq!(state["text"], expected);
    let diags = client.diagnostics(&doc, 1000).await;
    assert!(diags.is_empty());
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_workspace_reports_progress_and_publishes_unopened_files() {
    let dir = project();
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/a.py"), PY).unwrap();
    std::fs::write(dir.path().join("pkg/b.py"), "x = 1\n").unwrap();
    std::fs::write(dir.path().join("lib.rs"), "fn f() { g().unwrap(); }\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir(dir.path().join("ignored")).unwrap();
    std::fs::write(dir.path().join("ignored/c.py"), PY).unwrap();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let result = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "gavel.scanWorkspace" }),
        )
        .await
        .unwrap();
    assert_eq!(result, json!({ "files": 3, "findings": 3 }));
    let a = client
        .published(&uri(&dir.path().join("pkg/a.py")), |d| d.len() == 2)
        .await;
    assert_eq!(a[0]["code"], "acme.requests");
    client
        .published(&uri(&dir.path().join("lib.rs")), |d| d.len() == 1)
        .await;
    assert!(
        client
            .server_requests
            .iter()
            .any(|r| r["method"] == "window/workDoneProgress/create")
    );
    let end = client
        .wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    assert_eq!(end["params"]["value"]["message"], "3 files, 3 findings");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parse_past_its_deadline_leaves_the_document_unchecked_not_the_server_stuck() {
    let dir = project();
    let mut client = Client::start(
        dir.path(),
        Setup {
            options: json!({ "parseTimeoutMs": 0 }),
            ..Setup::default()
        },
    )
    .await;
    let text = "def f(x):\n    return eval(x)\n".repeat(5000);
    let doc = client.open(&dir.path().join("slow.py"), &text).await;
    let state = client.state(&doc).await;
    assert_eq!(state["checked"], true);
    assert_eq!(state["staleTree"], true);
    assert_eq!(state["length"], text.len());
    client.shutdown().await;
}
