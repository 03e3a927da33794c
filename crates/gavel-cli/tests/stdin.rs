//! `gavel check --stdin-filename PATH` (SPEC 5): an unsaved buffer on standard input, checked as
//! if it were PATH (PATH's config and language), with `--fix` printing the fixed source.

mod common;
use common::{project, run_stdin};
use expect_test::{Expect, expect};

const PROJECT: &str = r#"
//- gavel.toml
policies = ["policies/"]
//- policies/house.toml
[pack]
id = "house"

[[rule]]
id = "py.eval"
language = "python"
message = "eval of $X"
instead = "ast.literal_eval($X)"
[rule.match]
pattern = "eval($X)"
[[rule.fix]]
title = "Use ast.literal_eval"
replace = "ast.literal_eval($X)"
add_imports = ["import ast"]
//- legacy/gavel.toml
exclude = ["old/**"]
//- src/app.py
print("on disk, not checked")
"#;

/// Run `gavel check --stdin-filename` in the project with `input` and compare.
fn check(args: &[&str], input: &[u8], expect: Expect) {
    let dir = project(PROJECT);
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    expect.assert_eq(&run_stdin(dir.path(), &all, input));
}

#[test]
fn the_buffer_is_checked_not_the_file_on_disk() {
    check(
        &["--stdin-filename", "src/app.py", "--format", "json"],
        b"x = eval(s)\n",
        expect![[r#"
            exit: 1
            --- stdout
            {
              "version": 1,
              "findings": [
                {
                  "rule": "py.eval",
                  "severity": "warning",
                  "category": "general",
                  "message": "eval of s",
                  "instead": "ast.literal_eval(s)",
                  "path": "src/app.py",
                  "start": {
                    "line": 1,
                    "column": 5
                  },
                  "end": {
                    "line": 1,
                    "column": 12
                  },
                  "provenance": "unknown",
                  "url": null,
                  "fixes": [
                    {
                      "title": "Use ast.literal_eval",
                      "edits": [
                        {
                          "path": "src/app.py",
                          "start": {
                            "line": 1,
                            "column": 1
                          },
                          "end": {
                            "line": 1,
                            "column": 1
                          },
                          "text": "import ast\n"
                        },
                        {
                          "path": "src/app.py",
                          "start": {
                            "line": 1,
                            "column": 5
                          },
                          "end": {
                            "line": 1,
                            "column": 12
                          },
                          "text": "ast.literal_eval(s)"
                        }
                      ]
                    }
                  ],
                  "fingerprint": "5b4024af356f887d"
                }
              ],
              "summary": {
                "files": 1,
                "findings": 1,
                "suppressed": 0,
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
fn fix_prints_the_fixed_source_and_tells_the_rest_on_stderr() {
    check(
        &["--stdin-filename", "src/new_module.py", "--fix"],
        b"y = eval(t)\n",
        expect![[r#"
            exit: 0
            --- stdout
            import ast
            y = ast.literal_eval(t)
            --- stderr
            0 findings in 1 file checked
            fixed: src/new_module.py (1 fix)
            1 fixed, 0 remaining
        "#]],
    );
}

#[test]
fn text_output_shows_the_agent_message() {
    check(
        &["--stdin-filename", "src/app.py"],
        b"eval(s)\n",
        expect![[r#"
            exit: 1
            --- stdout
            warning: eval of s. Instead: ast.literal_eval(s) [py.eval]
             --> src/app.py:1:1
              |
            1 | eval(s)
              | ^^^^^^^
              = fix: Use ast.literal_eval

            1 finding in 1 file checked (1 fixable with --fix)
        "#]],
    );
}

#[test]
fn an_excluded_path_or_another_language_reports_nothing() {
    check(
        &["--stdin-filename", "legacy/old/x.py"],
        b"eval(s)\n",
        expect![[r#"
            exit: 0
            --- stdout
            0 findings in 0 files checked
        "#]],
    );
    check(
        &["--stdin-filename", "README.md"],
        b"eval(s)\n",
        expect![[r#"
            exit: 0
            --- stdout
            0 findings in 0 files checked
            --- stderr
            note: README.md: skipped: gavel checks Python (.py) and Rust (.rs) files
        "#]],
    );
}

#[test]
fn input_that_is_not_utf8_is_an_error() {
    check(
        &["--stdin-filename", "src/app.py"],
        b"x = \xff\n",
        expect![[r#"
            exit: 2
            --- stderr
            error: standard input is not UTF-8; gavel reads a buffer given with --stdin-filename as UTF-8
        "#]],
    );
}
