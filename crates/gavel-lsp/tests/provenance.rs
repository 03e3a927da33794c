//! Provenance through the server (SPEC 4), in a real git repository: committed AI-written
//! lines from blame, unsaved edits as changed lines against the base blob, edit bursts marked
//! AI-written and followed through later edits, and a commit seen through the git watcher.

mod common;
#[path = "../../../tests/support/git.rs"]
mod git_support;

use git_support::git;
use std::time::Duration;

use common::{Client, Setup, project, range, render};
use expect_test::expect;
use serde_json::{Value, json};

const HUMAN: &str = "def f(x):\n    return x\n";
const AI: &str = "def g(x):\n    return eval(x)\n";

/// A repository with a human commit (app.py) and an AI-co-authored one (ai.py).
fn repo() -> tempfile::TempDir {
    let dir = project();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::write(d.join("app.py"), HUMAN).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "human"]);
    std::fs::write(d.join("ai.py"), AI).unwrap();
    git(d, &["add", "ai.py"]);
    git(
        d,
        &[
            "commit",
            "-qm",
            "g\n\nCo-authored-by: Claude <noreply@anthropic.com>",
        ],
    );
    dir
}

/// Provenance of each finding, the burst marks and the line marks of the latest check.
async fn provenance(client: &mut Client, uri: &str) -> String {
    let s = client.state(uri).await;
    format!(
        "findings {} ai-lines {} marks {}",
        s["findings"]["provenance"], s["aiLines"], s["provenance"]
    )
}

fn insert(line: u32, text: &str) -> Value {
    json!([{ "range": range(line, 0, line, 0), "text": text }])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blame_and_unsaved_edits_give_provenance() {
    let dir = repo();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let ai = client.open(&dir.path().join("ai.py"), AI).await;
    expect![[r#"
        1:11-1:18 2 acme.eval eval of x [acme.eval] [AI-written]
    "#]]
    .assert_eq(&render(&client.diagnostics(&ai, 0).await));
    // An unsaved edit to a human file: the new line is changed, the rest unchanged.
    let app = client
        .open(
            &dir.path().join("app.py"),
            &format!("{HUMAN}print(eval(y))\n"),
        )
        .await;
    expect![[r#"
        2:6-2:13 2 acme.eval eval of y [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 0).await));
    expect![[r#"findings ["changed"] ai-lines [] marks {"ai":[],"changed":[[2,2]]}"#]]
        .assert_eq(&provenance(&mut client, &app).await);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_are_ai_written_and_the_marks_follow_edits() {
    let dir = repo();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let app = client.open(&dir.path().join("app.py"), HUMAN).await;
    client.diagnostics(&app, 0).await;
    // An agent's apply: six lines in one didChange, at the empty last line. Lines 2..=7 (its
    // code and the blank line inside it) are marked; the empty line after it is not.
    let burst = "def h(a):\n    b = a\n    c = b\n    d = c\n    return eval(d)\n\n";
    client.change(&app, 1, insert(2, burst)).await;
    expect![[r#"
        6:11-6:18 2 acme.eval eval of d [acme.eval] [AI-written]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 1).await));
    expect![[r#"findings ["ai"] ai-lines [[2,7]] marks {"ai":[[2,7]],"changed":[[2,7]]}"#]]
        .assert_eq(&provenance(&mut client, &app).await);
    // A line typed above shifts the marks; a small edit is not a burst.
    client.change(&app, 2, insert(0, "import os\n")).await;
    client.diagnostics(&app, 2).await;
    expect![[r#"findings ["ai"] ai-lines [[3,8]] marks {"ai":[[3,8]],"changed":[[0,0],[3,8]]}"#]]
        .assert_eq(&provenance(&mut client, &app).await);
    // Editing a marked line keeps it marked: eval(d) becomes eval(d + 1).
    let edit = json!([{ "range": range(7, 17, 7, 17), "text": " + 1" }]);
    client.change(&app, 3, edit).await;
    expect![[r#"
        7:11-7:22 2 acme.eval eval of d + 1 [acme.eval] [AI-written]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 3).await));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_is_seen_without_a_keystroke() {
    let dir = repo();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let text = format!("{HUMAN}print(eval(y))\n");
    let app = client.open(&dir.path().join("app.py"), &text).await;
    client.diagnostics(&app, 0).await;
    std::fs::write(dir.path().join("app.py"), &text).unwrap();
    git(dir.path(), &["commit", "-qam", "more"]);
    // The watcher notices HEAD moved and re-checks: nothing is changed any more.
    let mut last = String::new();
    for _ in 0..100 {
        last = provenance(&mut client, &app).await;
        if last.contains("unchanged") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    expect![[r#"findings ["unchanged"] ai-lines [] marks {"ai":[],"changed":[]}"#]]
        .assert_eq(&last);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provenance_can_be_switched_off() {
    let dir = repo();
    let setup = Setup {
        options: json!({ "watchIntervalMs": 100, "provenance": false }),
        ..Setup::default()
    };
    let mut client = Client::start(dir.path(), setup).await;
    let ai = client.open(&dir.path().join("ai.py"), AI).await;
    expect![[r#"
        1:11-1:18 2 acme.eval eval of x [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&ai, 0).await));
    expect![[r#"findings ["unknown"] ai-lines [] marks {"ai":[],"changed":[]}"#]]
        .assert_eq(&provenance(&mut client, &ai).await);
    client.shutdown().await;
}
