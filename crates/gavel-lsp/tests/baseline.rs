//! The baseline in the editor (SPEC 8): findings `.gavel-baseline.json` knows are hints, new
//! ones keep their severity, and lines typed above a baselined finding do not make it new.

mod common;

use common::{Client, Setup, project, range, render};
use expect_test::expect;
use gavel_policy::AppliesTo;
use gavel_workspace::{Checker, Outcome, baseline::Baseline, report::Report};
use serde_json::json;

const APP: &str = "def f(a, b):\n    eval(a)\n    return eval(b)\n";

/// Write the baseline of the project's files as `gavel baseline` does.
fn write_baseline(dir: &std::path::Path) {
    let checker = Checker::new(None, dir.to_path_buf(), None, AppliesTo::All);
    let Outcome::Checked(c) = checker.check(&dir.join("app.py"), None) else {
        panic!("app.py is checked");
    };
    let report = Report {
        files: vec![c.file],
        ..Report::default()
    };
    let n = Baseline::write(&dir.join(".gavel-baseline.json"), &report, dir).unwrap();
    assert_eq!(n, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baselined_findings_are_hints_and_stay_so_when_lines_move() {
    let dir = project();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    write_baseline(dir.path());
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let app = client.open(&dir.path().join("app.py"), APP).await;
    expect![[r#"
        1:4-1:11 4 acme.eval eval of a [acme.eval]
        2:11-2:18 4 acme.eval eval of b [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 0).await));
    // A line above moves them; a new eval keeps its severity.
    let edit = json!([{ "range": range(0, 0, 0, 0), "text": "import os\n" },
                      { "range": range(4, 0, 4, 0), "text": "eval(c)\n" }]);
    client.change(&app, 1, edit).await;
    expect![[r#"
        2:4-2:11 4 acme.eval eval of a [acme.eval]
        3:11-3:18 4 acme.eval eval of b [acme.eval]
        4:0-4:7 2 acme.eval eval of c [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 1).await));
    client.shutdown().await;
}
