//! `source.fixAll.gavel` runs its fix loop on a blocking thread: two fix-alls of a large file
//! in flight do not hold up a hover of another file.

mod common;

use std::time::Instant;

use common::{Client, Setup, project, range};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_alls_in_flight_leave_a_hover_unblocked() {
    let dir = project();
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let big: String = (0..250)
        .map(|i| format!("fn f{i}() {{ g().unwrap(); }}\n"))
        .collect();
    let big = client.open(&dir.path().join("big.rs"), &big).await;
    let small = client
        .open(&dir.path().join("small.py"), "print(eval(x))\n")
        .await;
    client.diagnostics(&small, 0).await;
    client.diagnostics(&big, 0).await;
    let fix_all = |id: i64| {
        json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction", "params": {
            "textDocument": { "uri": big }, "range": range(0, 0, 0, 0),
            "context": { "diagnostics": [], "only": ["source.fixAll"] } } })
    };
    // Once, so the check with fixes is cached and only the fix loop remains; then timed.
    let mut one = std::time::Duration::ZERO;
    for _ in 0..2 {
        let start = Instant::now();
        let actions = client
            .code_actions(&big, range(0, 0, 0, 0), Some("source.fixAll"))
            .await;
        assert_eq!(actions[0]["title"], "gavel: apply 250 fixes");
        one = start.elapsed();
    }
    client.send(fix_all(901)).await;
    client.send(fix_all(902)).await;
    // Let both get going.
    tokio::time::sleep(one / 4).await;
    let start = Instant::now();
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": small }, "position": { "line": 0, "character": 8 } }),
        )
        .await
        .unwrap();
    let waited = start.elapsed();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("acme.eval")
    );
    // The hover came first: neither fix-all had answered yet.
    let answered: Vec<&Value> = client
        .seen
        .iter()
        .filter(|m| m["id"] == 901 || m["id"] == 902)
        .collect();
    assert!(
        answered.is_empty(),
        "hover waited {waited:?} (one fix-all takes {one:?}): {:.300}",
        answered[0].to_string()
    );
    client.shutdown().await;
}
