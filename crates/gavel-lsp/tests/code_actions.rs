//! Code actions end to end: each fix applied to the text, "Suppress ID on this line", "Open docs
//! for NAME" through `window/showDocument`, `source.fixAll.gavel`, and nothing on clean lines.

mod common;

use common::{Client, Setup, action_edits, apply_edits, project, range, render};
use expect_test::expect;
use serde_json::{Value, json};

const PY: &str =
    "import requests\nimport subprocess as sp\n\nsp.run(cmd, shell=True)\nx = requests.get(u)\n";

fn titles(actions: &[Value]) -> String {
    actions
        .iter()
        .map(|a| {
            format!(
                "{} [{}]{}\n",
                a["title"].as_str().unwrap(),
                a["kind"].as_str().unwrap_or("-"),
                if a["isPreferred"] == json!(true) {
                    " preferred"
                } else {
                    ""
                }
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fixes_suppress_and_docs() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let uri = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&uri, 0).await;

    let on_import = client.code_actions(&uri, range(0, 0, 0, 0), None).await;
    expect![[r#"
        Switch to acme_http [quickfix] preferred
        Suppress acme.requests on this line [quickfix]
        Open docs for acme_http [quickfix]
    "#]]
    .assert_eq(&titles(&on_import));
    let fixed = apply_edits(PY, &action_edits(&on_import[0], &uri), client.enc);
    expect![[r#"
        import acme_http
        import subprocess as sp

        sp.run(cmd, shell=True)
        x = acme_http.get(u)
    "#]]
    .assert_eq(&fixed);
    let suppressed = apply_edits(PY, &action_edits(&on_import[1], &uri), client.enc);
    assert!(
        suppressed
            .starts_with("import requests  # gavel: allow(acme.requests) TODO: why this is safe\n"),
        "{suppressed}"
    );

    // The docs action runs a command that asks the client to show the page.
    let command = &on_import[2]["command"];
    client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": command["arguments"] }),
        )
        .await
        .unwrap();
    let shown = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "window/showDocument")
        .expect("showDocument was sent");
    assert_eq!(
        shown["params"]["uri"],
        "https://wiki.acme.example/acme-http"
    );
    assert_eq!(shown["params"]["external"], true);

    let on_shell = client.code_actions(&uri, range(3, 4, 3, 4), None).await;
    let fixed = apply_edits(PY, &action_edits(&on_shell[0], &uri), client.enc);
    assert!(fixed.contains("sp.run(cmd)\n"), "{fixed}");

    // Line 2 is empty; no code action there.
    assert!(
        client
            .code_actions(&uri, range(2, 0, 2, 0), None)
            .await
            .is_empty()
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suppressing_selects_a_placeholder_reason_that_typing_replaces() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let uri = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&uri, 0).await;
    let actions = client
        .code_actions(&uri, range(3, 0, 3, 0), Some("quickfix"))
        .await;
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Suppress acme.shell on this line")
        .unwrap();
    let edits = action_edits(suppress, &uri);
    client
        .change(
            &uri,
            1,
            json!([{ "range": edits[0]["range"], "text": edits[0]["newText"] }]),
        )
        .await;
    // The placeholder is a reason: no gavel.suppression-without-reason the moment it lands.
    let diags = client.diagnostics(&uri, 1).await;
    expect![[r#"
        0:7-0:15 2 acme.requests Use acme_http, not requests [acme.requests]
    "#]]
    .assert_eq(&render(&diags));
    // The action's command selects the placeholder, as the editor runs it after the edit.
    let command = &suppress["command"];
    client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": command["arguments"] }),
        )
        .await
        .unwrap();
    let shown = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "window/showDocument")
        .expect("showDocument was sent");
    let selection = shown["params"]["selection"].clone();
    let line = "sp.run(cmd, shell=True)  # gavel: allow(acme.shell) TODO: why this is safe";
    let start = line.find("TODO").unwrap() as u32;
    assert_eq!(selection, range(3, start, 3, line.len() as u32));
    // Typing replaces the selection.
    client
        .change(
            &uri,
            2,
            json!([{ "range": selection, "text": "cmd is a constant" }]),
        )
        .await;
    let diags = client.diagnostics(&uri, 2).await;
    assert_eq!(
        client.state(&uri).await["text"]
            .as_str()
            .unwrap()
            .lines()
            .nth(3),
        Some("sp.run(cmd, shell=True)  # gavel: allow(acme.shell) cmd is a constant")
    );
    assert!(
        !render(&diags).contains("acme.shell") && !render(&diags).contains("suppression"),
        "{}",
        render(&diags)
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suppress_action_can_be_hidden() {
    let dir = project();
    for (options, offered) in [
        (json!({}), true),
        (json!({ "suppressAction": false }), false),
    ] {
        let mut client = Client::start(
            dir.path(),
            Setup {
                options: options.clone(),
                ..Setup::default()
            },
        )
        .await;
        let uri = client.open(&dir.path().join("app.py"), PY).await;
        client.diagnostics(&uri, 0).await;
        let actions = client.code_actions(&uri, range(3, 0, 3, 0), None).await;
        let suppress = titles(&actions).contains("Suppress acme.shell");
        assert_eq!(suppress, offered, "{options}: {}", titles(&actions));
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_applies_every_preferred_fix() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let uri = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&uri, 0).await;
    // Requested from a clean line: fixAll acts on the whole file.
    let actions = client
        .code_actions(&uri, range(2, 0, 2, 0), Some("source.fixAll"))
        .await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.gavel");
    let fixed = apply_edits(PY, &action_edits(&actions[0], &uri), client.enc);
    expect![[r#"
        import acme_http
        import subprocess as sp

        sp.run(cmd)
        x = acme_http.get(u)
    "#]]
    .assert_eq(&fixed);
    // Plain quickfix requests never include the source action.
    let quick = client
        .code_actions(&uri, range(0, 0, 4, 0), Some("quickfix"))
        .await;
    assert!(quick.iter().all(|a| a["kind"] == "quickfix"));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_rule_message_note_and_sanctioned_library() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let uri = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&uri, 0).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 10 } }),
        )
        .await
        .unwrap();
    expect![[r#"
        **gavel** `acme.requests` (warning)

        Use acme_http, not requests

        acme_http adds retries, tracing and mTLS.

        Sanctioned library: [`acme_http`](https://wiki.acme.example/acme-http)

        [More about `acme.requests`](https://wiki.acme.example/rules/acme-requests)"#]]
    .assert_eq(hover["contents"]["value"].as_str().unwrap());
    assert_eq!(hover["range"], range(0, 7, 0, 15));
    let nothing = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 0 } }),
        )
        .await
        .unwrap();
    assert_eq!(nothing, Value::Null);
    client.shutdown().await;
}
