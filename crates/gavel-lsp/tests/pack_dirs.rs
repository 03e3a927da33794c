//! Packs appear, vanish and come back, and the server notices without a reload, whether the
//! client watches files (every path a config names, with relative patterns, wherever it is) or
//! the server polls: a pack added to an empty or a missing `policies/` directory, a pack deleted
//! and restored, and a pack outside the workspace folder.

mod common;
#[path = "../../../tests/support/git.rs"]
mod git_support;

use std::path::Path;

use common::{Client, Setup, uri};
use serde_json::{Value, json};

const PY: &str = "print(eval(x))\n";
const ACME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/acme.toml");

/// A layout: `gavel.toml`, what exists at first, and the pack file that appears.
struct Case {
    name: &'static str,
    config: &'static str,
    before: fn(&Path),
    pack: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a pack added to an empty policies/",
            config: "policies = [\"policies/\"]\n",
            before: |root| std::fs::create_dir(root.join("policies")).unwrap(),
            pack: "policies/acme.toml",
        },
        Case {
            name: "a pack added to a missing policies/",
            config: "policies = [\"policies/\"]\n",
            before: |_| {},
            pack: "policies/acme.toml",
        },
        Case {
            name: "a pack missing (deleted), then restored",
            config: "policies = [\"acme.toml\"]\n",
            before: |_| {},
            pack: "acme.toml",
        },
        Case {
            name: "a pack outside the workspace folder",
            config: "policies = [\"../platform/acme.toml\"]\n",
            before: |_| {},
            pack: "../platform/acme.toml",
        },
    ]
}

fn has_eval(p: &Value) -> bool {
    p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "acme.eval")
}

/// Each case on its own runtime, so that no earlier server's tasks (polling deleted temporary
/// directories) linger.
#[test]
fn packs_that_appear_are_loaded_without_a_reload() {
    for watch in [false, true] {
        for case in cases() {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(run(case, watch));
        }
    }
}

async fn run(case: Case, watch: bool) {
    {
        {
            let what = format!(
                "{} ({})",
                case.name,
                if watch { "watched" } else { "polled" }
            );
            let top = tempfile::tempdir().unwrap();
            // One repository: a config names packs only inside its own (docs/config.md).
            git_support::git(top.path(), &["init", "-q"]);
            let root = top.path().join("service");
            std::fs::create_dir_all(&root).unwrap();
            std::fs::create_dir_all(top.path().join("platform")).unwrap();
            std::fs::write(root.join("gavel.toml"), case.config).unwrap();
            (case.before)(&root);
            let setup = Setup {
                watch,
                ..Setup::default()
            };
            let mut client = Client::start(&root, setup).await;
            client.wait_for("gavel/status", |_| true).await;
            let doc = client.open(&root.join("app.py"), PY).await;
            let diags = client.diagnostics(&doc, 0).await;
            assert!(diags.is_empty(), "{what}: {diags:?}");
            let pack = root.join(case.pack);
            if watch {
                let registration = client.wait_for("client/registerCapability", |_| true).await;
                let watchers = &registration["params"]["registrations"][0]["registerOptions"];
                // A watcher's base and pattern cover the pack: its directory's `*.toml`, or it.
                let dir = pack.parent().unwrap();
                let abs = std::path::absolute(&pack).unwrap();
                let wanted = [
                    normal(&format!(
                        "{}/*.toml",
                        uri(&std::path::absolute(dir).unwrap())
                    )),
                    normal(&uri(&abs)),
                ];
                let watched = watchers["watchers"].as_array().unwrap().iter().any(|w| {
                    let base = w["globPattern"]["baseUri"].as_str().unwrap_or_default();
                    let pattern = w["globPattern"]["pattern"].as_str().unwrap_or_default();
                    wanted.contains(&normal(&format!("{base}/{pattern}")))
                });
                assert!(watched, "{what}: {dir:?} is not watched: {watchers}");
            }
            std::fs::create_dir_all(pack.parent().unwrap()).unwrap();
            std::fs::copy(ACME, &pack).unwrap();
            if watch {
                let changes = json!([{ "uri": uri(&pack), "type": 1 }]);
                client
                    .notify(
                        "workspace/didChangeWatchedFiles",
                        json!({ "changes": changes }),
                    )
                    .await;
            }
            client
                .wait_for("textDocument/publishDiagnostics", |p| {
                    p["uri"] == doc && has_eval(p)
                })
                .await;
            client.shutdown().await;
        }
    }
}

/// A URI without `dir/..` segments.
fn normal(u: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in u.trim_end_matches('/').split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_in_a_pack_outside_the_folder_go_to_its_normalised_uri() {
    let top = tempfile::tempdir().unwrap();
    git_support::git(top.path(), &["init", "-q"]);
    let root = top.path().join("service");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(top.path().join("platform")).unwrap();
    std::fs::write(
        root.join("gavel.toml"),
        "policies = [\"../platform/acme.toml\"]\n",
    )
    .unwrap();
    let broken = std::fs::read_to_string(ACME)
        .unwrap()
        .replacen("message", "mesage", 1);
    std::fs::write(top.path().join("platform/acme.toml"), broken).unwrap();
    let mut client = Client::start(&root, Setup::default()).await;
    let pack = uri(&top.path().join("platform/acme.toml"));
    let errors = client.published(&pack, |d| !d.is_empty()).await;
    assert!(errors[0]["message"].as_str().unwrap().contains("mesage"));
    let status = client.wait_for("gavel/status", |_| true).await;
    let file = status["params"]["errors"][0]["file"].as_str().unwrap();
    assert!(!file.contains(".."), "{file}");
    client.shutdown().await;
}
