//! Diagnostics end to end: pushed with the version or pulled, never both; positions in UTF-16
//! or UTF-8 through CRLF, lone CR, tabs and emoji; the same findings as `gavel check`.

mod common;

use common::{Client, Setup, project, render};
use expect_test::{Expect, expect};
use serde_json::json;

/// Open `file` with `text` in a fresh server and compare its diagnostics.
async fn check(setup: Setup, file: &str, text: &str, expect: Expect) {
    let dir = project();
    let mut client = Client::start(dir.path(), setup).await;
    let uri = client.open(&dir.path().join(file), text).await;
    let diags = client.diagnostics(&uri, 0).await;
    expect.assert_eq(&render(&diags));
    client.shutdown().await;
}

const PY: &str =
    "import requests\nimport subprocess as sp\n\nsp.run(cmd, shell=True)\nprint(eval(x))\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushed_diagnostics_carry_code_source_link_and_sanctioned_library() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let uri = client.open(&dir.path().join("app.py"), PY).await;
    let diags = client.diagnostics(&uri, 0).await;
    expect![[r#"
        0:7-0:15 2 acme.requests Use acme_http, not requests [acme.requests]
        3:0-3:23 1 acme.shell subprocess with shell=True. Instead: Drop shell=True [acme.shell]
        4:6-4:13 2 acme.eval eval of x [acme.eval]
    "#]]
    .assert_eq(&render(&diags));
    assert_eq!(diags[0]["source"], "gavel");
    assert_eq!(
        diags[0]["codeDescription"]["href"],
        "https://wiki.acme.example/acme-http"
    );
    // `data` for tools that read it (SPEC 6); live diagnostics leave the edits to code actions.
    expect![[r#"
        {
          "rule": "acme.requests",
          "instead": null,
          "sanctioned": {
            "name": "acme_http",
            "docs": "https://wiki.acme.example/acme-http"
          },
          "fixable": true,
          "fixes": []
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&diags[0]["data"]).unwrap());
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_clients_pull_and_get_nothing_pushed() {
    let dir = project();
    let mut client = Client::start(
        dir.path(),
        Setup {
            pull: true,
            ..Setup::default()
        },
    )
    .await;
    let uri = client.open(&dir.path().join("app.py"), PY).await;
    let first = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await
        .unwrap();
    assert_eq!(first["kind"], "full");
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": first["resultId"] }),
        )
        .await
        .unwrap();
    assert_eq!(again["kind"], "unchanged");
    client.drain(std::time::Duration::from_millis(300)).await;
    let pushed: Vec<_> = client
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .collect();
    assert!(pushed.is_empty(), "pushed to a pull client: {pushed:?}");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_positions_through_emoji_tabs_and_crlf() {
    check(
        Setup::default(),
        "app.py",
        "s = '😀😀'\r\n\tx = '€'; eval(s)\rimport requests\n",
        expect![[r#"
            1:10-1:17 2 acme.eval eval of s [acme.eval]
            2:7-2:15 2 acme.requests Use acme_http, not requests [acme.requests]
        "#]],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_positions_when_offered() {
    check(
        Setup {
            utf8: true,
            ..Setup::default()
        },
        "app.py",
        "s = '😀😀'\r\n\tx = '€'; eval(s)\rimport requests\n",
        expect![[r#"
            1:12-1:19 2 acme.eval eval of s [acme.eval]
            2:7-2:15 2 acme.requests Use acme_http, not requests [acme.requests]
        "#]],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_macro_arguments_are_checked() {
    check(
        Setup::default(),
        "src/main.rs",
        "fn main() {\n    println!(\"{}\", std::env::var(\"X\").unwrap());\n}\n",
        expect![[r#"
            1:4-1:47 3 acme.println Use tracing, not println! [acme.println]
            1:38-1:46 2 acme.unwrap unwrap panics. Instead: Use expect [acme.unwrap]
        "#]],
    )
    .await;
}

/// `import requests`, then `n` functions of four lines each: `fK` starts on line 2 + 4K.
fn functions(n: usize) -> String {
    let mut text = String::from("import requests\n\n");
    for i in 0..n {
        text.push_str(&format!("def f{i}(x):\n    return x + {i}\n\n\n"));
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_in_a_function_rechecks_only_that_function() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let text = functions(50);
    let uri = client.open(&dir.path().join("app.py"), &text).await;
    assert_eq!(client.diagnostics(&uri, 0).await.len(), 1);
    // Inside f10's body: `eval(x)` typed one character at a time.
    let line = 2 + 10 * 4 + 1;
    let mut diags = Vec::new();
    for (i, ch) in "eval(x) or ".chars().enumerate() {
        let col = 11 + i as u32;
        client
            .change(
                &uri,
                i as i32 + 1,
                json!([{ "range": common::range(line, col, line, col), "text": ch.to_string() }]),
            )
            .await;
        diags = client.diagnostics(&uri, i as i32 + 1).await;
    }
    let state = client.state(&uri).await;
    assert_eq!(state["findings"]["chunks"], 51);
    assert_eq!(state["findings"]["rechecked"], 1);
    expect![[r#"
        0:7-0:15 2 acme.requests Use acme_http, not requests [acme.requests]
        43:11-43:18 2 acme.eval eval of x [acme.eval]
    "#]]
    .assert_eq(&render(&diags));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reparse_past_its_budget_publishes_a_provisional_check_then_the_finished_one() {
    let dir = project();
    let setup = Setup {
        // No time at all for the reparse: every change takes the provisional path.
        options: json!({ "reparseBudgetMs": 0 }),
        ..Setup::default()
    };
    let mut client = Client::start(dir.path(), setup).await;
    let text = functions(2000);
    let uri = client.open(&dir.path().join("app.py"), &text).await;
    assert_eq!(client.diagnostics(&uri, 0).await.len(), 1);
    let line = 2 + 1000 * 4 + 1;
    let typed = "eval(x) or ";
    let (mut twice, mut finished) = (0, Vec::new());
    for (i, ch) in typed.char_indices() {
        let (col, version) = (11 + i as u32, i as i32 + 1);
        let at = common::range(line, col, line, col);
        client
            .change(
                &uri,
                version,
                json!([{ "range": at, "text": ch.to_string() }]),
            )
            .await;
        let first = client.diagnostics(&uri, version).await;
        // Wait for the finished reparse's check, then for anything still on its way.
        loop {
            let state = client.state(&uri).await;
            if state["staleTree"] == false && state["findings"]["provisional"] == false {
                assert_eq!(state["findings"]["version"], version);
                break;
            }
            client.drain(std::time::Duration::from_millis(20)).await;
        }
        client.drain(std::time::Duration::from_millis(50)).await;
        finished = first.clone();
        // Published twice: provisionally (the chunk typed in, parsed on its own), then on the
        // finished reparse. A keystroke that leaves a syntax error may skip the first.
        if let Some(second) = client.seen.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        }) {
            let m = client.seen.remove(second).unwrap();
            finished = m["params"]["diagnostics"].as_array().unwrap().clone();
            twice += 1;
            // Error-free text: the provisional check is the full one.
            if !typed[..=i].contains('(') || typed[..=i].ends_with(") or ") {
                assert_eq!(render(&first), render(&finished), "after {i} characters");
            }
        }
    }
    assert!(
        twice >= 5,
        "{twice} of {} changes checked provisionally",
        typed.len()
    );
    let state = client.state(&uri).await;
    assert_eq!(state["findings"]["rechecked"], 1);
    expect![[r#"
        0:7-0:15 2 acme.requests Use acme_http, not requests [acme.requests]
        4003:11-4003:18 2 acme.eval eval of x [acme.eval]
    "#]]
    .assert_eq(&render(&finished));
    client.shutdown().await;
}
