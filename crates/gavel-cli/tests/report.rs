//! `gavel report` (SPEC 10) on real repositories made with `git`, commit by commit with set
//! dates and AI co-author trailers: the figures a policy owner reads (findings over time by
//! severity and by provenance, introduced and fixed per week, time to fix, rates per 1,000 lines
//! written, suppressions and approvals with reasons, rules that never fire, top files,
//! suggestions), the sample of `--max-commits` and `--since`, the HTML page, and errors.

mod common;
#[allow(dead_code)]
mod fake_llm;
#[path = "../../../tests/support/git.rs"]
mod git_support;
mod review_fixture;

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
                let (date, who, message) = (
                    words.next().unwrap(),
                    words.next().unwrap(),
                    words.next().unwrap(),
                );
                let when = format!("{date}T12:00:00Z");
                let message = match who {
                    "ai" => format!("{message}{CLAUDE}"),
                    _ => message.to_string(),
                };
                git(d, &["add", "-A"]);
                let env = [
                    ("GIT_AUTHOR_DATE", when.as_str()),
                    ("GIT_COMMITTER_DATE", when.as_str()),
                ];
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
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
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
            p["date"].as_str().unwrap(),
            p["error"],
            p["warning"],
            p["info"],
            p["ai"],
            p["human"],
            p["files"]
        );
    }
    for w in r["weeks"].as_array().unwrap() {
        out += &format!(
            "week {}: introduced {} ({} ai), fixed {}\n",
            w["week"].as_str().unwrap(),
            w["introduced"],
            w["introduced_ai"],
            w["fixed"]
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
            x["rule"].as_str().unwrap(),
            x["ai"],
            x["ai_per_kloc"],
            x["human"],
            x["human_per_kloc"]
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
            out += &format!(
                "{what} {}: {} ({})\n",
                w["rule"].as_str().unwrap(),
                w["count"],
                reasons.join("; ")
            );
        }
    }
    for v in r["review"].as_array().unwrap() {
        out += &format!(
            "review {}: pass {} fail {} unsure {}\n",
            v["rule"].as_str().unwrap(),
            v["pass"],
            v["fail"],
            v["unsure"]
        );
    }
    out += &format!("never fired: {}\n", r["never_fired"]);
    for t in r["top_files"].as_array().unwrap() {
        out += &format!(
            "file {}: {} ({} ai)\n",
            t["path"].as_str().unwrap(),
            t["findings"],
            t["ai"]
        );
    }
    for s in r["suggestions"].as_array().unwrap() {
        out += &format!(
            "suggest {}: {}\n",
            s["kind"].as_str().unwrap(),
            s["text"].as_str().unwrap()
        );
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
        expect![[r#"
            commits: 7 walked, 7 checked, 2 AI-written; lines written: ai 6, human 3
            2025-01-06: error 0 warning 1 info 0 | ai 0 human 1 | 2 files
            2025-01-08: error 1 warning 2 info 0 | ai 2 human 1 | 2 files
            2025-01-15: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
            2025-01-20: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
            2025-01-22: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
            2025-02-03: error 1 warning 2 info 0 | ai 2 human 1 | 3 files
            2025-02-04: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
            week 2025-01-06: introduced 3 (2 ai), fixed 0
            week 2025-01-13: introduced 0 (0 ai), fixed 1
            week 2025-01-20: introduced 0 (0 ai), fixed 0
            week 2025-01-27: introduced 0 (0 ai), fixed 0
            week 2025-02-03: introduced 1 (0 ai), fixed 0
            fixes: introduced 4 fixed 1 median 9.0 open 2 removed with file 1
            rate t.eval: ai 1 (166.67/kloc) human 2 (666.67/kloc)
            rate t.exec: ai 1 (166.67/kloc) human 0 (0.0/kloc)
            suppressed t.pickle: 2 (trusted cache x2)
            suppressed t.eval: 1 (constant input x1)
            never fired: ["t.never"]
            file service/app.py: 2 (2 ai)
            suggest suppressed-more-than-fixed: `t.pickle` is suppressed 2 times and was fixed 0 times: read the reasons ("trusted cache") and narrow its matcher, add the sanctioned way the reasons point to, or lower its severity.
            suggest never-fires: 1 of 4 rules for the languages seen never fired in 7 commits: `t.never`. Check that each still matches what it bans (`gavel test` runs its examples), or retire it.
            errors: []
        "#]],
    );
}

#[test]
fn a_sample_of_max_commits_is_spread_evenly_and_keeps_the_last() {
    check(
        HISTORY,
        &["--max-commits", "3"],
        expect![[r#"
        commits: 7 walked, 3 checked, 2 AI-written; lines written: ai 6, human 3
        2025-01-06: error 0 warning 1 info 0 | ai 0 human 1 | 2 files
        2025-01-20: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
        2025-02-04: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
        week 2025-01-06: introduced 1 (0 ai), fixed 0
        week 2025-01-13: introduced 0 (0 ai), fixed 0
        week 2025-01-20: introduced 2 (2 ai), fixed 1
        week 2025-01-27: introduced 0 (0 ai), fixed 0
        week 2025-02-03: introduced 0 (0 ai), fixed 0
        fixes: introduced 3 fixed 1 median 14.0 open 2 removed with file 0
        rate t.eval: ai 1 (166.67/kloc) human 1 (333.33/kloc)
        rate t.exec: ai 1 (166.67/kloc) human 0 (0.0/kloc)
        suppressed t.pickle: 2 (trusted cache x2)
        suppressed t.eval: 1 (constant input x1)
        never fired: ["t.never"]
        file service/app.py: 2 (2 ai)
        suggest suppressed-more-than-fixed: `t.pickle` is suppressed 2 times and was fixed 0 times: read the reasons ("trusted cache") and narrow its matcher, add the sanctioned way the reasons point to, or lower its severity.
        suggest never-fires: 1 of 4 rules for the languages seen never fired in 3 commits: `t.never`. Check that each still matches what it bans (`gavel test` runs its examples), or retire it.
        errors: []
    "#]],
    );
}

#[test]
fn since_starts_mid_history_and_what_was_there_is_not_introduced() {
    check(
        HISTORY,
        &["--since", "2025-01-16"],
        expect![[r#"
        commits: 7 walked, 4 checked, 1 AI-written; lines written: ai 4, human 1
        2025-01-20: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
        2025-01-22: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
        2025-02-03: error 1 warning 2 info 0 | ai 2 human 1 | 3 files
        2025-02-04: error 1 warning 1 info 0 | ai 2 human 0 | 2 files
        week 2025-01-20: introduced 0 (0 ai), fixed 0
        week 2025-01-27: introduced 0 (0 ai), fixed 0
        week 2025-02-03: introduced 1 (0 ai), fixed 0
        fixes: introduced 1 fixed 0 median null open 2 removed with file 1
        rate t.eval: ai 0 (0.0/kloc) human 1 (1000.0/kloc)
        suppressed t.pickle: 2 (trusted cache x2)
        suppressed t.eval: 1 (constant input x1)
        never fired: ["t.never"]
        file service/app.py: 2 (2 ai)
        suggest suppressed-more-than-fixed: `t.eval` is suppressed 1 times and was fixed 0 times: read the reasons ("constant input") and narrow its matcher, add the sanctioned way the reasons point to, or lower its severity.
        suggest suppressed-more-than-fixed: `t.pickle` is suppressed 2 times and was fixed 0 times: read the reasons ("trusted cache") and narrow its matcher, add the sanctioned way the reasons point to, or lower its severity.
        suggest never-fires: 1 of 4 rules for the languages seen never fired in 4 commits: `t.never`. Check that each still matches what it bans (`gavel test` runs its examples), or retire it.
        errors: []
    "#]],
    );
}

#[test]
fn a_broken_pack_is_listed_and_the_command_exits_2() {
    let broken = PACK.replace("severity = \"info\"", "severity = \"loud\"");
    let dir = repo(&broken, HISTORY);
    let (code, stdout, stderr) = gavel(dir.path(), &["report", "--format", "json", "--quiet"]);
    assert_eq!(code, 2, "{stderr}");
    let r: Value = serde_json::from_str(&stdout).expect("the report is still written");
    let dir = dir.path().to_str().unwrap();
    let (errors, stderr) = (
        r["errors"].to_string().replace(dir, "$DIR"),
        stderr.replace(dir, "$DIR"),
    );
    expect![[r#"
        ["$DIR/house.toml:21:12: unknown value `loud`: expected one of `off`, `hint`, `info`, `warning`, `error`"]
        --- stderr
        error: $DIR/house.toml:21:12: unknown value `loud`: expected one of `off`, `hint`, `info`, `warning`, `error`
    "#]].assert_eq(&format!("{errors}\n--- stderr\n{stderr}"));
}

#[test]
fn outside_a_repository_it_says_so_and_exits_2() {
    let dir = common::project(PACK);
    let (code, stdout, stderr) = gavel(dir.path(), &["report", "--format", "json"]);
    expect![[r#"
        exit 2
        --- stdout
        --- stderr
        error: .: not in a git repository (Could not find a git repository in "." or in any of its parents); run gavel report inside one
    "#]].assert_eq(&format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"));
}

#[test]
fn a_bad_since_names_the_forms_it_takes() {
    let dir = repo(PACK, HISTORY);
    let (code, _, stderr) = gavel(dir.path(), &["report", "--since", "last tuesday"]);
    expect![[r#"
        exit 2
        error: --since `last tuesday` is not a date: write a date (2025-01-31), a time (2025-01-31T12:00:00Z) or how long ago (90 days, 6 months, 1 year)
    "#]].assert_eq(&format!("exit {code}\n{stderr}"));
}

#[test]
fn review_verdicts_and_approvals_with_their_reasons() {
    let server = fake_llm::Server::start(|body| {
        if body.contains("acme_authz.require(\\\"read\\\")") {
            (
                200,
                fake_llm::verdict("pass", "it calls acme_authz.require()"),
            )
        } else {
            (200, fake_llm::verdict("fail", "no acme_authz.require()"))
        }
    });
    let user = format!(
        "[review]\nendpoint = \"{}\"\nmodel = \"m\"\napi_key_env = \"TEST_REVIEW_API_KEY\"\n",
        server.url
    );
    let dir = review_fixture::layout("", &user);
    let ws = dir.path().join("ws");
    std::fs::write(ws.join("tool.py"), "x = eval(\"1\")\n").unwrap();
    git(&ws, &["init", "-q"]);
    git(&ws, &["config", "user.email", "owner@example.com"]);
    git(&ws, &["add", "-A"]);
    let when = [
        ("GIT_AUTHOR_DATE", "2025-03-03T12:00:00Z"),
        ("GIT_COMMITTER_DATE", "2025-03-03T12:00:00Z"),
    ];
    git_env(&ws, &["commit", "-q", "-m", "handlers"], &when);
    let env = [
        ("TEST_REVIEW_API_KEY", "sk-test"),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("GIT_AUTHOR_NAME", "A"),
    ];
    let run = |args: &[&str]| review_fixture::gavel(dir.path(), args, &env, &server.url);
    let approved = run(&[
        "approve",
        "acme.no-eval",
        "tool.py:1",
        "--reason",
        "the input is a constant",
        "--expires",
        "2099-01-31",
    ]);
    assert!(approved.contains("exit: 0"), "{approved}");
    let reviewed = run(&["review", "--scope", "all"]);
    assert!(reviewed.contains("1 failed, 1 passed"), "{reviewed}");
    let out = run(&["report", "--format", "json", "--quiet"]);
    let json = out.split("--- stdout\n").nth(1).expect("stdout");
    let r: Value = serde_json::from_str(json).expect("JSON");
    expect![[r#"
        commits: 1 walked, 1 checked, 0 AI-written; lines written: ai 0, human 12
        2025-03-03: error 1 warning 0 info 0 | ai 0 human 1 | 2 files
        week 2025-03-03: introduced 1 (0 ai), fixed 0
        fixes: introduced 1 fixed 0 median null open 1 removed with file 0
        rate acme.no-eval: ai 0 (0.0/kloc) human 1 (83.33/kloc)
        approved acme.no-eval: 1 (the input is a constant x1)
        review acme.endpoint-authz: pass 1 fail 1 unsure 0
        never fired: []
        file tool.py: 1 (0 ai)
        errors: []
    "#]]
    .assert_eq(&summary(&r));
}

/// The HTML page: every chart, each with a sentence; the stats; the figures embedded as the
/// same JSON that `--format json` prints; nothing fetched from the network.
#[test]
fn the_page_holds_every_chart_and_the_figures_of_the_json() {
    let dir = repo(PACK, HISTORY);
    let (code, _, stderr) = gavel(dir.path(), &["report", "--out", "r.html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote r.html"), "{stderr}");
    let page = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let charts: Vec<&str> = page
        .split("data-chart=\"")
        .skip(1)
        .map(|s| {
            let id = &s[..s.find('"').unwrap()];
            let figure = &s[..s.find("</figure>").unwrap()];
            assert!(figure.contains("<figcaption>"), "{id} says what it shows");
            assert!(
                figure.contains("<svg") || figure.contains("data-empty"),
                "{id}"
            );
            id
        })
        .collect();
    expect!["severity provenance weeks ai-vs-human suppressed approved top-files"]
        .assert_eq(&charts.join(" "));
    for banned in ["http://", "https://", "<link", "src="] {
        assert!(!page.contains(banned), "the page fetches nothing: {banned}");
    }
    let embedded = page
        .split("id=\"gavel-report-data\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("embedded figures");
    let mut embedded: Value = serde_json::from_str(&embedded.replace("<\\/", "</")).unwrap();
    let mut printed = json(dir.path(), &[]);
    for r in [&mut embedded, &mut printed] {
        r["commits"]["seconds"] = Value::Null;
        r["commits"]["per_second"] = Value::Null;
    }
    assert_eq!(embedded, printed);
}
