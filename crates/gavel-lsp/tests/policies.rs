//! Policy files as documents: errors at the right position on the right file, the last good
//! policies staying active, a fixed pack re-checking every open document, and file watching by
//! the client (dynamic registration) or by the server (polling).

mod common;

use common::{Client, Setup, project, render, uri};
use expect_test::expect;
use serde_json::json;

const PY: &str = "import requests\nprint(eval(x))\n";

fn break_pack(dir: &std::path::Path) {
    let pack = std::fs::read_to_string(dir.join("acme.toml")).unwrap();
    // An unknown key in the first rule.
    let broken = pack.replacen("message = \"Use acme_http", "mesage = \"Use acme_http", 1);
    std::fs::write(dir.join("acme.toml"), broken).unwrap();
}

fn add_rule(dir: &std::path::Path) {
    let mut pack = std::fs::read_to_string(dir.join("acme.toml")).unwrap();
    pack.push_str(
        "\n[[rule]]\nid = \"acme.print\"\nlanguage = \"python\"\nmessage = \"Use acme_log\"\n[rule.match]\ncall = [\"print\"]\n",
    );
    std::fs::write(dir.join("acme.toml"), pack).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_pack_is_reported_and_the_last_good_rules_stay() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let status = client.wait_for("gavel/status", |_| true).await;
    assert_eq!(status["params"]["state"], "ok");
    assert_eq!(status["params"]["rules"], 5);
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&doc, 0).await;

    break_pack(dir.path());
    let pack_uri = uri(&dir.path().join("acme.toml"));
    client
        .notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": pack_uri } }),
        )
        .await;
    let errors = client.published(&pack_uri, |d| !d.is_empty()).await;
    expect![[r#"
        7:0-7:6 1 - unknown key `mesage`: did you mean `message`? (unknown field `mesage`, expected one of `id`, `language`, `severity`, `category`, `message`, `note`, `url`, `files`, `exclude`, `skip_tests`, `applies_to`, `instead`, `match`, `sanctioned`, `fix`, `examples`, `requires_approval`, `review`)
    "#]]
    .assert_eq(&render(&errors));
    let status = client
        .wait_for("gavel/status", |p| p["state"] == "error")
        .await;
    assert_eq!(status["params"]["errors"][0]["line"], 8);
    // The last good rules stay active: the document is re-checked with them.
    let diags = client.diagnostics(&doc, 0).await;
    assert_eq!(diags.len(), 2, "{}", render(&diags));

    // Fixing the pack (and adding a rule) clears the errors and re-checks open documents.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/acme.toml"),
        dir.path().join("acme.toml"),
    )
    .unwrap();
    add_rule(dir.path());
    client
        .notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": pack_uri } }),
        )
        .await;
    client.published(&pack_uri, |d| d.is_empty()).await;
    let diags = client
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == doc && render(p["diagnostics"].as_array().unwrap()).contains("acme.print")
        })
        .await;
    expect![[r#"
        0:7-0:15 2 acme.requests Use acme_http, not requests [acme.requests]
        1:0-1:14 2 acme.print Use acme_log [acme.print]
        1:6-1:13 2 acme.eval eval of x [acme.eval]
    "#]]
    .assert_eq(&render(diags["params"]["diagnostics"].as_array().unwrap()));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_polls_policy_files_when_the_client_does_not_watch() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    client.wait_for("gavel/status", |_| true).await;
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    client.diagnostics(&doc, 0).await;
    // Changed on disk, no didSave, no watched-files notification.
    std::thread::sleep(std::time::Duration::from_millis(20));
    add_rule(dir.path());
    let status = client.wait_for("gavel/status", |p| p["rules"] == 6).await;
    assert_eq!(status["params"]["state"], "ok");
    client
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == doc && render(p["diagnostics"].as_array().unwrap()).contains("acme.print")
        })
        .await;
    assert!(
        !client
            .server_requests
            .iter()
            .any(|r| r["method"] == "client/registerCapability"),
        "registered with a client that cannot watch"
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_watching_is_used_when_offered() {
    let dir = project();
    let mut client = Client::start(
        dir.path(),
        Setup {
            watch: true,
            pull: true,
            ..Setup::default()
        },
    )
    .await;
    let registration = client.wait_for("client/registerCapability", |_| true).await;
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    assert_eq!(client.diagnostics(&doc, 0).await.len(), 2);
    add_rule(dir.path());
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": uri(&dir.path().join("acme.toml")), "type": 2 }] }),
        )
        .await;
    // A pulling client is asked to pull again.
    client
        .wait_for("workspace/diagnostic/refresh", |_| true)
        .await;
    assert_eq!(client.diagnostics(&doc, 0).await.len(), 3);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_gavel_toml_is_reported_at_startup() {
    let dir = project();
    std::fs::write(
        dir.path().join("gavel.toml"),
        "policies = [\"acme.toml\", \"missing.toml\"]\n[rules]\n\"acme.nope\" = \"off\"\n",
    )
    .unwrap();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let errors = client
        .published(&uri(&dir.path().join("gavel.toml")), |d| !d.is_empty())
        .await;
    expect![[r#"
        0:25-0:39 1 - policy entry `missing.toml` ($DIR/missing.toml) cannot be read: No such file or directory (os error 2)
        2:0-2:11 1 - [rules] names `acme.nope`, which no loaded pack defines: did you mean `acme.unwrap`? see `gavel rules`
    "#]]
    .assert_eq(&render(&errors).replace(dir.path().to_str().unwrap(), "$DIR"));
    // The packs that loaded still work.
    let doc = client.open(&dir.path().join("app.py"), PY).await;
    assert_eq!(client.diagnostics(&doc, 0).await.len(), 2);
    client.shutdown().await;
}
