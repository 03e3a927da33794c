//! `gavel test`: a rule's `bad`, `good` and `fixed` examples.

use std::sync::Arc;

use gavel_policy::Rule;
use gavel_syntax::{Lang, parse};

use crate::{
    apply::apply_fixes,
    check::FileInput,
    ruleset::{ActiveRule, Options, RuleSet},
};

/// An example that did not behave as the rule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// 1-based line of the example in the pack.
    pub line: u32,
    pub message: String,
}

/// Run one rule's examples on their own (without the rule's `files` globs).
pub fn test_rule(rule: &Arc<Rule>) -> Vec<ExampleFailure> {
    let mut active = ActiveRule::new(rule.clone());
    if active.severity == gavel_policy::Severity::Off {
        active.severity = gavel_policy::Severity::Warning;
    }
    let options = Options {
        ignore_file_globs: true,
        ..Options::default()
    };
    let set = match RuleSet::new(vec![active], options) {
        Ok(s) => s,
        Err(e) => {
            return vec![ExampleFailure {
                line: rule.origin.line,
                message: e,
            }];
        }
    };
    let lang = rule.language;
    let count = |text: &str| findings_of(&set, lang, text, &rule.id).len();
    let mut failures = Vec::new();
    for ex in &rule.examples.bad {
        if count(&ex.text) == 0 {
            failures.push(ExampleFailure {
                line: ex.line,
                message: format!(
                    "bad example gives no finding of `{}`:\n{}",
                    rule.id,
                    indent(&ex.text)
                ),
            });
        }
    }
    for ex in &rule.examples.good {
        let n = count(&ex.text);
        if n > 0 {
            failures.push(ExampleFailure {
                line: ex.line,
                message: format!(
                    "good example gives {n} finding(s) of `{}`:\n{}",
                    rule.id,
                    indent(&ex.text)
                ),
            });
        }
    }
    for ex in &rule.examples.fixed {
        let fixed = fix_all(&set, lang, &ex.before, &rule.id);
        match fixed {
            Ok(text) if text == ex.after => {}
            Ok(text) => failures.push(ExampleFailure {
                line: ex.line,
                message: format!(
                    "fixed example differs:\n  expected:\n{}\n  got:\n{}",
                    indent(&ex.after),
                    indent(&text)
                ),
            }),
            Err(e) => failures.push(ExampleFailure {
                line: ex.line,
                message: e,
            }),
        }
    }
    failures
}

fn example_path(lang: Lang) -> &'static str {
    match lang {
        Lang::Python => "example.py",
        Lang::Rust => "src/example.rs",
    }
}

fn findings_of(set: &RuleSet, lang: Lang, text: &str, id: &str) -> Vec<crate::Finding> {
    let tree = parse(lang, text);
    let report = set.check(&FileInput {
        source: text,
        tree: &tree,
        lang,
        path: example_path(lang),
    });
    report
        .findings
        .into_iter()
        .filter(|f| f.rule_id == id)
        .collect()
}

/// Apply the preferred fix of each finding until none is left (at most a few rounds).
fn fix_all(set: &RuleSet, lang: Lang, before: &str, id: &str) -> Result<String, String> {
    let mut text = before.to_string();
    for _ in 0..5 {
        let findings = findings_of(set, lang, &text, id);
        let fixes: Vec<_> = findings.iter().filter_map(|f| f.fixes.first()).collect();
        if fixes.is_empty() {
            if findings.is_empty() || text != before {
                return Ok(text);
            }
            return Err(format!(
                "the rule fires on the `before` example but offers no fix:\n{}",
                indent(before)
            ));
        }
        let (new, applied, refused) = apply_fixes(lang, &text, &fixes);
        if let Some(e) = refused.first() {
            return Err(e.to_string());
        }
        if applied == 0 {
            break;
        }
        text = new;
    }
    if findings_of(set, lang, &text, id).is_empty() {
        Ok(text)
    } else {
        Err(format!(
            "the rule still fires after its fix:\n{}",
            indent(&text)
        ))
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
