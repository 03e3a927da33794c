//! `gavel check` output in text, JSON and SARIF, on lines holding non-ASCII text and emoji,
//! and the exit codes.

mod common;
use common::{check, project, stdout};
use expect_test::expect;

const PROJECT: &str = r#"
//- gavel.toml
policies = ["policies/"]
//- policies/house.toml
[pack]
id = "house"

[[rule]]
id = "py.shell"
language = "python"
severity = "error"
category = "security"
message = "$NAME with shell=True"
url = "https://cwe.mitre.org/data/definitions/78.html"
[rule.match]
call = ["subprocess.*"]
kwargs = { shell = "True" }
[rule.sanctioned]
name = "acme.proc"
docs = "https://wiki.acme.example/proc"
[[rule.fix]]
title = "Use acme.proc.run"
replace = "acme.proc.run($ARGS)"
add_imports = ["import acme.proc"]

[[rule]]
id = "py.eval"
language = "python"
message = "eval of $X"
[rule.match]
pattern = "eval($X)"
//- src/app.py
import subprocess as sp
msg = "héllo 😀"; sp.run(cmd, shell=True)
eval(x)  # gavel: allow(py.eval) x is a literal from settings
"#;

#[test]
fn text_output() {
    check(
        PROJECT,
        &["check"],
        expect![[r#"
            exit: 1
            --- stdout
            error: subprocess.run with shell=True. Instead: Use acme.proc.run [py.shell]
             --> src/app.py:2:18
              |
            2 | msg = "héllo 😀"; sp.run(cmd, shell=True)
              |                   ^^^^^^^^^^^^^^^^^^^^^^^
              = sanctioned: use acme.proc (https://wiki.acme.example/proc)
              = see: https://cwe.mitre.org/data/definitions/78.html

            1 finding in 1 file checked (1 fixable with --fix, 1 suppressed)
        "#]],
    );
}

#[test]
fn json_positions_count_unicode_scalar_values() {
    check(
        PROJECT,
        &["check", "--format", "json"],
        expect![[r#"
            exit: 1
            --- stdout
            {
              "version": 1,
              "findings": [
                {
                  "rule": "py.shell",
                  "severity": "error",
                  "category": "security",
                  "message": "subprocess.run with shell=True",
                  "path": "src/app.py",
                  "start": {
                    "line": 2,
                    "column": 18
                  },
                  "end": {
                    "line": 2,
                    "column": 41
                  },
                  "provenance": "unknown",
                  "url": "https://cwe.mitre.org/data/definitions/78.html",
                  "fixes": [
                    {
                      "title": "Use acme.proc.run",
                      "edits": [
                        {
                          "path": "src/app.py",
                          "start": {
                            "line": 1,
                            "column": 24
                          },
                          "end": {
                            "line": 1,
                            "column": 24
                          },
                          "text": "\nimport acme.proc"
                        },
                        {
                          "path": "src/app.py",
                          "start": {
                            "line": 2,
                            "column": 18
                          },
                          "end": {
                            "line": 2,
                            "column": 41
                          },
                          "text": "acme.proc.run(cmd, shell=True)"
                        }
                      ]
                    }
                  ],
                  "sanctioned": {
                    "name": "acme.proc",
                    "docs": "https://wiki.acme.example/proc"
                  },
                  "fingerprint": "bfa6085cfd7bd244"
                }
              ],
              "summary": {
                "files": 1,
                "findings": 1,
                "suppressed": 1,
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
        "#]],
    );
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let dir = project(PROJECT);
    let out = stdout(dir.path(), &["check", "--format", "sarif"]);
    let log = valid_sarif(&out);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "py.shell");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startColumn"],
        18
    );
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][1]["insertedContent"]["text"],
        "acme.proc.run(cmd, shell=True)"
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "py.shell"
        && r["helpUri"] == "https://cwe.mitre.org/data/definitions/78.html"));
}

/// The SARIF log in `out`, validated against the 2.1.0 schema.
fn valid_sarif(out: &str) -> serde_json::Value {
    let log: serde_json::Value = serde_json::from_str(out).expect("SARIF is JSON");
    // The published schema's `language` pattern has a stray `]` that makes it an invalid
    // regex; the OASIS repository later fixed it. Apply that fix in memory.
    let schema =
        include_str!("../../../tests/schemas/sarif-schema-2.1.0.json").replace("{2}]?$", "{2}?$");
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    log
}

/// A broken pack beside a good one: the findings of the good one, and reports that say the
/// run failed (SPEC 5), never an empty, clean-looking one.
#[test]
fn reports_after_an_error_say_so() {
    let broken = format!(
        "{PROJECT}//- policies/broken.toml\n[pack]\nid = \"broken\"\n[[rule]]\nid = \"b\"\nlanguage = \"python\"\nmesage = \"x\"\n"
    );
    let dir = project(&broken);
    let json: serde_json::Value =
        serde_json::from_str(&stdout(dir.path(), &["check", "--format", "json"])).unwrap();
    expect![[r#"
        [
          {
            "path": "policies/broken.toml",
            "line": 6,
            "column": 1,
            "message": "unknown key `mesage`: did you mean `message`? (unknown field `mesage`, expected one of `id`, `language`, `severity`, `category`, `message`, `note`, `url`, `files`, `exclude`, `skip_tests`, `applies_to`, `instead`, `match`, `sanctioned`, `fix`, `examples`, `requires_approval`, `review`)"
          }
        ]"#]].assert_eq(&serde_json::to_string_pretty(&json["errors"]).unwrap());
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    let log = valid_sarif(&stdout(dir.path(), &["check", "--format", "sarif"]));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    expect![[r#"
        [
          {
            "level": "error",
            "message": {
              "text": "unknown key `mesage`: did you mean `message`? (unknown field `mesage`, expected one of `id`, `language`, `severity`, `category`, `message`, `note`, `url`, `files`, `exclude`, `skip_tests`, `applies_to`, `instead`, `match`, `sanctioned`, `fix`, `examples`, `requires_approval`, `review`)"
            },
            "locations": [
              {
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "policies/broken.toml"
                  },
                  "region": {
                    "startLine": 6,
                    "startColumn": 1
                  }
                }
              }
            ]
          }
        ]"#]].assert_eq(
        &serde_json::to_string_pretty(&invocation["toolExecutionNotifications"]).unwrap(),
    );
    let code = common::run(dir.path(), &["check", "--format", "sarif"]);
    assert!(code.starts_with("exit: 2\n"), "{code}");
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = project(PROJECT);
    let code = |args: &[&str]| {
        common::run(dir.path(), args)
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(code(&["check", "--fail-on", "never"]), "exit: 0");
    assert_eq!(code(&["check", "--fail-on", "error"]), "exit: 1");
    assert_eq!(code(&["check", "--fail-on", "bogus"]), "exit: 2");
    assert_eq!(code(&["check", "does-not-exist"]), "exit: 2");
    assert_eq!(code(&["check", "--config", "missing.toml"]), "exit: 2");
}

#[test]
fn fix_rewrites_in_place_and_rechecks() {
    let dir = project(PROJECT);
    expect![[r#"
        exit: 0
        --- stdout
        0 findings in 1 file checked (1 suppressed)
        --- stderr
        fixed: src/app.py (1 fix)
        1 fixed, 0 remaining
    "#]]
    .assert_eq(&common::run(dir.path(), &["check", "--fix"]));
    expect![[r#"
        import subprocess as sp
        import acme.proc
        msg = "héllo 😀"; acme.proc.run(cmd, shell=True)
        eval(x)  # gavel: allow(py.eval) x is a literal from settings
    "#]]
    .assert_eq(&std::fs::read_to_string(dir.path().join("src/app.py")).unwrap());
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    // `gavel check | head -0`: the reader is gone before the report is written.
    let dir = project(PROJECT);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gavel runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("gavel ends");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_the_mode_names_what_it_changed_and_stops_a_fix_that_does_not_converge() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(
        r#"
//- gavel.toml
policies = ["pack.toml"]
//- pack.toml
[pack]
id = "fx"
[[rule]]
id = "fx.wrap"
language = "python"
message = "wrap"
[rule.match]
call = ["wrap"]
[[rule.fix]]
title = "Wrap again"
replace = "wrap(wrap($ARGS))"
//- run.py
wrap(1)
//- clean.py
x = 1
"#,
    );
    let run_py = dir.path().join("run.py");
    std::fs::set_permissions(&run_py, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = common::run(dir.path(), &["check", "--fix", "--format", "json"]);
    let stderr = out.split("--- stderr\n").nth(1).unwrap_or_default();
    expect![[r#"
        warning: run.py: fix "Wrap again" of fx.wrap did not clear its finding; applied once, not again
        fixed: run.py (1 fix)
        1 fixed, 2 remaining
    "#]]
    .assert_eq(stderr);
    assert_eq!(std::fs::read_to_string(&run_py).unwrap(), "wrap(wrap(1))\n");
    let mode = std::fs::metadata(&run_py).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o755);
}
