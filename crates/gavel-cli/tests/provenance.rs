//! Provenance (SPEC 4) through `gavel check`, on real repositories built with `git`: a human
//! commit, a commit with an AI co-author trailer, an aider-style author, a committed and an
//! uncommitted rename, uncommitted edits and an untracked file. Each finding's provenance,
//! `--scope`, `--base`, `applies_to`, `ai_min_severity` and the summaries.

mod common;
#[path = "../../../tests/support/git.rs"]
mod git_support;

use std::path::Path;

use git_support::git;

use common::{project, run};
use expect_test::{Expect, expect};

const SETUP: &str = r#"
//- gavel.toml
policies = ["house.toml"]
[provenance]
ai_min_severity = "error"
[rules]
"t.exec" = { applies_to = "changed" }
"t.compile" = { applies_to = "ai" }
//- house.toml
[pack]
id = "house"
[[rule]]
id = "t.eval"
language = "python"
severity = "warning"
message = "eval"
[rule.match]
call = ["eval"]
[[rule]]
id = "t.exec"
language = "python"
severity = "info"
message = "exec"
[rule.match]
call = ["exec"]
[[rule]]
id = "t.compile"
language = "python"
severity = "hint"
message = "compile"
[rule.match]
call = ["compile"]
"#;

fn write(dir: &Path, path: &str, text: &str) {
    std::fs::write(dir.join(path), text).unwrap();
}

const BODY: &str = "def f(x):\n    eval(x)\n    exec(x)\n    compile(x)\n";

/// The history every test starts from, then the work tree's uncommitted state.
fn repo() -> tempfile::TempDir {
    let dir = project(SETUP);
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "human.py", BODY);
    write(d, "moved.py", BODY);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "human work"]);
    // Each file its own text: rename detection pairs a new file with a vanished one of the same
    // text (moved.py's staged rename below), which would make these unchanged against HEAD~3.
    write(d, "claude.py", &BODY.replace("(x)", "(c)"));
    git(d, &["add", "claude.py"]);
    git(
        d,
        &[
            "commit",
            "-qm",
            "Add claude.py\n\nCo-authored-by: Claude <noreply@anthropic.com>",
        ],
    );
    write(d, "aider.py", &BODY.replace("(x)", "(a)"));
    git(d, &["add", "aider.py"]);
    git(
        d,
        &[
            "-c",
            "user.name=Dev (aider)",
            "commit",
            "-qm",
            "aider: add aider.py",
        ],
    );
    git(d, &["mv", "claude.py", "claude_renamed.py"]);
    git(d, &["commit", "-qm", "rename"]);
    // Uncommitted: an edit on top of human.py, a staged rename, an untracked file.
    write(d, "human.py", &format!("eval(1)\n{BODY}"));
    git(d, &["mv", "moved.py", "moved_again.py"]);
    write(d, "untracked.py", BODY);
    dir
}

/// `path:line rule severity provenance` per finding, then the JSON summary.
fn check(dir: &Path, args: &[&str], expect: Expect) {
    let mut full = vec!["check", "--format", "json", "--fail-on", "never"];
    full.extend_from_slice(args);
    let out = run(dir, &full);
    if out.starts_with("exit: 2") {
        let stderr = out.split_once("--- stderr\n").map_or("", |(_, e)| e);
        expect.assert_eq(&format!("exit: 2\n--- stderr\n{stderr}"));
        return;
    }
    let json = out.split_once("--- stdout\n").map_or("", |(_, s)| s);
    let json = json.split("--- stderr").next().unwrap();
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let mut s = String::new();
    for f in v["findings"].as_array().unwrap() {
        let changed = match f["changed"].as_bool() {
            Some(true) => " changed=true",
            Some(false) => " changed=false",
            None => "",
        };
        s.push_str(&format!(
            "{}:{} {} {} {}{changed}\n",
            f["path"].as_str().unwrap(),
            f["start"]["line"],
            f["rule"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
            f["provenance"].as_str().unwrap(),
        ));
    }
    s.push_str(&v["summary"]["provenance"].to_string());
    expect.assert_eq(&s);
}

#[test]
fn every_finding_has_its_provenance() {
    let dir = repo();
    check(
        dir.path(),
        &[],
        expect![[r#"
            aider.py:2 t.eval error ai changed=false
            aider.py:4 t.compile error ai changed=false
            claude_renamed.py:2 t.eval error ai changed=false
            claude_renamed.py:4 t.compile error ai changed=false
            human.py:1 t.eval warning changed changed=true
            human.py:3 t.eval warning unchanged changed=false
            moved_again.py:2 t.eval warning unchanged changed=false
            untracked.py:2 t.eval warning changed changed=true
            untracked.py:3 t.exec info changed changed=true
            {"ai":4,"changed":3,"unchanged":6,"unknown":0}"#]],
    );
}

#[test]
fn scope_and_base_narrow_the_report() {
    let dir = repo();
    check(
        dir.path(),
        &["--scope", "ai"],
        expect![[r#"
            aider.py:2 t.eval error ai changed=false
            aider.py:4 t.compile error ai changed=false
            claude_renamed.py:2 t.eval error ai changed=false
            claude_renamed.py:4 t.compile error ai changed=false
            {"ai":4,"changed":0,"unchanged":4,"unknown":0}"#]],
    );
    // Against HEAD, the AI-written files committed before are unchanged: `changed` is about the
    // lines, not who wrote them (SPEC 4), so PR CI does not surface every old AI-written line.
    check(
        dir.path(),
        &["--scope", "changed"],
        expect![[r#"
            human.py:1 t.eval warning changed changed=true
            untracked.py:2 t.eval warning changed changed=true
            untracked.py:3 t.exec info changed changed=true
            {"ai":0,"changed":3,"unchanged":0,"unknown":0}"#]],
    );
    // Measured against the first commit, everything committed since is changed too.
    check(
        dir.path(),
        &["--scope", "changed", "--base", "HEAD~3"],
        expect![[r#"
            aider.py:2 t.eval error ai changed=true
            aider.py:3 t.exec error ai changed=true
            aider.py:4 t.compile error ai changed=true
            claude_renamed.py:2 t.eval error ai changed=true
            claude_renamed.py:3 t.exec error ai changed=true
            claude_renamed.py:4 t.compile error ai changed=true
            human.py:1 t.eval warning changed changed=true
            untracked.py:2 t.eval warning changed changed=true
            untracked.py:3 t.exec info changed changed=true
            {"ai":6,"changed":9,"unchanged":0,"unknown":0}"#]],
    );
}

#[test]
fn text_output_ends_with_the_provenance_summary() {
    let dir = repo();
    let out = run(dir.path(), &["check", "--fail-on", "never"]);
    assert!(
        out.ends_with(
            // t.exec applies to changed lines: not to the AI-written ones already committed.
            "9 findings in 5 files checked (4 on AI-written lines, 3 on changed lines)\n"
        ),
        "{out}"
    );
}

#[test]
fn bad_base_is_a_clear_error() {
    let dir = repo();
    check(
        dir.path(),
        &["--base", "no-such-branch"],
        expect![[r#"
            exit: 2
            --- stderr
            error: provenance base `no-such-branch` is not a commit in $DIR: couldn't parse revision, input="no-such-branch"; pass --base (or set [provenance] base) to an existing commit, branch or tag
        "#]],
    );
}

#[test]
fn without_a_repository_provenance_is_unknown() {
    let dir = project(&format!("{SETUP}\n//- a.py\n{BODY}"));
    check(
        dir.path(),
        &[],
        expect![[r#"
            a.py:2 t.eval warning unknown
            a.py:3 t.exec info unknown
            a.py:4 t.compile hint unknown
            {"ai":0,"changed":0,"unchanged":0,"unknown":3}"#]],
    );
    check(
        dir.path(),
        &["--scope", "changed"],
        expect![[r#"
            exit: 2
            --- stderr
            error: a.py: --scope needs a git repository, and this file is in none; run gavel inside the repository or use --scope all
        "#]],
    );
}

#[test]
fn unborn_branch_and_detached_head() {
    let dir = project(&format!("{SETUP}\n//- a.py\n{BODY}"));
    git(dir.path(), &["init", "-q"]);
    check(
        dir.path(),
        &[],
        expect![[r#"
            a.py:2 t.eval warning changed changed=true
            a.py:3 t.exec info changed changed=true
            {"ai":0,"changed":2,"unchanged":0,"unknown":0}"#]],
    );
    let dir = repo();
    git(dir.path(), &["stash", "-q", "--include-untracked"]);
    git(dir.path(), &["checkout", "-q", "--detach", "HEAD~1"]);
    check(
        dir.path(),
        &["--scope", "ai"],
        expect![[r#"
            aider.py:2 t.eval error ai changed=false
            aider.py:4 t.compile error ai changed=false
            claude.py:2 t.eval error ai changed=false
            claude.py:4 t.compile error ai changed=false
            {"ai":4,"changed":0,"unchanged":4,"unknown":0}"#]],
    );
}

#[test]
fn shallow_clone_reads_what_it_has() {
    let origin = repo();
    git(origin.path(), &["stash", "-q", "--include-untracked"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let d = clone.path().join("shallow");
    // Only the last commit (a human rename) is in the clone: blame stops at the boundary and
    // gives its lines to that commit.
    check(
        &d,
        &["--scope", "ai"],
        expect![[r#"
            {"ai":0,"changed":0,"unchanged":0,"unknown":0}"#]],
    );
}
