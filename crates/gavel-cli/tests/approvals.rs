//! Human approval (SPEC 9.3) through the real binary: a suppression comment cannot waive a
//! `requires_approval` rule; `gavel approve` records who, why and until when; `check` leaves
//! approved findings out (and SARIF shows them as external suppressions) until the code
//! changes or the approval expires; what `approve` refuses.

mod common;
mod review_fixture;

use expect_test::expect;
use review_fixture::{gavel, layout};

const APPROVE_ENV: &[(&str, &str)] =
    &[("GIT_CONFIG_GLOBAL", "/dev/null"), ("GIT_AUTHOR_NAME", "A")];

fn approvals_project() -> tempfile::TempDir {
    let dir = layout("", "");
    let ws = dir.path().join("ws");
    std::fs::write(
        ws.join("tool.py"),
        "x = eval(\"1\")  # gavel: allow(acme.no-eval) constant input\n",
    )
    .unwrap();
    let ok = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&ws)
        .status()
        .unwrap();
    assert!(ok.success());
    let ok = std::process::Command::new("git")
        .args(["config", "user.email", "owner@example.com"])
        .current_dir(&ws)
        .status()
        .unwrap();
    assert!(ok.success());
    dir
}

#[test]
fn a_comment_cannot_waive_a_rule_that_requires_approval_but_an_approval_can() {
    let dir = approvals_project();
    let run = |args: &[&str]| gavel(dir.path(), args, APPROVE_ENV, "");
    expect![[r#"
        exit: 1
        --- stdout
        error: eval runs arbitrary code [acme.no-eval]
         --> tool.py:1:5
          |
        1 | x = eval("1")  # gavel: allow(acme.no-eval) constant input
          |     ^^^^^^^^^

        warning: `acme.no-eval` requires an approval: a comment cannot waive it; a code owner runs `gavel approve acme.no-eval PATH:LINE --reason TEXT` [gavel.approval-required]
         --> tool.py:1:31
          |
        1 | x = eval("1")  # gavel: allow(acme.no-eval) constant input
          |                               ^^^^^^^^^^^^

    "#]]
    .assert_eq(&run(&["check", "--quiet"]));
    let approved = run(&[
        "approve",
        "acme.no-eval",
        "tool.py:1",
        "--reason",
        "the input is a constant",
        "--expires",
        "2099-01-31",
    ]);
    expect![[r#"
        exit: 0
        --- stdout
        approved: acme.no-eval at tool.py:1 by owner@example.com until 2099-01-31 (in .gavel/approvals.toml)
    "#]]
    .assert_eq(&approved);
    let file = std::fs::read_to_string(dir.path().join("ws/.gavel/approvals.toml")).unwrap();
    assert!(
        file.contains("approver = \"owner@example.com\"\n"),
        "{file}"
    );
    assert!(
        file.contains("reason = \"the input is a constant\"\n"),
        "{file}"
    );
    expect![[r#"
        exit: 0
    "#]]
    .assert_eq(&run(&["check", "--quiet"]));
    let sarif = run(&["check", "--format", "sarif"]);
    let json: serde_json::Value =
        serde_json::from_str(sarif.split("--- stdout\n").nth(1).unwrap()).unwrap();
    let result = &json["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "acme.no-eval");
    expect![[r#"[{"kind":"external","status":"accepted","justification":"the input is a constant","properties":{"approver":"owner@example.com","expires":"2099-01-31"}}]"#]]
        .assert_eq(&result["suppressions"].to_string());
    // The code changes: the approval no longer matches, and the finding is back.
    std::fs::write(dir.path().join("ws/tool.py"), "x = eval(\"2\")\n").unwrap();
    assert!(run(&["check", "--quiet"]).contains("error: eval runs arbitrary code [acme.no-eval]"));
}

#[test]
fn an_expired_approval_brings_the_finding_back() {
    let dir = approvals_project();
    let run = |args: &[&str]| gavel(dir.path(), args, APPROVE_ENV, "");
    run(&[
        "approve",
        "acme.no-eval",
        "tool.py:1",
        "--reason",
        "ok for now",
    ]);
    let path = dir.path().join("ws/.gavel/approvals.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let expires = text
        .lines()
        .find(|l| l.starts_with("expires = "))
        .unwrap()
        .to_string();
    std::fs::write(&path, text.replace(&expires, "expires = \"2020-01-01\"")).unwrap();
    let out = run(&["check"]);
    assert!(
        out.contains("error: eval runs arbitrary code [acme.no-eval]"),
        "{out}"
    );
    assert!(
        out.contains("note: 1 approval expired: those findings are back"),
        "{out}"
    );
}

#[test]
fn approve_refuses_what_it_cannot_record() {
    let dir = approvals_project();
    let run = |args: &[&str], env: &[(&str, &str)]| gavel(dir.path(), args, env, "");
    expect![[r#"
        exit: 2
        --- stderr
        error: no finding of `acme.no-eval` at app.py:4; that line has: acme.endpoint-authz
    "#]]
    .assert_eq(&run(
        &["approve", "acme.no-eval", "app.py:4", "--reason", "x"],
        APPROVE_ENV,
    ));
    expect![[r#"
        exit: 2
        --- stderr
        error: --expires 2020-01-01 is in the past
    "#]]
    .assert_eq(&run(
        &[
            "approve",
            "acme.no-eval",
            "tool.py:1",
            "--reason",
            "x",
            "--expires",
            "2020-01-01",
        ],
        APPROVE_ENV,
    ));
    expect![[r#"
        exit: 2
        --- stderr
        error: gavel approve is for people: it does not run in an AI agent's shell (CLAUDECODE is set); ask a code owner to approve
    "#]]
    .assert_eq(&run(&["approve", "acme.no-eval", "tool.py:1", "--reason", "x"], &[("CLAUDECODE", "1")]));
}

#[test]
fn an_approvals_file_that_is_a_symlink_is_not_read() {
    let dir = approvals_project();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(ws.join(".gavel")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", ws.join(".gavel/approvals.toml")).unwrap();
    let out = gavel(dir.path(), &["check", "--quiet"], APPROVE_ENV, "");
    assert!(out.starts_with("exit: 2"), "{out}");
    assert!(
        out.contains(
            "error: .gavel/approvals.toml: not a regular file (a symlink, a directory or a device)"
        ),
        "{out}"
    );
}
