//! `--fix`'s loop (`fix_text`): thousands of fixes in one round, a fix that does not clear its
//! finding is applied once, and added lines follow the file's line endings. (Fixes checked
//! together: `apply.rs`'s unit tests.)

mod common;
use common::check_fix;
use expect_test::expect;

const EVAL: &str = r#"
[[rule]]
id = "fx.eval"
language = "python"
message = "no eval"
[rule.match]
call = ["eval"]
[[rule.fix]]
title = "Use safe.evaluate"
replace = "safe.evaluate($ARGS)"
add_imports = ["import safe"]
"#;

#[test]
fn added_imports_follow_crlf_line_endings() {
    check_fix(
        EVAL,
        "app.py",
        "import os\r\neval(x)\r\n",
        expect![[r#"
            fixed: 1
            remaining: 0
            | import os␍
            | import safe␍
            | safe.evaluate(x)␍
        "#]],
    );
}

#[test]
fn a_fix_that_does_not_clear_its_finding_is_applied_once() {
    check_fix(
        r#"
[[rule]]
id = "fx.wrap"
language = "python"
message = "wrap"
[rule.match]
call = ["wrap"]
[[rule.fix]]
title = "Wrap again"
replace = "wrap(wrap($ARGS))"
"#,
        "app.py",
        "wrap(1)\nwrap(2)\n",
        expect![[r#"
            fixed: 2
            problem: fix "Wrap again" of fx.wrap did not clear its finding; applied once, not again
            remaining: 4
            | wrap(wrap(1))
            | wrap(wrap(2))
        "#]],
    );
}

#[test]
fn thousands_of_fixes_are_applied_in_one_round() {
    let source: String = (0..3000).map(|i| format!("eval(x{i})\n")).collect();
    let rules = common::rules(EVAL);
    let tree = gavel_syntax::parse(gavel_syntax::Lang::Python, &source);
    let check = |text: &str| {
        let tree = gavel_syntax::parse(gavel_syntax::Lang::Python, text);
        rules.check(&gavel_engine::FileInput {
            source: text,
            tree: &tree,
            lang: gavel_syntax::Lang::Python,
            path: "app.py",
        })
    };
    let first = rules.check(&gavel_engine::FileInput {
        source: &source,
        tree: &tree,
        lang: gavel_syntax::Lang::Python,
        path: "app.py",
    });
    let done = gavel_engine::fix_text(gavel_syntax::Lang::Python, &source, first, check);
    assert_eq!(done.fixed, 3000);
    assert!(done.report.findings.is_empty());
    assert!(done.text.starts_with("import safe\nsafe.evaluate(x0)\n"));
    assert_eq!(done.text.matches("import safe").count(), 1);
}
