//! Suppressions: trailing and line-above comments, allow-file, and gavel's own findings about
//! suppressions (no reason, unused with its removal fix, unknown rule).

mod common;
use common::check;
use expect_test::expect;

const EVAL: &str = r#"
[[rule]]
id = "py.eval"
language = "python"
message = "eval"
[rule.match]
call = ["eval"]

[[rule]]
id = "py.exec"
language = "python"
message = "exec"
[rule.match]
call = ["exec"]
"#;

#[test]
fn trailing_and_line_above() {
    check(
        EVAL,
        "app.py",
        r#"eval(a)  # gavel: allow(py.eval) a is a constant
# gavel: allow(py.eval) checked by the caller
eval(b)
eval(c)
"#,
        expect![[r#"
            4:1-4:8 warning py.eval: eval
            suppressed: 2
        "#]],
    );
}

#[test]
fn missing_reason_unused_and_unknown() {
    check(
        EVAL,
        "app.py",
        r#"eval(a)  # gavel: allow(py.eval)
x = 1  # gavel: allow(py.exec) not needed
eval(b)  # gavel: allow(py.eval, py.exec) both named
eval(c)  # gavel: allow(py.evl) typo
"#,
        expect![[r#"
            1:10-1:33 warning gavel.suppression-without-reason: This suppression gives no reason: write why after the closing parenthesis, e.g. `gavel: allow(ID) the input is a constant`
            2:23-2:30 hint gavel.unused-suppression: Unused suppression: `py.exec` reports nothing here
              fix* Remove unused suppression of `py.exec`
                | eval(a)  # gavel: allow(py.eval)
                | x = 1
                | eval(b)  # gavel: allow(py.eval, py.exec) both named
                | eval(c)  # gavel: allow(py.evl) typo
            3:34-3:41 hint gavel.unused-suppression: Unused suppression: `py.exec` reports nothing here
              fix* Remove unused suppression of `py.exec`
                | eval(a)  # gavel: allow(py.eval)
                | x = 1  # gavel: allow(py.exec) not needed
                | eval(b)  # gavel: allow(py.eval) both named
                | eval(c)  # gavel: allow(py.evl) typo
            4:1-4:8 warning py.eval: eval
            4:25-4:31 warning gavel.unknown-rule: Unknown rule `py.evl` in suppression: did you mean `py.eval`?
            suppressed: 2
        "#]],
    );
}

#[test]
fn allow_file_only_before_code() {
    check(
        EVAL,
        "app.py",
        r#"#!/usr/bin/env python
# gavel: allow-file(py.eval) this tool evaluates trusted expressions
eval(a)
exec(b)
# gavel: allow-file(py.exec) too late
exec(c)
"#,
        expect![[r#"
            4:1-4:8 warning py.exec: exec
            5:21-5:28 hint gavel.unused-suppression: Unused suppression: `allow-file(py.exec)` only works in a comment before the first line of code
              fix* Remove unused suppression of `py.exec`
                | #!/usr/bin/env python
                | # gavel: allow-file(py.eval) this tool evaluates trusted expressions
                | eval(a)
                | exec(b)
                | exec(c)
            6:1-6:8 warning py.exec: exec
            suppressed: 1
        "#]],
    );
}

#[test]
fn rust_comments_and_method_line() {
    check(
        r#"
[[rule]]
id = "rs.unwrap"
language = "rust"
message = "unwrap"
[rule.match]
method = ["unwrap"]
"#,
        "src/lib.rs",
        r#"fn f() {
    let v = foo
        .bar()
        .unwrap(); // gavel: allow(rs.unwrap) bar never fails here
    let w = baz()
        .unwrap();
}
"#,
        expect![[r#"
            6:10-6:18 warning rs.unwrap: unwrap
            suppressed: 1
        "#]],
    );
}
