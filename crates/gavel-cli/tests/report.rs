//! `gavel report` (SPEC 10) on real repositories made with `git`, commit by commit with set
//! dates and AI co-author trailers: the figures a policy owner reads (findings over time by
//! severity and by provenance, introduced and fixed per week, time to fix, rates per 1,000 lines
//! written, suppressions and approvals with reasons, rules that never fire, top files,
//! suggestions), the sample of `--max-commits` and `--since`, the HTML page, and errors.

mod common;
#[path = "../../../tests/support/git.rs"]
mod git_support;

use std::{path::Path, process::Command};

use expect_test::{Expect, expect};
use git_support::{git, git_env};
use serde_json::Value;

const PACK: &str = r#"
//- gavel.toml
policies = ["house.toml"]
//- house.toml
[pack]
id = "house"
[[rule]]
id = "t.eval"
language = "python"
severity = "warning"
message = "eval runs arbitrary code"
[rule.match]
call = ["eval"]
[[rule]]
id = "t.exec"
language = "python"
severity = "error"
message = "exec runs arbitrary code"
instead = "call run_sandboxed()"
[rule.match]
call = ["exec"]
[[rule]]
id = "t.pickle"
language = "python"
severity = "info"
message = "pickle.loads of untrusted data"
[rule.match]
call = ["pickle.loads"]
[[rule]]
id = "t.never"
language = "python"
severity = "warning"
message = "never called"
[rule.match]
call = ["never_called_anywhere"]
[[rule]]
id = "t.rust-only"
language = "rust"
severity = "warning"
message = "a Rust rule in a Python repository"
[rule.match]
macro = ["dbg"]
"#;

const CLAUDE: &str = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>";

/// The history every test starts from: a human finding, two AI-written ones, a fix after nine
/// days, a rename, suppressions with reasons, and a file deleted with its finding.
const HISTORY: &str = r#"
write app.py eval(a)\n
write lib.py x = 1\n
commit 2025-01-06 human first
write app.py eval(a)\neval(b)\nexec(c)\n
commit 2025-01-08 ai handlers
write app.py eval(b)\nexec(c)\n
commit 2025-01-15 human drop the first eval
mv app.py service/app.py
commit 2025-01-20 human move the app
write lib.py import pickle\nx = pickle.loads(d)  # gavel: allow(t.pickle) trusted cache\ny = pickle.loads(e)  # gavel: allow(t.pickle) trusted cache\nz = eval(f)  # gavel: allow(t.eval) constant input\n
commit 2025-01-22 ai caching
write old.py eval(g)\n
commit 2025-02-03 human scratch
rm old.py
commit 2025-02-04 human drop scratch
"#;

/// Make the repository: `write PATH TEXT` (`\n` for newlines), `mv A B`, `rm PATH`, and
/// `commit DATE human|ai MESSAGE` (dated at noon UTC; `ai` adds a Claude co-author trailer).
fn repo(fixture: &str, history: &str) -> tempfile::TempDir {
    let dir = common::project(fixture);
    let d = dir.path();
    git(d, &["init", "-q"]);
    for step in history.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (verb, rest) = step.split_once(' ').expect("a verb and its arguments");
        match verb {
            "write" => {
                let (path, text) = rest.split_once(' ').expect("write PATH TEXT");
                let p = d.join(path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text.replace("\\n", "\n")).unwrap();
            }
            "mv" => {
                let (from, to) = rest.split_once(' ').expect("mv FROM TO");
                std::fs::create_dir_all(d.join(to).parent().unwrap()).unwrap();
                git(d, &["mv", from, to]);
            }
            "rm" => git(d, &["rm", "-q", rest]),
            "commit" => {
                let mut words = rest.splitn(3, ' ');
                let (date, who, message) = (words.next().unwrap(), words.next().unwrap(), words.next().unwrap());
                let when = format!("{date}T12:00:00Z");
                let message = match who {
                    "ai" => format!("{message}{CLAUDE}"),
                    _ => message.to_string(),
                };
                git(d, &["add", "-A"]);
                let env = [("GIT_AUTHOR_DATE", when.as_str()), ("GIT_COMMITTER_DATE", when.as_str())];
                git_env(d, &["commit", "-q", "-m", &message], &env);
            }
            _ => panic!("unknown step {step}"),
        }
    }
    dir
}

fn gavel(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gavel runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json", "--quiet"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = gavel(dir, &all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

/// The figures a policy owner reads, one line each.
fn summary(r: &Value) -> String {
    let mut out = String::new();
    let c = &r["commits"];
    out += &format!(
        "commits: {} walked, {} checked, {} AI-written; lines written: ai {}, human {}\n",
        c["walked"], c["checked"], c["ai"], r["lines_written"]["ai"], r["lines_written"]["human"]
    );
    for p in r["timeline"].as_array().unwrap() {
        out += &format!(
            "{}: error {} warning {} info {} | ai {} human {} | {} files\n",
            p["date"].as_str().unwrap(), p["error"], p["warning"], p["info"], p["ai"], p["human"], p["files"]
        );
    }
    for w in r["weeks"].as_array().unwrap() {
        out += &format!(
            "week {}: introduced {} ({} ai), fixed {}\n",
            w["week"].as_str().unwrap(), w["introduced"], w["introduced_ai"], w["fixed"]
        );
    }
    let f = &r["fixes"];
    out += &format!(
        "fixes: introduced {} fixed {} median {} open {} removed with file {}\n",
        f["introduced"], f["fixed"], f["median_days_to_fix"], f["open"], f["removed_with_file"]
    );
    for x in r["ai_vs_human"].as_array().unwrap() {
        out += &format!(
            "rate {}: ai {} ({}/kloc) human {} ({}/kloc)\n",
            x["rule"].as_str().unwrap(), x["ai"], x["ai_per_kloc"], x["human"], x["human_per_kloc"]
        );
    }
    for (key, what) in [("suppressed", "suppressed"), ("approved", "approved")] {
        for w in r[key].as_array().unwrap() {
            let reasons: Vec<String> = w["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| format!("{} x{}", x["reason"].as_str().unwrap(), x["count"]))
                .collect();
            out += &format!("{what} {}: {} ({})\n", w["rule"].as_str().unwrap(), w["count"], reasons.join("; "));
        }
    }
    out += &format!("never fired: {}\n", r["never_fired"]);
    for t in r["top_files"].as_array().unwrap() {
        out += &format!("file {}: {} ({} ai)\n", t["path"].as_str().unwrap(), t["findings"], t["ai"]);
    }
    for s in r["suggestions"].as_array().unwrap() {
        out += &format!("suggest {}: {}\n", s["kind"].as_str().unwrap(), s["text"].as_str().unwrap());
    }
    out += &format!("errors: {}\n", r["errors"]);
    out
}

fn check(history: &str, args: &[&str], expect: Expect) {
    let dir = repo(PACK, history);
    expect.assert_eq(&summary(&json(dir.path(), args)));
}

#[test]
fn whole_history() {
    check(
        HISTORY,
        &[],
        expect![[r#""#]],
    );
}
