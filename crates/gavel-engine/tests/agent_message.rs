//! The agent message (SPEC 7.1): the rule's message, ` Instead: ` and what to write (the rule's
//! `instead` rendered with the match's metavariables, else the preferred fix's title, else
//! `use NAME`), then the rule id; nothing said twice.

mod common;

use expect_test::{Expect, expect};

/// Each finding's agent message, one a line.
fn check(rule: &str, source: &str, expect: Expect) {
    let set = common::rules(rule);
    let tree = gavel_syntax::parse(gavel_syntax::Lang::Python, source);
    let report = set.check(&gavel_engine::FileInput {
        source,
        tree: &tree,
        lang: gavel_syntax::Lang::Python,
        path: "app.py",
    });
    let lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} | instead={:?}", f.agent_message(), f.instead))
        .collect();
    expect.assert_eq(&(lines.join("\n") + "\n"));
}

const CALL: &str = r#"
[[rule]]
id = "acme.shell"
language = "python"
message = "Use acme.proc.run, not subprocess.check_output(..., shell=True)"
"#;

#[test]
fn instead_is_rendered_with_the_call_s_arguments() {
    check(
        &format!(
            "{CALL}instead = \"acme.proc.run($ARGS).stdout\"\n[rule.match]\ncall = [\"subprocess.check_output\"]\n"
        ),
        "import subprocess\nsubprocess.check_output(['ls', d], shell=True)\n",
        expect![[r#"
            Use acme.proc.run, not subprocess.check_output(..., shell=True). Instead: acme.proc.run(['ls', d], shell=True).stdout [acme.shell] | instead=Some("acme.proc.run(['ls', d], shell=True).stdout")
        "#]],
    );
}

#[test]
fn a_message_that_ends_a_sentence_gets_no_second_stop() {
    check(
        r#"
[[rule]]
id = "x.eval"
language = "python"
message = "eval runs arbitrary code!"
instead = "ast.literal_eval($X)"
[rule.match]
pattern = "eval($X)"
"#,
        "eval(s)\n",
        expect![[r#"
            eval runs arbitrary code! Instead: ast.literal_eval(s) [x.eval] | instead=Some("ast.literal_eval(s)")
        "#]],
    );
}

#[test]
fn without_instead_the_preferred_fix_title_then_the_sanctioned_library() {
    let fix = r#"
[[rule]]
id = "x.eval"
language = "python"
message = "eval of $X"
[rule.match]
pattern = "eval($X)"
[[rule.fix]]
title = "Use safe_eval"
replace = "safe_eval($X)"
"#;
    check(
        fix,
        "eval(s)\n",
        expect![[r#"
            eval of s. Instead: Use safe_eval [x.eval] | instead=None
        "#]],
    );
    let sanctioned = r#"
[[rule]]
id = "x.requests"
language = "python"
message = "requests has no retries or tracing"
[rule.match]
import = ["requests"]
[rule.sanctioned]
name = "acme_http"
"#;
    check(
        sanctioned,
        "import requests\n",
        expect![[r#"
            requests has no retries or tracing. Instead: use acme_http [x.requests] | instead=None
        "#]],
    );
}

#[test]
fn nothing_is_said_twice() {
    // The message names the sanctioned library: no fallback.
    let named = r#"
[[rule]]
id = "x.requests"
language = "python"
message = "Use acme_http, not requests"
[rule.match]
import = ["requests"]
[rule.sanctioned]
name = "acme_http"
[[rule.fix]]
title = "Switch to acme_http"
rename_to = "acme_http"
"#;
    check(
        named,
        "import requests\n",
        expect![[r#"
            Use acme_http, not requests [x.requests] | instead=None
        "#]],
    );
    // The message already holds the instead text.
    let held = r#"
[[rule]]
id = "x.print"
language = "python"
message = "print() in library code: use logging.getLogger(__name__)"
instead = "logging.getLogger(__name__)"
[rule.match]
call = ["print"]
"#;
    check(
        held,
        "print(1)\n",
        expect![[r#"
            print() in library code: use logging.getLogger(__name__) [x.print] | instead=Some("logging.getLogger(__name__)")
        "#]],
    );
}
