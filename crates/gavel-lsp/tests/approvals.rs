//! Approvals in the editor (SPEC 9.3): a finding a valid approval in `.gavel/approvals.toml`
//! waives is a hint saying who approved it, until when and why, also after lines move above it;
//! an expired approval leaves its finding as it was; removing the file brings the finding back.

mod common;

use common::{Client, Setup, project, range, render};
use expect_test::expect;
use gavel_policy::AppliesTo;
use gavel_review::approvals::{APPROVALS_FILE, Approval, Approvals};
use gavel_workspace::{Checker, Outcome};
use serde_json::json;

const APP: &str = "def f(a, b):\n    eval(a)\n    return eval(b)\n";

/// Approve the finding on `line` (1-based) as `gavel approve` records it.
fn approve(dir: &std::path::Path, line: u32, expires: &str) {
    let app = dir.join("app.py");
    let checker = Checker::new(None, dir.to_path_buf(), None, AppliesTo::All);
    let Outcome::Checked(c) = checker.check(&app, None) else {
        panic!("app.py is checked");
    };
    let l = c
        .file
        .findings
        .iter()
        .find(|l| l.start.line == line)
        .expect("a finding on that line");
    let file = dir.join(APPROVALS_FILE);
    let existing = Approvals::load(&file, APPROVALS_FILE).unwrap();
    let approval = Approval {
        rule: l.finding.rule_id.clone(),
        path: existing.rel_path(&app),
        fingerprint: l.fingerprint.clone(),
        line: Some(line),
        reason: "reads a trusted constant".into(),
        approver: "alice@example.com".into(),
        date: "2025-01-01".parse().unwrap(),
        expires: expires.parse().unwrap(),
    };
    existing.add(&file, approval).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approved_findings_are_hints_and_expired_approvals_waive_nothing() {
    let dir = project();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    approve(dir.path(), 2, "2999-01-01");
    approve(dir.path(), 3, "2000-01-01");
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let app = client.open(&dir.path().join("app.py"), APP).await;
    expect![[r#"
        1:4-1:11 4 acme.eval eval of a [acme.eval] (approved by alice@example.com until 2999-01-01: reads a trusted constant)
        2:11-2:18 2 acme.eval eval of b [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 0).await));
    // A line above moves them: the approval still holds; a new eval is not approved.
    let edit = json!([{ "range": range(0, 0, 0, 0), "text": "import os\n" },
                      { "range": range(4, 0, 4, 0), "text": "eval(c)\n" }]);
    client.change(&app, 1, edit).await;
    expect![[r#"
        2:4-2:11 4 acme.eval eval of a [acme.eval] (approved by alice@example.com until 2999-01-01: reads a trusted constant)
        3:11-3:18 2 acme.eval eval of b [acme.eval]
        4:0-4:7 2 acme.eval eval of c [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 1).await));
    // The approvals are read again when they change: without them the finding is back.
    std::fs::remove_file(dir.path().join(APPROVALS_FILE)).unwrap();
    client
        .change(
            &app,
            2,
            json!([{ "range": range(5, 0, 5, 0), "text": "\n" }]),
        )
        .await;
    expect![[r#"
        2:4-2:11 2 acme.eval eval of a [acme.eval]
        3:11-3:18 2 acme.eval eval of b [acme.eval]
        4:0-4:7 2 acme.eval eval of c [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 2).await));
    client.shutdown().await;
}
