//! The one helper every engine test goes through: rules (as pack TOML) + a file → the
//! findings as text, each with its preferred fix applied to the file.

use std::sync::Arc;

use expect_test::Expect;
use gavel_engine::{ActiveRule, FileInput, Options, RuleSet, apply_fixes};
use gavel_policy::{SourceFile, parse_pack};
use gavel_syntax::{Lang, LineIndex, WideEncoding, parse};

pub fn rules(toml: &str) -> RuleSet {
    let text = format!("[pack]\nid = \"test\"\n{toml}");
    let pack = parse_pack(&SourceFile::new("test.toml", text)).unwrap_or_else(|e| panic!("{e:?}"));
    RuleSet::new(
        pack.rules.iter().cloned().map(ActiveRule::new).collect(),
        Options::default(),
    )
    .unwrap()
}

/// Check `source` as the file `path` and compare a rendering of the findings with `expect`.
#[allow(dead_code)]
pub fn check(rules_toml: &str, path: &str, source: &str, expect: Expect) {
    let set = rules(rules_toml);
    expect.assert_eq(&render(&set, path, source));
}

#[allow(dead_code)]
pub fn render(set: &RuleSet, path: &str, source: &str) -> String {
    let lang = Lang::from_path(std::path::Path::new(path)).expect("a .py or .rs path");
    let tree = parse(lang, source);
    let report = set.check(&FileInput {
        source,
        tree: &tree,
        lang,
        path,
    });
    let index = LineIndex::new(source);
    let pos = |b: usize| {
        let lc = index.line_col(source, b, WideEncoding::Scalar);
        format!("{}:{}", lc.line + 1, lc.col + 1)
    };
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}-{} {} {}: {}\n",
            pos(f.range.start),
            pos(f.range.end),
            f.severity,
            f.rule_id,
            f.message
        ));
        for (i, fix) in f.fixes.iter().enumerate() {
            let (fixed, _, refused) = apply_fixes(lang, source, &[fix]);
            out.push_str(&format!(
                "  fix{} {}\n",
                if i == 0 { "*" } else { "" },
                fix.title
            ));
            if let Some(e) = refused.first() {
                out.push_str(&format!("    refused: {e}\n"));
            }
            for line in fixed.lines() {
                out.push_str(&format!("    | {line}\n"));
            }
        }
    }
    if report.suppressed > 0 {
        out.push_str(&format!("suppressed: {}\n", report.suppressed));
    }
    if out.is_empty() {
        out.push_str("no findings\n");
    }
    out
}

#[allow(dead_code)]
pub fn arc<T>(t: T) -> Arc<T> {
    Arc::new(t)
}

/// Fix `source` as `gavel check --fix` does and compare what it did with `expect`: the fixed
/// text (a `\r` shown as `␍`), how many fixes were applied, the problems, and what is left.
#[allow(dead_code)]
pub fn check_fix(rules_toml: &str, path: &str, source: &str, expect: Expect) {
    let set = rules(rules_toml);
    let lang = Lang::from_path(std::path::Path::new(path)).expect("a .py or .rs path");
    let check = |text: &str| {
        let tree = parse(lang, text);
        set.check(&FileInput {
            source: text,
            tree: &tree,
            lang,
            path,
        })
    };
    let done = gavel_engine::fix_text(lang, source, check(source), check);
    let mut out = format!("fixed: {}\n", done.fixed);
    for p in &done.problems {
        out.push_str(&format!("problem: {p}\n"));
    }
    out.push_str(&format!("remaining: {}\n", done.report.findings.len()));
    for line in done.text.split_inclusive('\n') {
        out.push_str(&format!("| {}", line.replace('\r', "␍")));
    }
    expect.assert_eq(&out);
}
