//! The result cache (`.gavel_cache/`): a second run over an unchanged tree checks nothing again
//! and reports the same; an edited file, an edited pack or a new `[rules]` override is checked
//! again; `--no-cache` neither reads nor writes it. `GAVEL_LOG=debug` prints the hits and misses.

mod common;

use std::path::Path;

use common::{project, run_env, script};
use expect_test::{Expect, expect};

const FIXTURE: &str = r#"
//- gavel.toml
policies = ["house.toml"]
//- house.toml
[pack]
id = "house"
[[rule]]
id = "house.eval"
language = "python"
severity = "error"
message = "eval runs arbitrary code"
[rule.match]
call = ["eval"]
[[rule]]
id = "house.print"
language = "python"
severity = "warning"
message = "Use logging, not print()"
instead = "logging.info($ARGS)"
[rule.match]
call = ["print"]
[[rule.fix]]
title = "Log with logging.info"
replace = "logging.info($ARGS)"
//- a.py
eval(a)
//- b.py
x = 1
//- c.py
print(1)
print(2)  # gavel: allow(house.print) the CLI's output
"#;

/// A script (see `common::script`) with `GAVEL_LOG=debug`, showing of each run its summary line
/// and the cache's debug line, then what the cache directory holds.
fn check(steps: &str, expect: Expect) {
    let dir = project(FIXTURE);
    let keep = |shown: String| {
        let lines = shown.lines();
        let kept = lines.filter(|l| l.contains(" checked") || l.starts_with("debug: cache"));
        kept.map(|l| format!("{l}\n")).collect()
    };
    let mut out = script(dir.path(), steps, &[("GAVEL_LOG", "debug")], keep);
    out.push_str(&format!(
        "cache: {}\n",
        listing(&dir.path().join(".gavel_cache"))
    ));
    expect.assert_eq(&out);
}

/// `.gitignore` and how many entries.
fn listing(dir: &Path) -> String {
    let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap_or_default();
    let entries = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .count();
    format!("{entries} entries, .gitignore {gitignore:?}")
}

#[test]
fn a_warm_run_checks_nothing_again() {
    check(
        r#"
        gavel check --fail-on never
        gavel check --fail-on never
        write b.py eval(b)\n
        gavel check --fail-on never
        write house.toml [pack]\nid = "house"\n[[rule]]\nid = "house.eval"\nlanguage = "python"\nseverity = "warning"\nmessage = "eval again"\n[rule.match]\ncall = ["eval"]\n
        gavel check --fail-on never
        write gavel.toml policies = ["house.toml"]\n[rules]\n"house.eval" = "off"\n
        gavel check --fail-on never
        "#,
        expect![[r##"
            $ gavel check --fail-on never
            2 findings in 3 files checked (1 fixable with --fix, 1 suppressed)
            debug: cache: 0 hits, 3 misses
            $ gavel check --fail-on never
            2 findings in 3 files checked (1 fixable with --fix, 1 suppressed)
            debug: cache: 3 hits, 0 misses
            $ write b.py eval(b)\n
            $ gavel check --fail-on never
            3 findings in 3 files checked (1 fixable with --fix, 1 suppressed)
            debug: cache: 2 hits, 1 misses
            $ write house.toml [pack]\nid = "house"\n[[rule]]\nid = "house.eval"\nlanguage = "python"\nseverity = "warning"\nmessage = "eval again"\n[rule.match]\ncall = ["eval"]\n
            $ gavel check --fail-on never
            3 findings in 3 files checked
            debug: cache: 0 hits, 3 misses
            $ write gavel.toml policies = ["house.toml"]\n[rules]\n"house.eval" = "off"\n
            $ gavel check --fail-on never
            1 finding in 3 files checked
            debug: cache: 0 hits, 3 misses
            cache: 10 entries, .gitignore "# gavel's result cache\n*\n"
        "##]],
    );
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    check(
        "
        gavel check --fail-on never --no-cache
        ",
        expect![[r#"
            $ gavel check --fail-on never --no-cache
            2 findings in 3 files checked (1 fixable with --fix, 1 suppressed)
            cache: 0 entries, .gitignore ""
        "#]],
    );
}

#[test]
fn warm_results_are_the_cold_ones() {
    let dir = project(FIXTURE);
    let args = ["check", "--format", "json", "--fail-on", "never"];
    let cold = run_env(dir.path(), &args, &[]);
    let warm = run_env(dir.path(), &args, &[("GAVEL_LOG", "debug")]);
    assert!(warm.contains("debug: cache: 3 hits, 0 misses"), "{warm}");
    let stdout = |s: &str| s.split("--- stderr").next().unwrap().to_string();
    assert_eq!(stdout(&cold), stdout(&warm));
    assert!(
        cold.contains("logging.info(1)") && cold.contains("\"suppressed\": 1"),
        "{cold}"
    );
}

#[cfg(unix)]
#[test]
fn a_cache_the_repository_brings_as_a_symlink_is_not_used() {
    let dir = project(FIXTURE);
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".gavel_cache")).unwrap();
    let out = run_env(dir.path(), &["check", "--fail-on", "never"], &[]);
    assert!(out.contains("2 findings in 3 files checked"), "{out}");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
