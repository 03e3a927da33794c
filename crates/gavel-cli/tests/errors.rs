//! Bad input: each error names the file, line and column, says what to change, and the CLI
//! exits 2. Bad source files are skipped with a note and do not change the exit code.

mod common;
use common::check;
use expect_test::expect;

/// A project whose only pack is `rule` (after a valid `[pack]` header).
fn with_pack(rule: &str) -> String {
    format!(
        "//- gavel.toml\npolicies = [\"house.toml\"]\n//- house.toml\n[pack]\nid = \"house\"\n{rule}\n//- app.py\nx = 1\n"
    )
}

#[test]
fn malformed_toml() {
    check(
        &with_pack("[[rule]\nid = 1"),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:3:8: unclosed array table, expected `]`
        "#]],
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmesage = \"x\"\n[rule.match]\ncall = [\"eval\"]",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:6:1: unknown key `mesage`: did you mean `message`? (unknown field `mesage`, expected one of `id`, `language`, `severity`, `category`, `message`, `note`, `url`, `files`, `exclude`, `skip_tests`, `applies_to`, `instead`, `match`, `sanctioned`, `fix`, `examples`, `requires_approval`, `review`)
        "#]],
    );
}

#[test]
fn unknown_matcher_and_two_matchers() {
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\ncalls = [\"eval\"]",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:8:1: unknown key `calls`: did you mean `call`? (unknown field `calls`, expected one of `import`, `call`, `reference`, `method`, `macro`, `pattern`, `query`, `regex`, `metric`, `regex_in`, `max`, `kwargs`, `missing_kwargs`, `positions`, `arg_regex`, `arg_not_literal`, `inside`, `not_inside`)
        "#]],
    );
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\ncall = [\"eval\"]\nregex = \"x\"",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:7:1: rule `a`: [rule.match] has 2 matchers (call, regex); keep one, or write several [[rule.match]] tables to match any of them
        "#]],
    );
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\nimport = []",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:8:10: rule `a`: `import = []` names nothing: list at least one name
        "#]],
    );
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"$FUNC called with $X\"\ninstead = \"safe($X)\"\n[rule.match]\npattern = \"eval($X)\"",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:6:12: rule `a`: `message` uses `$FUNC`, which no matcher gives (this rule's matchers give $X); write one of those, or the text without `$`
        "#]],
    );
}

#[test]
fn duplicate_rule_ids_in_a_pack_and_across_packs() {
    let rule = "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\ncall = [\"eval\"]\n";
    check(
        &with_pack(&format!("{rule}{rule}")),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:10:6: duplicate rule id `a` in this pack: rule ids must be unique
        "#]],
    );
    check(
        &format!(
            "//- gavel.toml\npolicies = [\"p\"]\n//- p/one.toml\n[pack]\nid = \"one\"\n{rule}//- p/two.toml\n[pack]\nid = \"two\"\n{rule}//- app.py\neval(x)\n"
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            warning: x [a]
             --> app.py:1:1
              |
            1 | eval(x)
              | ^^^^^^^

            1 finding in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: p/two.toml:3:1: duplicate rule id `a`: already defined in $DIR/p/one.toml:3; rename one of them
        "#]],
    );
}

#[test]
fn invalid_regex_query_and_pattern() {
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\nregex = \"AKIA[0-9\"",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:8:9: invalid regex `AKIA[0-9`: error: unclosed character class
        "#]],
    );
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\nquery = '''\n(call\n  function: (identifer) @match)\n'''",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:10:14: rule `a`: invalid tree-sitter query for python: NodeType error: "identifer"
        "#]],
    );
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n[rule.match]\npattern = \"eval($X\"",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:8:11: rule `a`: pattern `eval($X` is not valid python code; write it as code, with $X for one node and $$$X for many
        "#]],
    );
}

#[test]
fn unsupported_language_and_bad_severity() {
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"go\"\nmessage = \"x\"\n[rule.match]\ncall = [\"eval\"]",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:5:12: rule `a`: language `go` is not supported; use "python" or "rust"
        "#]],
    );
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nseverity = \"warn\"\nmessage = \"x\"\n[rule.match]\ncall = [\"eval\"]",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:6:12: unknown value `warn`: did you mean `warning`? (unknown variant `warn`, expected one of `off`, `hint`, `info`, `warning`, `error`)
        "#]],
    );
}

#[test]
fn type_errors_say_what_is_wanted_not_internal_names() {
    let rule = "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\n";
    for (extra, want) in [
        (
            "severity = 2\n[rule.match]\ncall = [\"eval\"]",
            expect![[r#"
                exit: 2
                --- stderr
                error: house.toml:7:12: invalid type: integer `2`, expected a severity: "error", "warning", "info", "hint" or "off"
            "#]],
        ),
        (
            "[rule.match]\ncall = [\"eval\"]\nkwargs = { shell = 1 }",
            expect![[r#"
                exit: 2
                --- stderr
                error: house.toml:9:20: not a keyword test: write the value's text ("True"), a list of texts, or { regex = "..." }
            "#]],
        ),
        (
            "[rule.match]\ncall = [\"eval\"]\n[rule.examples]\nfixed = [\"x\"]",
            expect![[r#"
                exit: 2
                --- stderr
                error: house.toml:10:10: invalid type: string "x", expected a table { before = "...", after = "..." } ([[rule.examples.fixed]])
            "#]],
        ),
    ] {
        check(
            &with_pack(&format!("{rule}{extra}")),
            &["check", "--quiet"],
            want,
        );
    }
}

#[test]
fn bad_config_entries() {
    check(
        "//- gavel.toml\npolicies = [\"builtin:python-securty\", \"nope/\"]\n[rules]\n\"py.evl\" = \"off\"\n//- app.py\nx = 1\n",
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 3 errors (above): this report is incomplete
            --- stderr
            error: gavel.toml:1:13: unknown built-in pack `builtin:python-securty`: did you mean `builtin:python-security`? the built-in packs are builtin:python-security, builtin:python-quality, builtin:rust-security, builtin:rust-quality
            error: gavel.toml:1:39: policy entry `nope/` ($DIR/nope/) cannot be read: No such file or directory (os error 2)
            error: gavel.toml:3:1: [rules] names `py.evl`, which no loaded pack defines: see `gavel rules`
        "#]],
    );
}

#[test]
fn binary_non_utf8_and_unreadable_files() {
    let dir = common::project(
        "//- gavel.toml\npolicies = [\"p.toml\"]\n//- p.toml\n[pack]\nid = \"p\"\n[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"eval\"\n[rule.match]\ncall = [\"eval\"]\n//- ok.py\neval(x)\n",
    );
    std::fs::write(dir.path().join("latin1.py"), b"s = '\xe9'\neval(y)\n").unwrap();
    std::fs::write(dir.path().join("blob.py"), b"\x00\x01\x02").unwrap();
    expect![[r#"
        exit: 1
        --- stdout
        warning: eval [a]
         --> ok.py:1:1
          |
        1 | eval(x)
          | ^^^^^^^

        1 finding in 1 file checked
        --- stderr
        note: blob.py: skipped: binary file (a NUL byte at offset 0, which Python rejects too)
        note: latin1.py: skipped: not UTF-8 (invalid byte at offset 5), which Python rejects too
    "#]]
    .assert_eq(&common::run(dir.path(), &["check"]));
}

#[test]
fn instead_must_be_one_line() {
    check(
        &with_pack(
            "[[rule]]\nid = \"a\"\nlanguage = \"python\"\nmessage = \"x\"\ninstead = \"\"\"\nfirst\nsecond\"\"\"\n[rule.match]\ncall = [\"eval\"]",
        ),
        &["check"],
        expect![[r#"
            exit: 2
            --- stdout
            0 findings in 1 file checked; 1 error (above): this report is incomplete
            --- stderr
            error: house.toml:7:11: rule `a`: `instead` must be one non-empty line (what to write instead, e.g. "acme_http.get($ARGS)"); put longer advice in `note`
        "#]],
    );
}
