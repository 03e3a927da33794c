//! Configuration: the nearest gavel.toml, extends, builtin packs, [rules] overrides, exclude,
//! .gitignore (inside and outside git), files globs and skip_tests; and `gavel test`.

mod common;
use common::{check, check_trusted};
use expect_test::expect;

const PACK: &str = r#"[pack]
id = "house"
[[rule]]
id = "py.eval"
language = "python"
message = "eval"
[rule.match]
call = ["eval"]
[[rule]]
id = "py.print"
language = "python"
message = "print in library code"
skip_tests = true
files = ["lib/**"]
[rule.match]
call = ["print"]
"#;

#[test]
fn nearest_config_extends_overrides_and_exclude() {
    // Outside git, `service/` extends its sibling `platform/`: the user allows it.
    check_trusted(
        &format!(
            r#"
//- platform/gavel.toml
policies = ["house.toml"]
exclude = ["vendor/**"]
[rules]
"py.eval" = {{ severity = "error" }}
//- platform/house.toml
{PACK}
//- service/gavel.toml
extends = ["../platform/gavel.toml"]
exclude = ["generated/**"]
//- service/lib/a.py
eval(x)
print(x)
//- service/lib/test_a.py
print(x)
//- service/scripts/run.py
print(x)
//- service/generated/g.py
eval(x)
//- platform/vendor/v.py
eval(x)
//- other/gavel.toml
policies = ["house.toml"]
[rules]
"py.eval" = "off"
//- other/house.toml
{PACK}
//- other/b.py
eval(x)
print(x)
"#
        ),
        &["check", "--format", "json"],
        expect![[r#"
            exit: 1
            --- stdout
            {
              "version": 1,
              "findings": [
                {
                  "rule": "py.eval",
                  "severity": "error",
                  "category": "general",
                  "message": "eval",
                  "path": "service/lib/a.py",
                  "start": {
                    "line": 1,
                    "column": 1
                  },
                  "end": {
                    "line": 1,
                    "column": 8
                  },
                  "provenance": "unknown",
                  "url": null,
                  "fixes": [],
                  "fingerprint": "3a8292a75682df22"
                },
                {
                  "rule": "py.print",
                  "severity": "warning",
                  "category": "general",
                  "message": "print in library code",
                  "path": "service/lib/a.py",
                  "start": {
                    "line": 2,
                    "column": 1
                  },
                  "end": {
                    "line": 2,
                    "column": 9
                  },
                  "provenance": "unknown",
                  "url": null,
                  "fixes": [],
                  "fingerprint": "f55e9620ab1d96f1"
                }
              ],
              "summary": {
                "files": 4,
                "findings": 2,
                "suppressed": 0,
                "errors": 0,
                "provenance": {
                  "ai": 0,
                  "changed": 0,
                  "unchanged": 0,
                  "unknown": 2
                }
              },
              "errors": []
            }
        "#]],
    );
}

#[test]
fn gitignore_is_honoured_outside_git_and_explicit_config() {
    check(
        &format!(
            r#"
//- .gitignore
build/
//- house.toml
{PACK}
//- custom.toml
policies = ["house.toml"]
//- app.py
eval(x)
//- build/out.py
eval(x)
"#
        ),
        &["check", "--config", "custom.toml"],
        expect![[r#"
            exit: 1
            --- stdout
            warning: eval [py.eval]
             --> app.py:1:1
              |
            1 | eval(x)
              | ^^^^^^^

            1 finding in 1 file checked
        "#]],
    );
}

#[test]
fn builtin_packs_apply_without_a_config() {
    let dir = common::project("//- app.py\nimport yaml\nyaml.load(data)\n");
    let out = common::run(dir.path(), &["rules"]);
    assert!(out.contains("python-security"), "{out}");
    assert!(out.contains("rust-security"), "{out}");
}

#[test]
fn gavel_test_passes_and_fails() {
    let passing = r#"
//- p.toml
[pack]
id = "p"
[[rule]]
id = "py.eval"
language = "python"
message = "eval"
[rule.match]
call = ["eval"]
[[rule.fix]]
title = "Use ast.literal_eval"
rename_to = "ast.literal_eval"
[rule.examples]
bad = ["eval(x)\n", "from builtins import eval as e\ne(x)\n"]
good = ["ast.literal_eval(x)\n", "def eval(x): pass\neval(1)\n"]
[[rule.examples.fixed]]
before = "eval(x)\n"
after = "import ast\nast.literal_eval(x)\n"
"#;
    check(
        passing,
        &["test", "p.toml"],
        expect![[r#"
        exit: 0
        --- stdout
        5 passed, 0 failed
    "#]],
    );
    let failing = passing.replace("good = [", "good = [\"eval(y)\\n\", ");
    check(
        &failing,
        &["test", "p.toml"],
        expect![[r#"
        exit: 1
        --- stdout
        FAIL $DIR/p.toml:14: py.eval: good example gives 1 finding(s) of `py.eval`:
            | eval(y)
        5 passed, 1 failed
    "#]],
    );
}

#[test]
fn a_bare_file_name_uses_the_config_of_the_working_directory() {
    let fixture = format!(
        "//- gavel.toml\npolicies = [\"house.toml\"]\n//- house.toml\n{PACK}\n//- a.py\neval(x)\n"
    );
    check(
        &fixture,
        &["check", "a.py"],
        expect![[r#"
            exit: 1
            --- stdout
            warning: eval [py.eval]
             --> a.py:1:1
              |
            1 | eval(x)
              | ^^^^^^^

            1 finding in 1 file checked
        "#]],
    );
}
