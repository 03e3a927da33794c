//! A pull (`textDocument/diagnostic`) never answers less than the truth: while a change's
//! reparse is still running, it answers the provisional check when one can be made, and else
//! waits for the reparse, never an empty or an older, smaller list.

mod common;

use common::{Client, Setup, project, range};
use serde_json::json;

/// `n` functions, each with one `acme.eval` finding.
fn evals(n: usize) -> String {
    (0..n)
        .map(|i| format!("def f{i}(x):\n    return eval(x) + {i}\n\n"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_right_after_an_edit_has_every_finding() {
    let dir = project();
    let setup = Setup {
        pull: true,
        // No time at all for the reparse: every change leaves it pending.
        options: json!({ "reparseBudgetMs": 0 }),
        ..Setup::default()
    };
    let mut client = Client::start(dir.path(), setup).await;
    let n = 6000;
    let uri = client.open(&dir.path().join("app.py"), &evals(n)).await;
    assert_eq!(client.diagnostics(&uri, 0).await.len(), n);
    // (what the edit does, the change, the findings after it)
    let edits = [
        (
            "an import at the top (its bindings change the whole file)",
            json!([{ "range": range(0, 0, 0, 0), "text": "import requests\n" }]),
            n + 1,
        ),
        (
            "another import",
            json!([{ "range": range(0, 0, 0, 0), "text": "import os\n" }]),
            n + 1,
        ),
        (
            "a finding typed in a function",
            json!([{ "range": range(1001, 25, 1001, 25), "text": " or eval(y)" }]),
            n + 2,
        ),
        (
            "the imports deleted",
            json!([{ "range": range(0, 0, 2, 0), "text": "" }]),
            n + 1,
        ),
    ];
    for (version, (what, change, want)) in edits.into_iter().enumerate() {
        let version = version as i32 + 1;
        client.change(&uri, version, change).await;
        let got = client.diagnostics(&uri, version).await.len();
        assert_eq!(got, want, "after {what}");
    }
    // A burst of keystrokes, then a pull.
    let mut version = 10;
    for i in 0..300 {
        version += 1;
        let at = range(4000, 25 + i, 4000, 25 + i);
        client
            .change(&uri, version, json!([{ "range": at, "text": "y" }]))
            .await;
    }
    assert_eq!(
        client.diagnostics(&uri, version).await.len(),
        n + 1,
        "after a burst"
    );
    client.shutdown().await;
}
