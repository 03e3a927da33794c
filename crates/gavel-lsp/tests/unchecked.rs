//! A document gavel stops checking says so on itself, pushed or pulled, and never keeps stale
//! findings: an edit whose range ends before it starts (the server's text would fall out of step
//! with the client's) and a file grown over the size limit. A full-text change checks it again.

mod common;

use common::{Client, Setup, project, range};
use serde_json::{Value, json};

const PY: &str = "import requests\nprint(eval(x))\n";

struct Case {
    name: &'static str,
    options: Value,
    change: Value,
    code: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "an edit ending before it starts",
            options: json!({}),
            change: json!([{ "range": range(1, 5, 0, 2), "text": "" }]),
            code: "gavel.out-of-sync",
        },
        Case {
            name: "a file grown over the size limit",
            options: json!({ "maxFileBytes": 64 }),
            change: json!([{ "range": range(2, 0, 2, 0), "text": "# padding\n".repeat(8) }]),
            code: "gavel.too-large",
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchecked_documents_say_why_and_recover_on_a_full_change() {
    let dir = project();
    for pull in [false, true] {
        for case in cases() {
            let what = format!("{} ({})", case.name, if pull { "pull" } else { "push" });
            let setup = Setup {
                pull,
                options: case.options,
                ..Setup::default()
            };
            let mut client = Client::start(dir.path(), setup).await;
            let uri = client.open(&dir.path().join("app.py"), PY).await;
            assert_eq!(client.diagnostics(&uri, 0).await.len(), 2, "{what}");
            client.change(&uri, 1, case.change).await;
            let diags = client.diagnostics(&uri, 1).await;
            let codes: Vec<&Value> = diags.iter().map(|d| &d["code"]).collect();
            assert_eq!(codes, [case.code], "{what}: {diags:?}");
            client.change(&uri, 2, json!([{ "text": PY }])).await;
            assert_eq!(client.diagnostics(&uri, 2).await.len(), 2, "{what}: again");
            client.shutdown().await;
        }
    }
}
