//! Adopting gavel on an existing codebase (SPEC 5 and 8) through the real binary: `--select`
//! and `--ignore`, `--statistics`, `--quiet`, `--color`, and the baseline (`gavel baseline`,
//! then `check` reporting only new findings, lines moving, stale entries, a broken baseline).
//!
//! A case is a script, one step a line: `gavel ARGS...` runs gavel and prints what a user sees;
//! `write PATH TEXT` writes TEXT (`\n` for newlines) to PATH in the project.

mod common;

use common::{project, run, script};
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
category = "security"
message = "eval runs arbitrary code"
instead = "ast.literal_eval($ARGS)"
[rule.match]
call = ["eval"]
[[rule]]
id = "house.print"
language = "python"
severity = "warning"
category = "quality"
message = "Use logging, not print()"
[rule.match]
call = ["print"]
[[rule.fix]]
title = "Log with logging.info"
replace = "logging.info($ARGS)"
//- app.py
eval(a)
print(1)
print(2)
x = eval(b)  # gavel: allow(house.eval) parsed from a constant
"#;

fn check(steps: &str, expect: Expect) {
    let dir = project(FIXTURE);
    expect.assert_eq(&script(dir.path(), steps, &[], |shown| shown));
}

#[test]
fn select_and_ignore_by_id_glob_pack_and_category() {
    check(
        "
        gavel check --quiet --select house.eval
        gavel check --quiet --ignore quality
        gavel check --quiet --select house.* --ignore security
        gavel check --quiet --select house
        gavel check --select house.evl
        ",
        expect![[r#"
            $ gavel check --quiet --select house.eval
            exit: 1
            --- stdout
            error: eval runs arbitrary code. Instead: ast.literal_eval(a) [house.eval]
             --> app.py:1:1
              |
            1 | eval(a)
              | ^^^^^^^

            $ gavel check --quiet --ignore quality
            exit: 1
            --- stdout
            error: eval runs arbitrary code. Instead: ast.literal_eval(a) [house.eval]
             --> app.py:1:1
              |
            1 | eval(a)
              | ^^^^^^^

            $ gavel check --quiet --select house.* --ignore security
            exit: 1
            --- stdout
            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:2:1
              |
            2 | print(1)
              | ^^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:3:1
              |
            3 | print(2)
              | ^^^^^^^^

            $ gavel check --quiet --select house
            exit: 1
            --- stdout
            error: eval runs arbitrary code. Instead: ast.literal_eval(a) [house.eval]
             --> app.py:1:1
              |
            1 | eval(a)
              | ^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:2:1
              |
            2 | print(1)
              | ^^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:3:1
              |
            3 | print(2)
              | ^^^^^^^^

            $ gavel check --select house.evl
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: --select house.evl: no loaded rule, pack or category is called that; did you mean `house.eval`? see `gavel rules`
        "#]],
    );
}

#[test]
fn fixing_a_selection_keeps_the_other_rules_suppressions() {
    check(
        "
        gavel check --select house.print --fix --quiet
        cat app.py
        ",
        expect![[r#"
            $ gavel check --select house.print --fix --quiet
            exit: 0
            --- stderr
            fixed: app.py (2 fixes)
            2 fixed, 0 remaining
            $ cat app.py
            eval(a)
            logging.info(1)
            logging.info(2)
            x = eval(b)  # gavel: allow(house.eval) parsed from a constant
        "#]],
    );
}

#[test]
fn statistics_count_per_rule() {
    check(
        "
        gavel check --statistics
        gavel check --statistics --format json
        ",
        expect![[r#"
            $ gavel check --statistics
            exit: 1
            --- stdout
            2  house.print  [*]  Use logging, not print()
            1  house.eval        eval runs arbitrary code
            [*] fixable with --fix
            $ gavel check --statistics --format json
            exit: 1
            --- stdout
            [
              {
                "count": 2,
                "rule": "house.print",
                "fixable": true,
                "message": "Use logging, not print()"
              },
              {
                "count": 1,
                "rule": "house.eval",
                "fixable": false,
                "message": "eval runs arbitrary code"
              }
            ]
        "#]],
    );
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let dir = project(FIXTURE);
    let always = run(
        dir.path(),
        &["check", "--color", "always", "--select", "house.eval"],
    );
    assert!(always.contains("\u{1b}[1m\u{1b}[31merror"), "{always}");
    let piped = run(dir.path(), &["check", "--select", "house.eval"]);
    assert!(!piped.contains('\u{1b}'), "{piped}");
}

#[test]
fn a_baseline_reports_only_new_findings_as_lines_move() {
    check(
        r"
        gavel baseline
        gavel check
        write app.py import os\n\neval(a)\nprint(1)\nprint(2)\nx = eval(b)  # gavel: allow(house.eval) parsed from a constant\neval(c)\n
        gavel check --format json
        write app.py print(1)\nprint(2)\n
        gavel check
        gavel check --no-baseline --quiet
        ",
        expect![[r#"
            $ gavel baseline
            exit: 0
            --- stderr
            gavel: wrote 3 findings to .gavel-baseline.json; `gavel check` now reports only new ones
            $ gavel check
            exit: 0
            --- stdout
            0 findings in 1 file checked (1 suppressed, 3 in the baseline)
            $ write app.py import os\n\neval(a)\nprint(1)\nprint(2)\nx = eval(b)  # gavel: allow(house.eval) parsed from a constant\neval(c)\n
            $ gavel check --format json
            exit: 1
            --- stdout
            {
              "version": 1,
              "findings": [
                {
                  "rule": "house.eval",
                  "severity": "error",
                  "category": "security",
                  "message": "eval runs arbitrary code",
                  "instead": "ast.literal_eval(c)",
                  "path": "app.py",
                  "start": {
                    "line": 7,
                    "column": 1
                  },
                  "end": {
                    "line": 7,
                    "column": 8
                  },
                  "provenance": "unknown",
                  "url": null,
                  "fixes": [],
                  "fingerprint": "e945fb3ecb90710d",
                  "baseline": "new"
                }
              ],
              "summary": {
                "files": 1,
                "findings": 1,
                "suppressed": 1,
                "baselined": 3,
                "errors": 0,
                "provenance": {
                  "ai": 0,
                  "changed": 0,
                  "unchanged": 0,
                  "unknown": 1
                }
              },
              "errors": []
            }
            $ write app.py print(1)\nprint(2)\n
            $ gavel check
            exit: 0
            --- stdout
            0 findings in 1 file checked (2 in the baseline)
            --- stderr
            note: 1 fixed since the baseline; run `gavel baseline` to drop them
            $ gavel check --no-baseline --quiet
            exit: 1
            --- stdout
            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:1:1
              |
            1 | print(1)
              | ^^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:2:1
              |
            2 | print(2)
              | ^^^^^^^^

        "#]],
    );
}

#[test]
fn sarif_has_partial_fingerprints_and_baseline_state() {
    let dir = project(FIXTURE);
    run(dir.path(), &["baseline"]);
    std::fs::write(dir.path().join("b.py"), "eval(z)\n").unwrap();
    let out = run(dir.path(), &["check", "--format", "sarif"]);
    let json = out.split_once("--- stdout\n").unwrap().1;
    let json = json.split("--- stderr").next().unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let shown: Vec<String> = results
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["ruleId"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["baselineState"],
                r["partialFingerprints"]["gavel/v1"]
                    .as_str()
                    .map_or(0, str::len),
            )
        })
        .collect();
    expect![[r#"house.eval "b.py" "new" 16"#]].assert_eq(&shown.join("\n"));
}

#[test]
fn a_broken_baseline_is_an_error_with_its_position() {
    check(
        r#"
        write .gavel-baseline.json {"version": 1, "findings": [}
        gavel check --quiet
        gavel check --quiet --baseline missing.json
        "#,
        expect![[r#"
            $ write .gavel-baseline.json {"version": 1, "findings": [}
            $ gavel check --quiet
            exit: 2
            --- stdout
            error: eval runs arbitrary code. Instead: ast.literal_eval(a) [house.eval]
             --> app.py:1:1
              |
            1 | eval(a)
              | ^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:2:1
              |
            2 | print(1)
              | ^^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:3:1
              |
            3 | print(2)
              | ^^^^^^^^

            --- stderr
            error: .gavel-baseline.json:1:29: not a gavel baseline: expected value at line 1 column 29; write it again with `gavel baseline`
            $ gavel check --quiet --baseline missing.json
            exit: 2
            --- stdout
            error: eval runs arbitrary code. Instead: ast.literal_eval(a) [house.eval]
             --> app.py:1:1
              |
            1 | eval(a)
              | ^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:2:1
              |
            2 | print(1)
              | ^^^^^^^^

            warning: Use logging, not print(). Instead: Log with logging.info [house.print]
             --> app.py:3:1
              |
            3 | print(2)
              | ^^^^^^^^

            --- stderr
            error: missing.json: cannot read the baseline (No such file or directory (os error 2)); write one with `gavel baseline`, or pass --no-baseline
        "#]],
    );
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    check(
        "
        gavel check --diff
        cat app.py
        gavel check --diff --select house.eval
        ",
        expect![[r#"
            $ gavel check --diff
            exit: 1
            --- stdout
            --- a/app.py
            +++ b/app.py
            @@ -1,4 +1,4 @@
             eval(a)
            -print(1)
            -print(2)
            +logging.info(1)
            +logging.info(2)
             x = eval(b)  # gavel: allow(house.eval) parsed from a constant
            --- stderr
            gavel: --fix would change 1 file; nothing was written
            $ cat app.py
            eval(a)
            print(1)
            print(2)
            x = eval(b)  # gavel: allow(house.eval) parsed from a constant
            $ gavel check --diff --select house.eval
            exit: 0
            --- stderr
            gavel: --fix would change 0 files; nothing was written
        "#]],
    );
}

#[test]
fn gitlab_code_quality_report() {
    check(
        "gavel check --format gitlab --select house.eval",
        expect![[r#"
            $ gavel check --format gitlab --select house.eval
            exit: 1
            --- stdout
            [
              {
                "description": "eval runs arbitrary code. Instead: ast.literal_eval(a) [house.eval]",
                "check_name": "house.eval",
                "fingerprint": "8eb3d606d4be0098",
                "severity": "critical",
                "location": {
                  "path": "app.py",
                  "lines": {
                    "begin": 1,
                    "end": 1
                  }
                }
              }
            ]
        "#]],
    );
}
