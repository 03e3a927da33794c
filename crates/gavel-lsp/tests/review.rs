//! Cached review verdicts in the editor (SPEC 9.2): after `gavel review` (here its library,
//! with a command reviewer), the editor shows a `fail` with the rule's severity and the
//! reviewer's reason, an `unsure` as information, and nothing for a `pass`; the verdicts follow
//! their code when lines move above it and go when the code changes. The editor never asks the
//! reviewer itself.

mod common;

use std::path::Path;

use common::{Client, Setup, project, range, render};
use expect_test::expect;
use gavel_policy::AppliesTo;
use gavel_workspace::{Checker, Outcome, Selection};
use serde_json::json;

const PACK: &str = r#"[pack]
id = "acme-review"
[[rule]]
id = "acme.endpoint-authz"
language = "python"
severity = "error"
message = "This endpoint does not check the caller's permission"
[rule.match]
pattern = "@app.route($$$A)\ndef $F($$$P): $$$B"
[rule.review]
prompt = "Does this handler call acme_authz.require()? Fail if not."
context = "function"
"#;

/// A reviewer that fails code saying FAIL, is unsure of UNSURE, and passes the rest; it counts
/// its calls in `calls`.
const REVIEWER: &str = r#"import json, sys
req = json.load(sys.stdin)
with open(sys.argv[1], "a") as f:
    f.write("asked\n")
code = req["code"]
if "FAIL" in code:
    print(json.dumps({"verdict": "fail", "reason": "no acme_authz.require() call"}))
elif "UNSURE" in code:
    print(json.dumps({"verdict": "unsure", "reason": "cannot see what helper() checks"}))
else:
    print(json.dumps({"verdict": "pass", "reason": "it calls acme_authz.require()"}))
"#;

const APP: &str = "\
from flask import Flask
app = Flask(__name__)

@app.route(\"/a\")
def a():
    return \"FAIL\"

@app.route(\"/b\")
def b():
    return helper(\"UNSURE\")

@app.route(\"/c\")
def c():
    acme_authz.require()
    return \"ok\"
";

/// Run a review of `app.py` as `gavel review --scope all` does, with the user's config (in
/// `home`) naming the command reviewer.
fn review(dir: &Path, home: &Path) {
    let user = home.join("gavel");
    std::fs::create_dir_all(&user).unwrap();
    let script = home.join("reviewer.py");
    std::fs::write(&script, REVIEWER).unwrap();
    let calls = home.join("calls");
    std::fs::write(
        user.join("gavel.toml"),
        format!(
            "[review]\ncommand = [\"python3\", {:?}, {:?}]\n",
            script.display().to_string(),
            calls.display().to_string()
        ),
    )
    .unwrap();
    let checker = Checker::new(None, dir.to_path_buf(), None, AppliesTo::All)
        .with_selection(Selection::default().for_review());
    let app = dir.join("app.py");
    let outcome = checker.check(&app, None);
    assert!(matches!(outcome, Outcome::Checked(_)));
    let mut outcomes = vec![(app, outcome)];
    let home = home.display().to_string();
    let env = move |k: &str| (k == "XDG_CONFIG_HOME").then(|| home.clone());
    let options = gavel_review::run::Options {
        cache: true,
        env: &env,
    };
    let summary = gavel_review::review(&checker, &mut outcomes, &options);
    assert_eq!(summary.errors, Vec::<String>::new());
    assert_eq!((summary.asked, summary.failed, summary.unsure), (3, 1, 1));
    assert_eq!(std::fs::read_to_string(calls).unwrap().lines().count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_shows_the_cached_verdicts_of_unchanged_code() {
    let dir = project();
    std::fs::write(dir.path().join("review.toml"), PACK).unwrap();
    // The workspace names the model, so the editor's environment finds the same cache entries.
    std::fs::write(
        dir.path().join("gavel.toml"),
        "policies = [\"acme.toml\", \"review.toml\"]\n[review]\nmodel = \"test-model\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    let home = tempfile::tempdir().unwrap();
    review(dir.path(), home.path());

    let mut client = Client::start(dir.path(), Setup::default()).await;
    let app = client.open(&dir.path().join("app.py"), APP).await;
    expect![[r#"
        3:0-5:17 1 acme.endpoint-authz This endpoint does not check the caller's permission: no acme_authz.require() call [acme.endpoint-authz]
        7:0-9:27 3 acme.endpoint-authz This endpoint does not check the caller's permission (the reviewer is unsure: cannot see what helper() checks) [acme.endpoint-authz]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 0).await));

    // Lines added above move the verdicts with their code.
    let edit = json!([{ "range": range(0, 0, 0, 0), "text": "import os\n" }]);
    client.change(&app, 1, edit).await;
    expect![[r#"
        4:0-6:17 1 acme.endpoint-authz This endpoint does not check the caller's permission: no acme_authz.require() call [acme.endpoint-authz]
        8:0-10:27 3 acme.endpoint-authz This endpoint does not check the caller's permission (the reviewer is unsure: cannot see what helper() checks) [acme.endpoint-authz]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 1).await));

    // A handler whose code changed since the review has no verdict: nothing is shown for it,
    // and the reviewer is not asked.
    let edit = json!([{ "range": range(6, 12, 6, 16), "text": "FAILED" }]);
    client.change(&app, 2, edit).await;
    expect![[r#"
        8:0-10:27 3 acme.endpoint-authz This endpoint does not check the caller's permission (the reviewer is unsure: cannot see what helper() checks) [acme.endpoint-authz]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 2).await));
    let calls = std::fs::read_to_string(home.path().join("calls")).unwrap();
    assert_eq!(calls.lines().count(), 3);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_rules_report_nothing_without_a_review() {
    let dir = project();
    std::fs::write(dir.path().join("review.toml"), PACK).unwrap();
    std::fs::write(
        dir.path().join("gavel.toml"),
        "policies = [\"acme.toml\", \"review.toml\"]\n",
    )
    .unwrap();
    let text = format!("{APP}eval(x)\n");
    let mut client = Client::start(dir.path(), Setup::default()).await;
    let app = client.open(&dir.path().join("app.py"), &text).await;
    expect![[r#"
        15:0-15:7 2 acme.eval eval of x [acme.eval]
    "#]]
    .assert_eq(&render(&client.diagnostics(&app, 0).await));
    client.shutdown().await;
}
